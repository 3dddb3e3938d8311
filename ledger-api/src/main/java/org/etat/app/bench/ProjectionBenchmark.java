package org.etat.app.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;
import javax.sql.DataSource;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.etat.app.cli.ApplicationStarter;
import org.etat.app.cli.LedgerDatabase;
import org.etat.app.ledger.LedgerGateway;
import org.etat.app.projection.RebuildJob;
import org.etat.app.projection.RebuildService;
import org.etat.app.projection.StoredEvents;
import org.etat.ledger.budgetline.EnactAppropriation;
import org.etat.ledger.budgetline.LineKind;
import org.etat.ledger.budgetline.OpenLine;
import org.etat.ledger.budgetline.RecordExpenditure;
import org.etat.ledger.budgetline.TitleKey;
import org.etat.projection.AnnualAccount;
import org.etat.projection.ReadModels;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The projection benchmark, in one run on its own embedded PostgreSQL 17: a generated multi-year
 * history ({@link ProjectionWorkload}, checked first against rows the real ledger wrote) is
 * (a) read raw (JDBC + deserialization, nothing else) and rebuilt into every read model by
 * {@link RebuildService}, in events/s; then (b) balance and (c) as-of queries run open-loop at a
 * fixed rate (latency from each request's scheduled start, so a stall counts for every request it
 * delays), and (d) the annual account of one year is built.
 */
public final class ProjectionBenchmark {

    public record Settings(int firstYear, int years, int linesPerYear, long events, int batchSize, int queryRate, int querySeconds,
            int queryThreads, long seed, Path out) {
        public Settings {
            if (events < 10_000 || events > 20_000_000) {
                throw new IllegalArgumentException("--events must be 10,000..20,000,000");
            }
            if (queryRate < 1 || queryRate > 100_000 || querySeconds < 1 || querySeconds > 600 || queryThreads < 1 || queryThreads > 256) {
                throw new IllegalArgumentException("--query-rate 1..100,000, --query-seconds 1..600, --query-threads 1..256");
            }
        }
    }

    /** Latencies of one open-loop run, in milliseconds. */
    public record Latency(String query, int ratePerSecond, int requests, double achievedPerSecond, double p50Millis, double p99Millis,
            double p999Millis, double maxMillis) {
    }

    private final Settings settings;
    private final PrintStream out;

