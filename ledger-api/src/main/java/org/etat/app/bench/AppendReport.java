package org.etat.app.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The append benchmark's figures as bench/results/append.md and append.json. */
record AppendReport(AppendBenchmark.Settings settings, Map<String, String> serverSettings, FsyncRate fsync,
        List<AppendBenchmark.Phase> phases, double readSideCatchUpSeconds, long racesLost, long storedExpenditures, Instant finishedAt) {

    static final double TARGET_BATCHED_ENTRIES_PER_SECOND = 10_000;
    static final double TARGET_BATCHED_TO_RAW = 0.5;

    AppendBenchmark.Phase raw() {
        return phases.stream().filter(p -> p.mode().equals(AppendBenchmark.RAW)).findFirst().orElseThrow();
    }

    AppendBenchmark.Phase phase(String mode) {
        return phases.stream().filter(p -> p.mode().equals(mode)).findFirst().orElseThrow();
    }

    double toRaw(AppendBenchmark.Phase p) {
        return p.entriesPerSecond() / raw().entriesPerSecond();
    }

    String command() {
        return "./etat bench append --entries " + settings.entries()
                + (settings.singleEntries() != settings.entries() ? " --single-entries " + settings.singleEntries() : "")
                + " --lines " + settings.lines() + " --batch-size " + settings.batchSize()
                + " --threads " + settings.threads().stream().map(String::valueOf).collect(Collectors.joining(","))
                + (settings.rewriteBatchedInserts() ? "" : " --no-rewrite-batched-inserts")
                + settings.properties().entrySet().stream().map(e -> " --property " + e.getKey() + "=" + e.getValue()).collect(Collectors.joining())
                + " --out " + settings.out();
    }

    String table() {
        StringBuilder t = new StringBuilder();
        t.append("| mode | client threads | entries per command | commands | entries | seconds | entries/s | p50 ms | p99 ms | x raw | JVM CPU us/entry |\n");
        t.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (AppendBenchmark.Phase p : phases) {
            t.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %.2f | %.0f | %.2f | %.2f | %.3f | %.0f |%n", p.mode(),
                    p.threads(), p.entriesPerCommand(), p.commands(), p.entries(), p.seconds(), p.entriesPerSecond(), p.p50Millis(),
                    p.p99Millis(), toRaw(p), p.jvmCpuMicrosPerEntry()));
        }
        return t.toString();
    }

    String markdown() {
        StringBuilder m = new StringBuilder();
        m.append("# Append benchmark\n\n");
        m.append("Command: `").append(command()).append("`  \n");
        m.append("Finished: ").append(finishedAt.truncatedTo(ChronoUnit.SECONDS)).append("  \n");
        m.append("Seed: ").append(settings.seed()).append("; expenditures spread round-robin across ").append(settings.lines())
                .append(" lines; latency is per command (raw JDBC: per transaction).\n\n");
        m.append(table()).append('\n');
        for (String mode : List.of(AppendBenchmark.BATCHED_PAUSED, AppendBenchmark.BATCHED_LIVE)) {
            AppendBenchmark.Phase batched = phase(mode);
            boolean rateMet = batched.entriesPerSecond() >= TARGET_BATCHED_ENTRIES_PER_SECOND;
            boolean ratioMet = toRaw(batched) >= TARGET_BATCHED_TO_RAW;
            m.append(String.format(Locale.ROOT, "- %s: %.0f entries/s (target >= %.0f: %s), %.3f x raw (target >= %.1f: %s)%n",
                    mode, batched.entriesPerSecond(), TARGET_BATCHED_ENTRIES_PER_SECOND, rateMet ? "met" : "MISSED", toRaw(batched),
                    TARGET_BATCHED_TO_RAW, ratioMet ? "met" : "MISSED"));
        }
        m.append(String.format(Locale.ROOT, "- read side (projection, audit chain) caught up with the %d entries of the paused run in"
                + " %.2f s after it resumed (%.0f entries/s)%n", settings.entries(), readSideCatchUpSeconds,
                settings.entries() / Math.max(1e-9, readSideCatchUpSeconds)));
        for (AppendBenchmark.Phase p : phases) {
            if (p.mode().equals("single")) {
                m.append(String.format(Locale.ROOT, "- single, %d thread(s): %.0f commands/s = %.3f x raw%s%n", p.threads(),
                        p.entriesPerSecond(), toRaw(p), fsync.opsPerSecond() > 0
                                ? String.format(Locale.ROOT, ", %.2f x the fsync rate", p.entriesPerSecond() / fsync.opsPerSecond()) : ""));
            }
        }
        m.append(String.format(Locale.ROOT, "- fsync rate: %.0f ops/s (%s; %s)%n", fsync.opsPerSecond(), fsync.source(),
                fsync.detail().lines().findFirst().orElse("")));
        m.append("- optimistic-concurrency races lost and retried: ").append(racesLost).append('\n');
        m.append("- ExpenditureRecorded events in the log after the run (incl. warm-up): ").append(storedExpenditures).append("\n\n");
        m.append("## PostgreSQL settings\n\n| setting | value |\n|---|---|\n");
        serverSettings.forEach((k, v) -> m.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        m.append(String.format(Locale.ROOT, "| application's pgjdbc reWriteBatchedInserts | %s |%n", settings.rewriteBatchedInserts()));
        m.append(String.format(Locale.ROOT, "%nMachine: %d processors visible to the JVM, Java %s, %s %s.%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), System.getProperty("os.name"),
                System.getProperty("os.arch")));
        return m.toString();
    }

    Map<String, Object> json() {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("benchmark", "append");
        j.put("command", command());
        j.put("finishedAt", finishedAt.truncatedTo(ChronoUnit.SECONDS).toString());
        j.put("settings", settings);
        j.put("postgres", serverSettings);
        j.put("fsync", fsync);
        j.put("phases", phases.stream().map(p -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("mode", p.mode());
            e.put("threads", p.threads());
            e.put("entriesPerCommand", p.entriesPerCommand());
            e.put("commands", p.commands());
            e.put("entries", p.entries());
            e.put("seconds", p.seconds());
            e.put("entriesPerSecond", p.entriesPerSecond());
            e.put("p50Millis", p.p50Millis());
            e.put("p99Millis", p.p99Millis());
            e.put("ratioToRaw", toRaw(p));
            e.put("jvmCpuMicrosPerEntry", p.jvmCpuMicrosPerEntry());
            return e;
        }).toList());
        j.put("readSideCatchUpSeconds", readSideCatchUpSeconds);
        j.put("racesLost", racesLost);
        j.put("storedExpenditures", storedExpenditures);
        j.put("availableProcessors", Runtime.getRuntime().availableProcessors());
        j.put("javaVersion", System.getProperty("java.version"));
        return j;
    }

    /** Writes append.md and append.json into {@code dir}; returns the json file. */
    Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("append.md"), markdown(), StandardCharsets.UTF_8);
        Path json = dir.resolve("append.json");
        AppendBenchmark.json().writeValue(json.toFile(), json());
        return json;
    }
}
