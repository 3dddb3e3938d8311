package org.etat.app.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/** bench/results/projections.json (everything measured) and projections.md (the summary). */
final class ProjectionReport {

    private ProjectionReport() {
    }

    @SuppressWarnings("unchecked")
    static void write(Map<String, Object> results, ProjectionBenchmark.Settings s, Path dir) throws IOException {
        results.put("measuredAt", Instant.now().toString());
        String command = String.format("./etat bench projections --events %d --lines-per-year %d --years %d --first-year %d --batch-size %d"
                + " --query-rate %d --query-seconds %d --query-threads %d --seed %d", s.events(), s.linesPerYear(), s.years(), s.firstYear(),
                s.batchSize(), s.queryRate(), s.querySeconds(), s.queryThreads(), s.seed());
        results.put("command", command);
        Files.writeString(dir.resolve("projections.json"), AppendBenchmark.json().writeValueAsString(results) + "\n");

        Map<String, Object> w = (Map<String, Object>) results.get("workload");
        Map<String, Object> a = (Map<String, Object>) results.get("rebuild");
        Map<String, Object> b = (Map<String, Object>) results.get("balanceQuery");
        Map<String, Object> c = (Map<String, Object>) results.get("asOfQuery");
        Map<String, Object> d = (Map<String, Object>) results.get("annualAccount");
        ProjectionBenchmark.Latency bl = (ProjectionBenchmark.Latency) b.get("latency");
        ProjectionBenchmark.Latency cl = (ProjectionBenchmark.Latency) c.get("latency");
        Map<String, Object> machine = (Map<String, Object>) results.get("machine");
        StringBuilder md = new StringBuilder();
        md.append("# Projection benchmark\n\n");
        md.append("Measured ").append(results.get("measuredAt")).append(" with\n\n```\n").append(command).append("\n```\n\n");
        md.append(String.format("Machine: %s cores, Java %s, max heap %s MiB, collectors %s; embedded PostgreSQL %s.%n%n",
                machine.get("cores"), machine.get("java"), machine.get("maxHeapMiB"), machine.getOrDefault("gc", "?"),
                ((Map<String, String>) results.get("server")).get("server_version")));
        md.append(String.format("History: %,d events in the log (%,d generated over %,d titles in %d years, plus a 3-event calibration line"
                + " written by the ledger itself), generated in %.1f s. By type: %s.%n%n", (Long) w.get("events"), (Long) w.get("generatedEvents"),
                (Integer) w.get("lines"), s.years(), (Double) w.get("generateSeconds"), w.get("byType")));
        md.append("| measure | result | target | met |\n| --- | --- | --- | --- |\n");
        md.append(String.format("| (a) rebuild of every read model | %,.0f events/s (%,d events in %.1f s) | >= 100,000 events/s | %s |%n",
                (Double) a.get("rebuildEventsPerSecond"), (Long) a.get("events"), (Double) a.get("rebuildSeconds"),
                (Double) a.get("rebuildEventsPerSecond") >= 100_000 ? "yes" : "no"));
        md.append(String.format("| (a) rebuild / raw baseline | %.2f x (raw: %,.0f events/s, %.1f s) | >= 0.5 x | %s |%n",
                (Double) a.get("ratioToRaw"), (Double) a.get("rawEventsPerSecond"), (Double) a.get("rawSeconds"),
                (Double) a.get("ratioToRaw") >= 0.5 ? "yes" : "no"));
        md.append(String.format("| (a) JVM CPU per event (all JVM threads), PostgreSQL CPU per event | rebuild %.2f us + %.2f us; raw %.2f us + %.2f us | | |%n",
                (Double) a.get("rebuildJvmCpuMicrosPerEvent"), (Double) a.get("rebuildPostgresCpuMicrosPerEvent"),
                (Double) a.get("rawJvmCpuMicrosPerEvent"), (Double) a.get("rawPostgresCpuMicrosPerEvent")));
        md.append(String.format("| (a) JIT compilation, GC pauses (ms); warm-up runs before | rebuild %,d and %,d, after %d; raw %,d and %,d, after %d | | |%n",
                (Long) a.get("rebuildJitMillis"), (Long) a.get("rebuildGcMillis"), (Integer) a.get("rebuildWarmUps"), (Long) a.get("rawJitMillis"),
                (Long) a.get("rawGcMillis"), (Integer) a.get("rawWarmUps")));
        md.append(String.format("| (a) whole rebuild job (with digests of both generations and the switch-over) | %.1f s | | |%n",
                (Double) a.get("wholeJobSeconds")));
        md.append(String.format("| (b) balance query, %,d req/s open-loop, %,d requests | p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms | p99 <= 5 ms | %s |%n",
                bl.ratePerSecond(), bl.requests(), bl.p50Millis(), bl.p99Millis(), bl.p999Millis(), bl.maxMillis(), bl.p99Millis() <= 5 ? "yes" : "no"));
        md.append(String.format("| (c) as-of query (booking date x known-at), %,d req/s open-loop | p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms | p99 <= 20 ms | %s |%n",
                cl.ratePerSecond(), cl.p50Millis(), cl.p99Millis(), cl.p999Millis(), cl.maxMillis(), cl.p99Millis() <= 20 ? "yes" : "no"));
        md.append(String.format("| (d) annual account %s, %,d titles (account + CSV), 5 runs | median %.3f s, max %.3f s | <= 1 s | %s |%n%n",
                d.get("year"), (Integer) d.get("titles"), (Double) d.get("medianSeconds"), (Double) d.get("maxSeconds"), (Boolean) d.get("met") ? "yes" : "no"));
        md.append(String.format("Load average (1 min) at the end of the rebuild: %.1f.%n%n", (Double) a.get("loadAverage")));
        md.append("Rebuild phases of the measured run (ms): ").append(a.get("phaseMillis")).append(". Digests of the rebuilt and the live")
                .append(" generation match: ").append(a.get("digestsMatch")).append(" (the warm-up job's, against the models the live projector")
                .append(" built event by event: ").append(a.get("warmUpDigestsMatchLiveProjector")).append(").\n\n");
        md.append("How it is measured, and what the figures mean: [bench/README.md](../README.md#projections-etat-bench-projections).\n");
        Files.writeString(dir.resolve("projections.md"), md.toString());
    }
}