    public ProjectionBenchmark(Settings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    public Map<String, Object> run() throws Exception {
        Path dataDirectory = Files.createTempDirectory("etat-bench-projections");
        Map<String, Object> results = new LinkedHashMap<>();
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setDataDirectory(dataDirectory).setCleanDataDirectory(true)
                .setServerConfig("max_connections", "100").setServerConfig("shared_buffers", "512MB")
                // A rebuild writes the whole read side again (the report gives the WAL it wrote); the default
                // 1 GB would start checkpoints in the middle of it (PostgreSQL's advice for bulk loads).
                .setServerConfig("max_wal_size", "8GB");
        // -Detat.bench.pg=name=value,name=value: further server settings, for experiments (the report lists the settings used).
        for (String setting : System.getProperty("etat.bench.pg", "").split(",")) {
            if (!setting.isBlank()) {
                builder.setServerConfig(setting.substring(0, setting.indexOf('=')).trim(), setting.substring(setting.indexOf('=') + 1).trim());
            }
        }
        try (EmbeddedPostgres pg = builder.start()) {
            String url = pg.getJdbcUrl("postgres", "postgres");
            Map<String, String> env = Map.of(LedgerDatabase.URL_ENV, url, LedgerDatabase.USER_ENV, "postgres", LedgerDatabase.PASSWORD_ENV, "postgres");
            Map<String, String> server = AppendBenchmark.serverSettings(url);
            out.printf("Embedded PostgreSQL %s in %s (shared_buffers %s)%n", server.get("server_version"), dataDirectory, server.get("shared_buffers"));
            try (Connection c = java.sql.DriverManager.getConnection(url); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT datcollate FROM pg_database WHERE datname = current_database()")) {
                rs.next();
                server = new LinkedHashMap<>(server);
                server.put("datcollate", rs.getString(1));
                out.printf("Database collation: %s%n", rs.getString(1));
            }
            results.put("server", server);
            results.put("machine", Map.of("cores", Runtime.getRuntime().availableProcessors(), "maxHeapMiB", Runtime.getRuntime().maxMemory() >> 20,
                    "java", System.getProperty("java.version"), "gc", garbageCollectors()));
            try (LedgerDatabase db = LedgerDatabase.open(env, dataDirectory, 0, new PrintStream(PrintStream.nullOutputStream()));
                    ConfigurableApplicationContext app = ApplicationStarter.start(db, WebApplicationType.NONE, Map.of(
                            "logging.level.root", "WARN",
                            // Nothing but the benchmark reads the log: no audit chain, and the live projection processor
                            // is stopped below (before the log fills), so neither competes for the two cores.
                            "etat.audit.chain.enabled", "false"))) {
                app.getBean(org.axonframework.config.EventProcessingConfiguration.class)
                        .eventProcessor(org.etat.app.projection.ProjectionConfiguration.PROCESSING_GROUP)
                        .ifPresent(org.axonframework.eventhandling.EventProcessor::shutDown);
                DataSource ds = app.getBean(DataSource.class);
                Serializer serializer = app.getBean("eventSerializer", Serializer.class);
                results.put("settings", settings);
                results.put("shape", checkShape(app.getBean(LedgerGateway.class), ds, serializer));

                // The history.
                long t0 = System.nanoTime();
                ProjectionWorkload.Written written;
                try (Connection c = ds.getConnection()) {
                    c.setAutoCommit(false);
                    written = new ProjectionWorkload(new ProjectionWorkload.Settings(settings.firstYear(), settings.years(), settings.linesPerYear(),
                            settings.events(), settings.seed()), serializer).write(c, n -> out.printf("\r  generated %,d events", n));
                }
                double generateSeconds = seconds(t0);
                out.printf("%nGenerated %,d events over %d lines in %.1f s: %s%n", written.events(), written.lineIds().size(), generateSeconds,
                        written.byType());
                try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                    st.execute("VACUUM ANALYZE domain_event_entry");
                }
                long logEvents = count(ds, "SELECT count(*) FROM domain_event_entry");
                results.put("workload", Map.of("events", logEvents, "generatedEvents", written.events(), "lines", written.lineIds().size(),
                        "byType", written.byType(), "generateSeconds", generateSeconds));

                // (a) raw baseline and rebuild.
                StoredEvents stored = new StoredEvents(serializer);
                CpuClock cpu = new CpuClock(dataDirectory);
                // Warm-ups of both sides until the JIT has settled (bench/README.md): the same rule for each.
                int rawWarmUps = 0;
                for (boolean settled = false; !settled && rawWarmUps < MAX_WARM_UPS; rawWarmUps++) {
                    long jit0 = jitMillis();
                    double seconds = raw(ds, stored, Long.MAX_VALUE);
                    settled = jitMillis() - jit0 < SETTLED_JIT_SHARE * seconds * 1000;
                    out.printf("  raw warm-up %d: %.1f s, JIT %,d ms%n", rawWarmUps + 1, seconds, jitMillis() - jit0);
                }
                cleanHeap();
                CpuClock.Reading rawStart = cpu.read();
                long rawJitStart = jitMillis();
                long rawGcStart = gcMillis();
                double rawSeconds = raw(ds, stored, Long.MAX_VALUE);
                CpuClock.Reading rawCpu = cpu.read().minus(rawStart);
                long rawJitMillis = jitMillis() - rawJitStart;
                long rawGcMillis = gcMillis() - rawGcStart;
                double rawRate = logEvents / rawSeconds;
                out.printf("Raw baseline (JDBC read + deserialize, nothing else): %,d events in %.1f s = %,.0f events/s%n", logEvents, rawSeconds, rawRate);
                RebuildService rebuilds = new RebuildService(ds, serializer, null, settings.batchSize());
                try {
                    long firstMillis = initialLiveModels(ds, stored);
                    // The measured job itself, whole, as the raw baseline's warm-up is the raw read: a warm-up through
                    // another entry point (the bulk path straight into a scratch schema) left C2 recompiling the job's
                    // loops for their new callers during the measured run (1.3-2.7 s of compilation). The first job
                    // compares its rebuilt generation with the one the live projector built: the digests of two
                    // independent paths.
                    RebuildJob warmUp = null;
                    int rebuildWarmUps = 0;
                    for (boolean settled = false; !settled && rebuildWarmUps < MAX_WARM_UPS; rebuildWarmUps++) {
                        Map<String, Long> jit = new LinkedHashMap<>();
                        RebuildJob job = rebuild(rebuilds, "warm-up " + (rebuildWarmUps + 1) + ": the same rebuild job (not measured)",
                                name -> jit.put(name, jitMillis()));
                        warmUp = warmUp == null ? job : warmUp;
                        long rebuildingMillis = 0;
                        for (Map.Entry<String, Long> p : job.phaseMillis().entrySet()) {
                            rebuildingMillis += NOT_REBUILDING.contains(p.getKey()) ? 0 : p.getValue();
                        }
                        long compiled = jit.get(LIVE_PHASE) - jit.get("prepare");
                        settled = compiled < SETTLED_JIT_SHARE * rebuildingMillis;
                        out.printf("  JIT during its rebuild: %,d ms of %,d ms%n", compiled, rebuildingMillis);
                    }
                    settle(ds);
                    Map<String, CpuClock.Reading> atPhase = new LinkedHashMap<>();
                    Map<String, Long> jitAt = new LinkedHashMap<>();
                    Map<String, Long> gcAt = new LinkedHashMap<>();
                    Map<String, Long> walAt = new LinkedHashMap<>();
                    RebuildJob second = rebuild(rebuilds, "measured rebuild", name -> {
                        walAt.put(name, walBytes(ds));
                        atPhase.put(name, cpu.read());
                        jitAt.put(name, jitMillis());
                        gcAt.put(name, gcMillis());
                    });
                    Map<String, Long> phases = second.phaseMillis();
                    // Every phase up to the rebuilt generation being complete (bulk, catch-up, writing the folded
                    // models, keys and indexes, statistics, final catch-up); not the digests, the live side or the swap.
                    long projectMillis = 0;
                    for (Map.Entry<String, Long> p : phases.entrySet()) {
                        if (!NOT_REBUILDING.contains(p.getKey())) {
                            projectMillis += p.getValue();
                        }
                    }
                    CpuClock.Reading rebuildCpu = atPhase.get(LIVE_PHASE).minus(atPhase.get("prepare"));
                    long totalMillis = second.elapsed().toMillis();
                    double rebuildRate = second.eventsProcessed() * 1000.0 / Math.max(1, projectMillis);
                    double jobRate = second.eventsProcessed() * 1000.0 / Math.max(1, totalMillis);
                    Map<String, Object> a = new LinkedHashMap<>();
                    a.put("events", second.eventsProcessed());
                    a.put("rawSeconds", rawSeconds);
                    a.put("rawEventsPerSecond", rawRate);
                    a.put("rebuildSeconds", projectMillis / 1000.0);
                    a.put("rebuildEventsPerSecond", rebuildRate);
                    a.put("ratioToRaw", rebuildRate / rawRate);
                    a.put("wholeJobSeconds", totalMillis / 1000.0);
                    a.put("wholeJobEventsPerSecond", jobRate);
                    a.put("phaseMillis", phases);
                    a.put("walMegabytes", (walAt.get(LIVE_PHASE) - walAt.get("prepare")) / 1e6);
                    a.put("rawJvmCpuMicrosPerEvent", rawCpu.jvmSeconds() * 1e6 / logEvents);
                    a.put("rawPostgresCpuMicrosPerEvent", rawCpu.postgresSeconds() * 1e6 / logEvents);
                    a.put("rebuildJvmCpuMicrosPerEvent", rebuildCpu.jvmSeconds() * 1e6 / second.eventsProcessed());
                    a.put("rebuildPostgresCpuMicrosPerEvent", rebuildCpu.postgresSeconds() * 1e6 / second.eventsProcessed());
                    a.put("rebuildCpuWallSeconds", rebuildCpu.wallSeconds());
                    a.put("rawJitMillis", rawJitMillis);
                    a.put("rebuildJitMillis", jitAt.get(LIVE_PHASE) - jitAt.get("prepare"));
                    a.put("rawGcMillis", rawGcMillis);
                    a.put("rebuildGcMillis", gcAt.get(LIVE_PHASE) - gcAt.get("prepare"));
                    // CPU seconds per phase (JVM, PostgreSQL), from one phase's start to the next one's.
                    Map<String, String> phaseCpu = new LinkedHashMap<>();
                    List<Map.Entry<String, CpuClock.Reading>> readings = new ArrayList<>(atPhase.entrySet());
                    for (int i = 0; i + 1 < readings.size(); i++) {
                        CpuClock.Reading d = readings.get(i + 1).getValue().minus(readings.get(i).getValue());
                        phaseCpu.put(readings.get(i).getKey(), String.format("JVM %.2f s, PostgreSQL %.2f s, wall %.2f s", d.jvmSeconds(),
                                d.postgresSeconds(), d.wallSeconds()));
                    }
                    a.put("phaseCpu", phaseCpu);
                    a.put("loadAverage", rebuildCpu.loadAverage());
                    a.put("digestsMatch", second.digestsMatch());
                    a.put("warmUpDigestsMatchLiveProjector", warmUp.digestsMatch());
                    a.put("rawWarmUps", rawWarmUps);
                    a.put("rebuildWarmUps", rebuildWarmUps);
                    a.put("initialLiveBuildMillis", firstMillis);
                    a.put("targets", "rebuild >= 100,000 events/s and >= 0.5 x raw");
                    a.put("met", rebuildRate >= 100_000 && rebuildRate >= 0.5 * rawRate);
                    results.put("rebuild", a);
                    out.printf("Rebuild: %,d events projected in %.1f s = %,.0f events/s (%.2f x raw); whole job with digests and switch-over"
                            + " %.1f s; digests match: %s (warm-up job against the live projector's models: %s)%n", second.eventsProcessed(),
                            projectMillis / 1000.0, rebuildRate, rebuildRate / rawRate, totalMillis / 1000.0, second.digestsMatch(),
                            warmUp.digestsMatch());
                    out.printf("CPU per event: raw JVM %.2f us + PostgreSQL %.2f us; rebuild JVM %.2f us + PostgreSQL %.2f us (load average %.1f);"
                            + " JIT compilation: raw %,d ms, rebuild %,d ms; GC pauses: raw %,d ms, rebuild %,d ms%n",
                            a.get("rawJvmCpuMicrosPerEvent"), a.get("rawPostgresCpuMicrosPerEvent"), a.get("rebuildJvmCpuMicrosPerEvent"),
                            a.get("rebuildPostgresCpuMicrosPerEvent"), rebuildCpu.loadAverage(), a.get("rawJitMillis"), a.get("rebuildJitMillis"),
                            a.get("rawGcMillis"), a.get("rebuildGcMillis"));
                    out.printf("  CPU per phase: %s%n", phaseCpu);
                    out.printf("  WAL written by the rebuild: %,.0f MB%n", a.get("walMegabytes"));
                } finally {
                    rebuilds.close();
                }

                // (b), (c), (d) on the rebuilt models.
                ReadModels models = new ReadModels(ds);
                List<String> lines = written.lineIds();
                int lastYear = settings.firstYear() + settings.years() - 1;
                String[] ids = lines.toArray(String[]::new);
                out.printf("Autovacuum workers busy before the query runs: %d%n", count(ds,
                        "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker' AND state IS DISTINCT FROM 'idle'"));
                Latency balance = openLoop("balance (ReadModels.line)", i -> models.line(ids[Math.floorMod(mix(i), ids.length)]).orElseThrow());
                Instant lastKnown = Instant.now();
                Latency asOf = openLoop("as-of (ReadModels.lineAsOf, booking date x known-at)", i -> {
                    String id = ids[Math.floorMod(mix(i), ids.length)];
                    int year = Integer.parseInt(id.substring(0, 4));
                    LocalDate date = LocalDate.of(year, 1, 1).plusDays(Math.floorMod(mix(i + 7), 365));
                    Instant known = LocalDate.of(year, 1, 1).plusDays(Math.floorMod(mix(i + 13), 500)).atStartOfDay().toInstant(java.time.ZoneOffset.UTC);
                    models.lineAsOf(id, date, known.isAfter(lastKnown) ? null : known).orElseThrow();
                });
                results.put("balanceQuery", Map.of("latency", balance, "target", "p99 <= 5 ms at 1,000 req/s open-loop", "met", balance.p99Millis() <= 5.0));
                results.put("asOfQuery", Map.of("latency", asOf, "target", "p99 <= 20 ms", "met", asOf.p99Millis() <= 20.0));

                AnnualAccount accounts = new AnnualAccount(models);
                int accountYear = Math.max(settings.firstYear(), lastYear - 1);
                accounts.of(accountYear); // warm-up
                double[] runs = new double[5];
                int rows = 0;
                for (int i = 0; i < runs.length; i++) {
                    long s = System.nanoTime();
                    AnnualAccount.Account account = accounts.of(accountYear);
                    String csv = AnnualAccount.csv(account, AnnualAccount.CsvDialect.values()[0]);
                    runs[i] = seconds(s);
                    rows = account.rows().size();
                    if (csv.isEmpty()) {
                        throw new IllegalStateException("empty annual account");
                    }
                }
                Arrays.sort(runs);
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("year", accountYear);
                d.put("titles", rows);
                d.put("medianSeconds", runs[runs.length / 2]);
                d.put("maxSeconds", runs[runs.length - 1]);
                d.put("target", "<= 1 s for 7,000 titles");
                d.put("met", runs[runs.length - 1] <= 1.0);
                results.put("annualAccount", d);
                out.printf("Annual account %d (%,d titles, account + CSV): median %.3f s, max %.3f s%n", accountYear, rows, runs[runs.length / 2],
                        runs[runs.length - 1]);
            }
        } finally {
            deleteRecursively(dataDirectory);
        }
        return results;
    }

