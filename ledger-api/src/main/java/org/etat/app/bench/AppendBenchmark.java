package org.etat.app.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.etat.app.axon.SnapshotThread;
import org.etat.app.cli.ApplicationStarter;
import org.etat.app.cli.LedgerDatabase;
import org.etat.app.ledger.LedgerGateway;
import org.etat.ledger.batch.BatchEntry;
import org.etat.ledger.batch.RecordBatch;
import org.etat.ledger.budgetline.EnactAppropriation;
import org.etat.ledger.budgetline.LineKind;
import org.etat.ledger.budgetline.OpenLine;
import org.etat.ledger.budgetline.RecordExpenditure;
import org.etat.ledger.budgetline.TitleKey;
import org.etat.ledger.common.Limits;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The append benchmark of the foundation issue, in one run on its own embedded PostgreSQL 17
 * (synchronous_commit=on, fsync on): the same number of expenditures appended (1) as raw JDBC batch
 * inserts into a copy of domain_event_entry, (2) as single RecordExpenditure commands through the
 * {@link LedgerGateway} with 1..n client threads, (3) as RecordBatch commands. Ratios to the in-run
 * raw baseline are what to compare across machines; absolute figures depend on the disk.
 */
public final class AppendBenchmark {

    /** What to run; {@code singleEntries} may be lower than {@code entries} to bound the run time. */
    public record Settings(int entries, int singleEntries, int lines, int batchSize, List<Integer> threads,
            boolean rewriteBatchedInserts, int fsyncSeconds, long seed, Path out, Map<String, String> properties) {
        public Settings {
            require(entries >= 1 && entries <= 10_000_000, "--entries must be 1..10,000,000");
            require(singleEntries >= 1 && singleEntries <= entries, "--single-entries must be 1..--entries");
            require(lines >= 1 && lines <= 9_999, "--lines must be 1..9,999");
            require(batchSize >= 1 && batchSize <= Limits.MAX_BATCH_ENTRIES, "--batch-size must be 1.." + Limits.MAX_BATCH_ENTRIES);
            require(threads != null && !threads.isEmpty() && threads.stream().allMatch(t -> t >= 1 && t <= 64), "--threads must be 1..64 each");
            require(fsyncSeconds >= 0 && fsyncSeconds <= 10, "--fsync-seconds must be 0..10");
            threads = List.copyOf(threads);
            properties = properties == null ? Map.of() : Map.copyOf(new java.util.TreeMap<>(properties));
        }
    }

    /** One measured mode. Latency is per command (raw: per transaction of batchSize rows). */
    public record Phase(String mode, int threads, int entriesPerCommand, int commands, int entries, double seconds,
            double entriesPerSecond, double p50Millis, double p99Millis, double jvmCpuMicrosPerEntry) {
    }

    static final String PRINCIPAL = "bench";
    static final String RAW = "raw JDBC";
    /** On in application.properties; {@code --no-rewrite-batched-inserts} turns it off for a comparison. */
    static final String REWRITE_PROPERTY = "spring.datasource.hikari.data-source-properties.reWriteBatchedInserts";
    static final String RAW_NO_REWRITE = "raw JDBC, no reWriteBatchedInserts";
    static final Duration SNAPSHOT_DRAIN_LIMIT = Duration.ofSeconds(60);
    static final Duration READ_SIDE_LIMIT = Duration.ofMinutes(10);
    static final String BATCHED_PAUSED = "batched, read side paused";
    static final String BATCHED_LIVE = "batched, read side live";
    static final int YEAR = 2026;
    static final String KAPITEL = "09010";
    /** Per line: far more than any run can spend (at most 10^7 entries of under 1,000.00). */
    static final long APPROPRIATION_CENTS = 100_000_000_000_000L;
    static final long MAX_ENTRY_CENTS = 99_999L;
    static final List<String> SETTINGS_SHOWN = List.of("server_version", "synchronous_commit", "fsync", "wal_sync_method",
            "full_page_writes", "wal_level", "commit_delay", "shared_buffers", "max_wal_size", "wal_buffers");