    /** The generator's rows have the shape of the rows the ledger itself writes: type, payload bytes, metadata keys. */
    private Map<String, Object> checkShape(LedgerGateway ledger, DataSource ds, Serializer serializer) throws SQLException {
        String line = (settings.firstYear() - 1) + "-99010-54701";
        ledger.send(new OpenLine(line, TitleKey.of("99010", "54701"), "Kalibrierung", LineKind.EXPENDITURE, false, List.of(), null), "bench", "shape-open");
        ledger.send(new EnactAppropriation(line, 1_000_00L, "HG", LocalDate.of(settings.firstYear() - 1, 1, 1)), "bench", "shape-enact");
        RecordExpenditure spend = new RecordExpenditure(line, 12_34L, LocalDate.of(settings.firstYear() - 1, 3, 1), "Zahlung", "RE-1", "P-1");
        ledger.send(spend, "bench", "shape-spend");
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT type, payload_type, payload_revision, payload,"
                + " meta_data FROM domain_event_entry WHERE aggregate_identifier = ? AND sequence_number = 2")) {
            ps.setString(1, line);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                Object payload = serializer.deserialize(new SimpleSerializedObject<>(rs.getBytes(4), byte[].class, rs.getString(2), rs.getString(3)));
                byte[] again = serializer.serialize(payload, byte[].class).getData();
                MetaData meta = serializer.deserialize(new SimpleSerializedObject<>(rs.getBytes(5), byte[].class, MetaData.class.getName(), null));
                boolean sameType = ProjectionWorkload.TYPE.equals(rs.getString(1)) && rs.getString(3) == null;
                boolean sameBytes = Arrays.equals(again, rs.getBytes(4));
                List<String> keys = new ArrayList<>(meta.keySet());
                keys.sort(null);
                List<String> expected = new ArrayList<>(List.of("principal", "requestId", "recordedAt", "effectiveDate", "correlationId", "traceId"));
                expected.sort(null);
                if (!sameType || !sameBytes || !keys.equals(expected)) {
                    throw new IllegalStateException("the generator's rows would differ from the ledger's: type " + rs.getString(1) + ", revision "
                            + rs.getString(3) + ", payload bytes equal " + sameBytes + ", metadata keys " + keys);
                }
                out.printf("Generated rows checked against a row the ledger wrote: type %s, payload bytes, metadata keys %s%n", rs.getString(1), keys);
                return Map.of("aggregateType", rs.getString(1), "payloadBytesEqual", sameBytes, "metadataKeys", keys);
            }
        }
    }

    private double raw(DataSource ds, StoredEvents stored, long limit) throws SQLException {
        long t0 = System.nanoTime();
        long[] n = {0};
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            stored.stream(c, "SELECT " + StoredEvents.COLUMNS + " FROM domain_event_entry e ORDER BY e.global_index"
                    + (limit == Long.MAX_VALUE ? "" : " LIMIT " + limit), List.of(), settings.batchSize(), batch -> n[0] += batch.size());
            c.commit();
        }
        return seconds(t0);
    }

    /** The live models before the measured rebuild: the log straight into a fresh generation, swapped in (no digests). */
    private long initialLiveModels(DataSource ds, StoredEvents stored) throws SQLException {
        out.println("initial live read models (not measured)...");
        long t0 = System.nanoTime();
        org.etat.projection.Rebuild initial = new org.etat.projection.Rebuild(ds);
        initial.prepare();
        List<String> indexes = initial.deferIndexes();
        org.etat.projection.Projector projector = initial.bulkProjector();
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            stored.stream(c, "SELECT " + StoredEvents.COLUMNS + " FROM domain_event_entry e ORDER BY e.global_index", List.of(),
                    settings.batchSize(), projector::project);
            c.commit();
        }
        initial.createIndexes(indexes);
        initial.switchOver();
        long millis = (System.nanoTime() - t0) / 1_000_000;
        out.printf("  %.1f s%n", millis / 1000.0);
        return millis;
    }

    /**
     * Vacuums the live generation just built, so that autovacuum does not do it (on the same cores,
     * counted as PostgreSQL CPU of the rebuild) while the measured rebuild runs; a live generation
     * in service has long been vacuumed.
     */
    private void settle(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            c.setAutoCommit(true);
            for (String t : org.etat.projection.ReadModelSchema.TABLES) {
                st.execute("VACUUM (ANALYZE) " + org.etat.projection.ReadModelSchema.LIVE.table(t));
            }
            st.execute("CHECKPOINT");
        }
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (count(ds, "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'") > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(100_000_000L);
        }
        cleanHeap();
    }

    /**
     * A full collection before a measured run, as a process that starts the job finds its heap:
     * without it, what the warm-ups left in the old generation was collected at a random point of
     * the measured run (a 360-580 ms full pause, once in the middle of the rebuild).
     */
    private static void cleanHeap() {
        System.gc();
    }

    /** The JVM's collectors, e.g. "PS MarkSweep, PS Scavenge" (the launcher picks one per command, see ./etat). */
    static String garbageCollectors() {
        List<String> names = new ArrayList<>();
        for (java.lang.management.GarbageCollectorMXBean gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            names.add(gc.getName());
        }
        return String.join(", ", names);
    }

    /** Time the collectors spent collecting so far (ms, all collectors; stop-the-world pauses for the throughput collector). */
    private static long gcMillis() {
        long sum = 0;
        for (java.lang.management.GarbageCollectorMXBean gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            sum += Math.max(0, gc.getCollectionTime());
        }
        return sum;
    }

    /** Time the JIT compiler threads spent compiling so far (ms, summed over compiler threads). */
    private static long jitMillis() {
        java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
    }

    /** Warm-up runs of each side at most; a side has settled once the JIT compiles for less than this share of a run's wall time. */
    static final int MAX_WARM_UPS = 4;
    static final double SETTLED_JIT_SHARE = 0.05;

    /** Phases of the job that are not the rebuild itself (waiting, bringing the live side along, digests, the swap). */
    static final java.util.Set<String> NOT_REBUILDING = java.util.Set.of("queued", "bring live to the same events", "digests", "switch over");
    /** The phase that starts once the rebuilt generation is complete. */
    static final String LIVE_PHASE = "bring live to the same events";

    private RebuildJob rebuild(RebuildService rebuilds, String label, java.util.function.Consumer<String> phases) {
        out.printf("%s...%n", label);
        RebuildJob job = rebuilds.run(new RebuildService.Progress() {
            @Override
            public void jobPhase(String name) {
                phases.accept(name);
            }

            long total;
            long done;
            long shown;

            @Override
            public void phase(String name, long t) {
                total = t;
                done = 0;
                shown = 0;
            }

            @Override
            public void advance(long events) {
                done += events;
                if (done - shown >= 100_000) {
                    shown = done;
                    out.printf("\r  %,d / %,d events", done, total);
                }
            }

            @Override
            public void endPhase() {
                out.println();
            }
        });
        if (job.state() != RebuildJob.State.SUCCEEDED) {
            throw new IllegalStateException(label + " failed: " + job.status().error());
        }
        out.printf("  phases (ms): %s; digests match: %s%n", job.phaseMillis(), job.digestsMatch());
        return job;
    }

    /**
     * Open loop: request i is due at start + i / rate; workers take the next due request, wait for its
     * time, run it; latency is from when it was due, so a slow request delays (and counts in) those after it.
     */
    private Latency openLoop(String name, IntConsumer request) throws Exception {
        int rate = settings.queryRate();
        int total = rate * settings.querySeconds();
        // Warm-up: a second's worth, not measured.
        for (int i = 0; i < Math.min(rate, 2_000); i++) {
            request.accept(-1 - i);
        }
        long[] latencies = new long[total];
        AtomicLong next = new AtomicLong();
        long periodNanos = 1_000_000_000L / rate;
        long start = System.nanoTime() + 50_000_000L;
        ExecutorService workers = Executors.newFixedThreadPool(settings.queryThreads());
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < settings.queryThreads(); w++) {
                running.add(workers.submit(() -> {
                    for (long i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                        long due = start + i * periodNanos;
                        long wait;
                        while ((wait = due - System.nanoTime()) > 0) {
                            LockSupport.parkNanos(wait);
                        }
                        request.accept((int) i);
                        latencies[(int) i] = System.nanoTime() - due;
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        } finally {
            workers.shutdownNow();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long[] sorted = latencies.clone();
        Arrays.sort(sorted);
        Latency l = new Latency(name, rate, total, total / elapsed, millis(AppendBenchmark.percentile(sorted, 0.50)),
                millis(AppendBenchmark.percentile(sorted, 0.99)), millis(AppendBenchmark.percentile(sorted, 0.999)), millis(sorted[sorted.length - 1]));
        out.printf("%s at %,d req/s open-loop for %d s (%d threads): p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms%n", name, rate,
                settings.querySeconds(), settings.queryThreads(), l.p50Millis(), l.p99Millis(), l.p999Millis(), l.maxMillis());
        return l;
    }

    private static void deleteRecursively(Path dir) {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (java.io.IOException e) {
            // a temporary directory; the OS cleans it eventually
        }
    }

    private static int mix(int i) {
        int h = i * 0x9E3779B1;
        return h ^ (h >>> 15);
    }

    private static double millis(double nanos) {
        return nanos / 1e6;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** Where PostgreSQL's WAL stands, in bytes since its start. */
    private static long walBytes(DataSource ds) {
        try {
            return count(ds, "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long count(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