    private final Settings settings;
    private final PrintStream out;
    private final Random random;
    private final List<String> lineIds = new ArrayList<>();
    private final Map<String, Long> nextSequence = new LinkedHashMap<>();
    private int requestCounter;
    private long cpuStart;

    public AppendBenchmark(Settings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
        this.random = new Random(settings.seed());
    }

    /** Runs every mode, prints the table and writes append.md and append.json; returns the json file. */
    public Path run() throws Exception {
        Path dataDirectory = Files.createTempDirectory("etat-bench-pg");
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(true)
                // zonky's default is synchronous_commit=off; every commit must reach the disk here.
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("fsync", "on")
                .setServerConfig("max_connections", "100")
                .start()) {
            String baseUrl = pg.getJdbcUrl("postgres", "postgres");
            String rawUrl = withParameter(baseUrl, "reWriteBatchedInserts=true");
            Map<String, String> serverSettings = serverSettings(baseUrl);
            out.printf("Embedded PostgreSQL %s in %s%n", serverSettings.get("server_version"), dataDirectory);
            serverSettings.forEach((k, v) -> out.printf("  %-20s %s%n", k, v));
            FsyncRate fsync = FsyncRate.measure(dataDirectory, settings.fsyncSeconds(), out);

            Map<String, String> env = Map.of(LedgerDatabase.URL_ENV, baseUrl, LedgerDatabase.USER_ENV, "postgres",
                    LedgerDatabase.PASSWORD_ENV, "postgres");
            List<Phase> phases = new ArrayList<>();
            long racesLost;
            long storedExpenditures;
            double readSideCatchUpSeconds;
            try (LedgerDatabase db = LedgerDatabase.open(env, dataDirectory, 0, new PrintStream(PrintStream.nullOutputStream()));
                    ConfigurableApplicationContext app = ApplicationStarter.start(db, WebApplicationType.NONE, appProperties())) {
                LedgerGateway ledger = app.getBean(LedgerGateway.class);
                openLines(ledger);
                // Warm-up (JIT, cache, pool): a little of every mode, not measured.
                int warm = warm(settings);
                single(ledger, Math.min(warm, settings.singleEntries()), 1);
                batched(ledger, warm, BATCHED_LIVE);
                byte[][] template = realEvent(rawUrl);
                raw(rawUrl, template, warm, RAW);
                raw(baseUrl, template, warm, RAW_NO_REWRITE);

                phases.add(raw(rawUrl, template, settings.entries(), RAW));
                // The driver's share: the same rows without reWriteBatchedInserts.
                phases.add(raw(baseUrl, template, settings.entries(), RAW_NO_REWRITE));
                for (int threads : settings.threads()) {
                    phases.add(single(ledger, settings.singleEntries(), threads));
                }
                // The recording figure: appends with the read side (projection, audit chain) paused, so
                // they do not share the 2 cores with it; then how long the read side needs to catch up,
                // and the same appends with the read side live, as the application runs by default.
                EventProcessingConfiguration processing = app.getBean(EventProcessingConfiguration.class);
                awaitReadSide(processing, rawUrl, READ_SIDE_LIMIT);
                processing.eventProcessors().values().forEach(EventProcessor::shutDown);
                phases.add(batched(ledger, settings.entries(), BATCHED_PAUSED));
                processing.eventProcessors().values().forEach(EventProcessor::start);
                long catchUpStart = System.nanoTime();
                awaitReadSide(processing, rawUrl, READ_SIDE_LIMIT);
                readSideCatchUpSeconds = (System.nanoTime() - catchUpStart) / 1e9;
                out.printf("  read side caught up with %,d entries in %.2f s%n", settings.entries(), readSideCatchUpSeconds);
                phases.add(batched(ledger, settings.entries(), BATCHED_LIVE));
                awaitReadSide(processing, rawUrl, READ_SIDE_LIMIT);
                racesLost = ledger.racesLost();
                awaitSnapshots(app.getBean(SnapshotThread.class), SNAPSHOT_DRAIN_LIMIT);
                storedExpenditures = countExpenditures(rawUrl);
            }
            long expected = 2L * settings.entries() + (long) Math.min(warm(settings), settings.singleEntries()) + warm(settings)
                    + (long) settings.singleEntries() * settings.threads().size();
            if (storedExpenditures != expected) {
                throw new IllegalStateException("stored " + storedExpenditures + " expenditures, expected " + expected);
            }
            AppendReport report = new AppendReport(settings, serverSettings, fsync, phases, readSideCatchUpSeconds, racesLost,
                    storedExpenditures, Instant.now());
            out.println();
            out.print(report.table());
            return report.write(settings.out());
        } finally {
            deleteRecursively(dataDirectory);
        }
    }

    /**
     * Lets queued snapshots finish before the context closes: the snapshot thread is not waited for on
     * close, and a snapshot started after the pool closed only logs a failure.
     */
    private void awaitSnapshots(SnapshotThread snapshots, Duration limit) {
        if (!(snapshots.executor() instanceof ThreadPoolExecutor pool)) {
            return;
        }
        long deadline = System.nanoTime() + limit.toNanos();
        while ((!pool.getQueue().isEmpty() || pool.getActiveCount() > 0) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        if (!pool.getQueue().isEmpty() || pool.getActiveCount() > 0) {
            out.printf("  (snapshots still queued after %s: %d)%n", limit, pool.getQueue().size());
        }
    }

    /**
     * Waits until every streaming processor (projection, audit chain) has processed the log up to its
     * head: each segment's token at or past the highest global index. (Axon's own caught-up flag is
     * stale right after a restart.)
     */
    static void awaitReadSide(EventProcessingConfiguration processing, String url, Duration limit) throws SQLException {
        long head;
        try (Connection c = DriverManager.getConnection(url, "postgres", "postgres");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT coalesce(max(global_index), -1) FROM domain_event_entry")) {
            rs.next();
            head = rs.getLong(1);
        }
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            boolean caughtUp = true;
            for (EventProcessor p : processing.eventProcessors().values()) {
                if (p instanceof StreamingEventProcessor s) {
                    Map<Integer, EventTrackerStatus> status = s.processingStatus();
                    caughtUp &= !status.isEmpty() && status.values().stream()
                            .allMatch(t -> !t.isErrorState() && t.getCurrentPosition().orElse(-1) >= head);
                }
            }
            if (caughtUp) {
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        throw new IllegalStateException("read side not caught up with global index " + head + " within " + limit);
    }

    private Map<String, Object> appProperties() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("logging.level.root", "WARN");
        p.put("spring.jmx.enabled", "false");
        p.put(REWRITE_PROPERTY, String.valueOf(settings.rewriteBatchedInserts()));
        p.putAll(settings.properties());
        return p;
    }

    private static int warm(Settings s) {
        return Math.max(10, Math.min(2_000, s.entries() / 20));
    }

    private void openLines(LedgerGateway ledger) {
        for (int i = 0; i < settings.lines(); i++) {
            String titel = String.format("5%04d", i);
            String lineId = YEAR + "-" + KAPITEL + "-" + titel;
            ledger.send(new OpenLine(lineId, TitleKey.of(KAPITEL, titel), "Benchmark line " + i, LineKind.EXPENDITURE, false, List.of(), null),
                    PRINCIPAL, "bench-open-" + lineId);
            ledger.send(new EnactAppropriation(lineId, APPROPRIATION_CENTS, "Haushaltsgesetz " + YEAR, LocalDate.of(YEAR, 1, 1)),
                    PRINCIPAL, "bench-enact-" + lineId);
            lineIds.add(lineId);
        }
    }

    private RecordExpenditure expenditure(int i) {
        String lineId = lineIds.get(i % lineIds.size());
        long cents;
        synchronized (random) {
            cents = 1 + (long) (random.nextDouble() * MAX_ENTRY_CENTS);
        }
        return new RecordExpenditure(lineId, cents, LocalDate.of(YEAR, 1, 1).plusDays(i % 365),
                "Benchmark: Geschäftsbedarf", "BEL-" + YEAR + "-" + zeroPadded(i, 8), null);
    }

    /** {@code value} in {@code digits} digits with leading zeros; String.format cost the client as much as a ledger step per entry. */
    static String zeroPadded(int value, int digits) {
        String s = Integer.toString(value);
        return s.length() >= digits ? s : "0".repeat(digits - s.length()) + s;
    }

    /** {@code count} RecordExpenditure commands, one per request, from {@code threads} client threads. */
    private Phase single(LedgerGateway ledger, int count, int threads) throws Exception {
        long[] latencyNanos = new long[count];
        AtomicInteger next = new AtomicInteger();
        String prefix = "bench-single-" + (requestCounter++) + "-";
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        cpuStart = jvmCpuNanos();
        long start = System.nanoTime();
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                        RecordExpenditure cmd = expenditure(i);
                        long t0 = System.nanoTime();
                        ledger.send(cmd, PRINCIPAL, prefix + i);
                        latencyNanos[i] = System.nanoTime() - t0;
                    }
                    return null;
                }));
            }
            for (Future<?> w : workers) {
                w.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return phase("single", threads, 1, count, count, System.nanoTime() - start, latencyNanos);
    }

    /** {@code count} expenditures as RecordBatch commands of batchSize entries, one client thread. */
    private Phase batched(LedgerGateway ledger, int count, String mode) {
        int commands = (count + settings.batchSize() - 1) / settings.batchSize();
        long[] latencyNanos = new long[commands];
        String prefix = "bench-batch-" + (requestCounter++) + "-";
        cpuStart = jvmCpuNanos();
        long start = System.nanoTime();
        for (int c = 0; c < commands; c++) {
            int from = c * settings.batchSize();
            int to = Math.min(count, from + settings.batchSize());
            List<BatchEntry> entries = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                RecordExpenditure e = expenditure(i);
                entries.add(BatchEntry.expenditure(e.lineId(), e.amountCents(), e.effectiveDate(), e.purpose(), e.documentReference(), null));
            }
            long t0 = System.nanoTime();
            ledger.send(new RecordBatch(entries), PRINCIPAL, prefix + c);
            latencyNanos[c] = System.nanoTime() - t0;
        }
        return phase(mode, 1, settings.batchSize(), commands, count, System.nanoTime() - start, latencyNanos);
    }

    /**
     * The ceiling: {@code count} rows of a real ExpenditureRecorded's payload and metadata, inserted
     * with JDBC batches of batchSize rows per transaction into a table shaped like domain_event_entry.
     */
    private Phase raw(String url, byte[][] template, int count, String mode) throws SQLException {
        int commands = (count + settings.batchSize() - 1) / settings.batchSize();
        long[] latencyNanos = new long[commands];
        String sql = "INSERT INTO bench_raw_event (aggregate_identifier, sequence_number, type, event_identifier, meta_data, payload,"
                + " payload_revision, payload_type, time_stamp) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
        try (Connection c = DriverManager.getConnection(url, "postgres", "postgres")) {
            createRawTable(c);
            c.setAutoCommit(false);
            cpuStart = jvmCpuNanos();
            long start = System.nanoTime();
            try (PreparedStatement insert = c.prepareStatement(sql)) {
                for (int b = 0; b < commands; b++) {
                    long t0 = System.nanoTime();
                    int from = b * settings.batchSize();
                    int to = Math.min(count, from + settings.batchSize());
                    for (int i = from; i < to; i++) {
                        String lineId = lineIds.get(i % lineIds.size());
                        long sequence = nextSequence.merge(lineId, 1L, Long::sum);
                        insert.setString(1, lineId);
                        insert.setLong(2, sequence);
                        insert.setString(3, "BudgetLine");
                        insert.setString(4, UUID.randomUUID().toString());
                        insert.setBytes(5, template[1]);
                        insert.setBytes(6, template[0]);
                        insert.setString(7, null);
                        insert.setString(8, "org.etat.ledger.budgetline.ExpenditureRecorded");
                        insert.setString(9, Instant.now().truncatedTo(ChronoUnit.MICROS).toString());
                        insert.addBatch();
                    }
                    insert.executeBatch();
                    c.commit();
                    latencyNanos[b] = System.nanoTime() - t0;
                }
            }
            return phase(mode, 1, settings.batchSize(), commands, count, System.nanoTime() - start, latencyNanos);
        }
    }

    /**
     * Same columns, constraints and indexes as the live domain_event_entry, copied from it so the
     * baseline cannot drift from the event store's schema. Defaults are not copied: the baseline
     * numbers its rows with its own identity, never with the event log's sequence.
     */
    private static void createRawTable(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet exists = s.executeQuery("SELECT to_regclass('bench_raw_event') IS NOT NULL")) {
            exists.next();
            if (exists.getBoolean(1)) {
                return; // every raw phase appends to the same table, as inserts into the log would
            }
        }
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE bench_raw_event (LIKE domain_event_entry INCLUDING ALL EXCLUDING DEFAULTS)");
            s.execute("ALTER TABLE bench_raw_event ALTER COLUMN global_index ADD GENERATED BY DEFAULT AS IDENTITY");
        }
    }

    /** Payload and metadata bytes of the latest ExpenditureRecorded recorded through the gateway. */
    private static byte[][] realEvent(String url) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "postgres", "postgres");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT payload, meta_data FROM domain_event_entry"
                        + " WHERE payload_type = 'org.etat.ledger.budgetline.ExpenditureRecorded' ORDER BY global_index DESC LIMIT 1")) {
            if (!rs.next()) {
                throw new IllegalStateException("no ExpenditureRecorded event to copy");
            }
            return new byte[][] {rs.getBytes(1), rs.getBytes(2)};
        }
    }

    private static long countExpenditures(String url) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "postgres", "postgres");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM domain_event_entry"
                        + " WHERE payload_type = 'org.etat.ledger.budgetline.ExpenditureRecorded'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static Map<String, String> serverSettings(String url) throws SQLException {
        Map<String, String> shown = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection(url, "postgres", "postgres"); Statement s = c.createStatement()) {
            for (String name : SETTINGS_SHOWN) {
                try (ResultSet rs = s.executeQuery("SHOW " + name)) {
                    rs.next();
                    shown.put(name, rs.getString(1));
                }
            }
        }
        return shown;
    }

    private Phase phase(String mode, int threads, int perCommand, int commands, int entries, long elapsedNanos, long[] latencyNanos) {
        long[] sorted = latencyNanos.clone();
        Arrays.sort(sorted);
        double seconds = elapsedNanos / 1e9;
        double cpuMicrosPerEntry = (jvmCpuNanos() - cpuStart) / 1e3 / entries;
        Phase p = new Phase(mode, threads, perCommand, commands, entries, seconds, entries / seconds,
                percentile(sorted, 0.50) / 1e6, percentile(sorted, 0.99) / 1e6, cpuMicrosPerEntry);
        out.printf("  %-34s threads %2d: %,8d entries in %7.2f s = %,9.0f entries/s, p50 %8.2f ms, p99 %8.2f ms, JVM CPU %6.0f us/entry%n",
                mode, threads, entries, seconds, p.entriesPerSecond(), p.p50Millis(), p.p99Millis(), cpuMicrosPerEntry);
        return p;
    }

    /** CPU time of the whole JVM (every thread: client, Axon, snapshots, GC), not PostgreSQL's. */
    static long jvmCpuNanos() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }

    static double percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static String withParameter(String url, String parameter) {
        return url + (url.contains("?") ? "&" : "?") + parameter;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    static ObjectMapper json() {
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }
}
