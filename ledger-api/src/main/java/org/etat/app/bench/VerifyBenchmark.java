package org.etat.app.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.etat.app.audit.AuditSerializers;
import org.etat.app.audit.AuditService;
import org.etat.app.audit.AuditVerification;
import org.etat.app.audit.JdbcAuditChainStore;
import org.etat.app.audit.JdbcRawEventReader;
import org.etat.app.audit.Progress;
import org.etat.app.audit.RawLogRead;
import org.etat.app.audit.VerificationReport;
import org.etat.ledger.audit.VerificationResult;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;

/**
 * {@code etat bench verify}: how fast the log is verified, against what reading it costs. On its own
 * embedded PostgreSQL 17, N events (real serialized ledger events, written with COPY by
 * {@link SyntheticLog}) and their chain; then, each R times after one warm-up:
 * <ol>
 *   <li>raw: one JDBC pass over the same columns (fetch size 1,000, one transaction) and one SHA-256
 *       over each row's fields: the floor of any verification that reads every byte;</li>
 *   <li>chain: {@link AuditService#verifyChain()}: rows and stored links read side by side, the
 *       canonical encoding, leaf and chain hash recomputed and compared (what the brief's target is about);</li>
 *   <li>full: {@link AuditVerification#verify}: the chain plus the conservation check over every
 *       event deserialized (what {@code ./etat verify} and the HTTP verification run).</li>
 * </ol>
 */
public final class VerifyBenchmark {

    /** {@code data}: where the embedded PostgreSQL lives and is kept (a log written there earlier with the same events, lines and seed is reused); null: a temporary directory, deleted after. */
    public record Settings(long events, int lines, int runs, long seed, Path out, boolean full, Path data) {
        public Settings(long events, int lines, int runs, long seed, Path out, boolean full) {
            this(events, lines, runs, seed, out, full, null);
        }

        public Settings {
            if (lines < 1 || lines > 10_000) {
                throw new IllegalArgumentException("--lines must be 1..10,000");
            }
            if (events < 2L * lines || events > 20_000_000) {
                throw new IllegalArgumentException("--events must be 2 x lines..20,000,000");
            }
            if (runs < 1 || runs > 20) {
                throw new IllegalArgumentException("--runs must be 1..20");
            }
        }
    }

    /** One mode's runs, in seconds, with the JVM's and PostgreSQL's CPU time per event of each run. */
    public record Mode(String name, String what, List<Double> seconds, List<Double> cpuMicrosPerEvent, List<Double> postgresCpuMicrosPerEvent,
            long events) {
        double cpuMedian() {
            return medianOf(cpuMicrosPerEvent);
        }

        double postgresCpuMedian() {
            return medianOf(postgresCpuMicrosPerEvent);
        }

        private static double medianOf(List<Double> values) {
            List<Double> s = values.stream().sorted().toList();
            return s.get(s.size() / 2);
        }

        double median() {
            List<Double> s = seconds.stream().sorted().toList();
            return s.get(s.size() / 2);
        }

        double best() {
            return seconds.stream().min(Comparator.naturalOrder()).orElseThrow();
        }

        double eventsPerSecondMedian() {
            return events / median();
        }

        double eventsPerSecondBest() {
            return events / best();
        }
    }

    static final double TARGET_EVENTS_PER_SECOND = 300_000;

    private final Settings settings;
    private final PrintStream out;

    public VerifyBenchmark(Settings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    public Path run() throws Exception {
        if (org.slf4j.LoggerFactory.getLogger("org.flywaydb") instanceof ch.qos.logback.classic.Logger flyway) {
            flyway.setLevel(ch.qos.logback.classic.Level.WARN);
        }
        boolean kept = settings.data() != null;
        Path dataDirectory = kept ? Files.createDirectories(settings.data().toAbsolutePath()) : Files.createTempDirectory("etat-bench-verify-pg");
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(dataDirectory).setCleanDataDirectory(!kept).start()) {
            PGSimpleDataSource ds = new PGSimpleDataSource();
            ds.setUrl(pg.getJdbcUrl("postgres", "postgres"));
            Flyway.configure().dataSource(ds).locations("classpath:db/migration").outOfOrder(true).load().migrate();
            Path marker = dataDirectory.resolve("etat-bench-verify.log");
            String logOf = "events=" + settings.events() + " lines=" + settings.lines() + " seed=" + settings.seed();
            if (kept && Files.exists(marker) && Files.readString(marker).equals(logOf)) {
                out.printf("Embedded PostgreSQL in %s holds the log (%s); reusing it%n", dataDirectory, logOf);
            } else {
                if (kept && countRows(ds) > 0) {
                    throw new IllegalStateException(dataDirectory + " holds another log than " + logOf + "; give an empty or new --data directory");
                }
                out.printf("Embedded PostgreSQL in %s; writing %,d events on %d lines and their chain ...%n", dataDirectory,
                        settings.events(), settings.lines());
                long t0 = System.nanoTime();
                try (Connection c = ds.getConnection()) {
                    new SyntheticLog(settings.lines(), settings.seed()).write(c, settings.events() - 2L * settings.lines(), true);
                    try (Statement st = c.createStatement()) {
                        st.execute("VACUUM ANALYZE domain_event_entry");
                        st.execute("VACUUM ANALYZE audit_chain");
                    }
                }
                out.printf("  written in %.1f s%n", (System.nanoTime() - t0) / 1e9);
                if (kept) {
                    Files.writeString(marker, logOf);
                }
            }
            Map<String, Object> data = dataFacts(ds);
            data.forEach((k, v) -> out.printf("  %-28s %s%n", k, v));
            CpuClock clock = new CpuClock(dataDirectory);
            try (HikariDataSource pool = pool(ds)) {
                List<Mode> modes = measureModes(pool, clock);
                out.println();
                out.print(table(modes));
                return write(data, modes);
            }
        } finally {
            if (!kept) {
                try (Stream<Path> files = Files.walk(dataDirectory)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (IOException ignored) {
                    // a temp directory left behind is harmless
                }
            }
        }
    }

    /**
     * The modes, on a small pool of connections that stay open for the whole measurement: PostgreSQL's
     * CPU is then read from live backends, not from exited ones the postmaster may not have reaped yet.
     */
    private List<Mode> measureModes(DataSource ds, CpuClock clock) throws Exception {
        JdbcRawEventReader reader = new JdbcRawEventReader();
        JdbcAuditChainStore store = new JdbcAuditChainStore();
        AuditService audit = new AuditService(ds, reader, store);
        AuditVerification full = new AuditVerification(ds, reader, store, AuditSerializers.eventSerializer(), Clock.systemUTC());

        List<Pass> passes = new ArrayList<>();
        passes.add(new Pass("raw", "binary COPY of the same columns in global order (as the verifier reads them) + one SHA-256 per row",
                () -> rawCopy(ds, reader)));
        passes.add(new Pass("raw-jdbc", "JDBC result set of the same columns + one SHA-256 per row (the earlier baseline)", () -> raw(ds)));
        passes.add(new Pass("chain", "AuditService.verifyChain: rows vs stored links (two binary COPY streams), canonical bytes hashed in place, leaf + chain hash", () -> {
            VerificationResult r = audit.verifyChain();
            if (!(r instanceof VerificationResult.Intact ok) || ok.eventsChecked() != settings.events()) {
                throw new IllegalStateException("the synthetic log does not verify: " + r);
            }
            return ok.eventsChecked();
        }));
        if (settings.full()) {
            passes.add(new Pass("full", "AuditVerification.verify: chain + conservation (every event deserialized, in parallel)", () -> {
                VerificationReport r = full.verify(null, null, Progress.NONE);
                if (!r.ok()) {
                    throw new IllegalStateException("the synthetic log does not verify: " + r.toJson());
                }
                return r.eventsChecked();
            }));
        }
        return measure(passes, clock);
    }

    private static HikariDataSource pool(PGSimpleDataSource ds) {
        HikariConfig config = new HikariConfig();
        config.setDataSource(ds);
        config.setMaximumPoolSize(4); // the full verification uses three at once, the raw passes one
        config.setMinimumIdle(4);
        config.setPoolName("bench-verify");
        return new HikariDataSource(config);
    }

    private static long countRows(PGSimpleDataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM domain_event_entry")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @FunctionalInterface
    private interface Work {
        long run() throws Exception;
    }

    private record Pass(String name, String what, Work work) {
    }

    /**
     * One warm-up of each mode, then the modes in turn, run after run (raw, chain, full, raw, ...), so
     * that the other load of a shared machine falls on all of them alike. Wall time and the JVM's
     * CPU time (all threads; PostgreSQL's own CPU is not included) per run.
     */
    private List<Mode> measure(List<Pass> passes, CpuClock clock) throws Exception {
        for (Pass p : passes) {
            out.printf("warm-up %s ...%n", p.name());
            check(p.work().run());
        }
        Map<String, List<Double>> seconds = new LinkedHashMap<>();
        Map<String, List<Double>> cpu = new LinkedHashMap<>();
        Map<String, List<Double>> postgresCpu = new LinkedHashMap<>();
        for (int i = 0; i < settings.runs(); i++) {
            for (Pass p : passes) {
                CpuClock.Reading start = clock.read();
                check(p.work().run());
                CpuClock.Reading used = clock.read().minus(start);
                double s = used.wallSeconds();
                double cpuMicrosPerEvent = used.jvmSeconds() * 1e6 / settings.events();
                double postgresMicrosPerEvent = used.postgresSeconds() * 1e6 / settings.events();
                seconds.computeIfAbsent(p.name(), k -> new ArrayList<>()).add(s);
                cpu.computeIfAbsent(p.name(), k -> new ArrayList<>()).add(cpuMicrosPerEvent);
                postgresCpu.computeIfAbsent(p.name(), k -> new ArrayList<>()).add(postgresMicrosPerEvent);
                out.printf("run %d %-8s %6.2f s  %5.2f us JVM CPU/event  %5.2f us PostgreSQL CPU/event  load %.1f%n", i + 1, p.name(), s,
                        cpuMicrosPerEvent, postgresMicrosPerEvent, used.loadAverage());
            }
        }
        List<Mode> modes = new ArrayList<>();
        for (Pass p : passes) {
            modes.add(new Mode(p.name(), p.what(), seconds.get(p.name()), cpu.get(p.name()), postgresCpu.get(p.name()), settings.events()));
        }
        return modes;
    }

    /** The baseline: the rows read as the verifier reads them, one SHA-256 over each. */
    private static long rawCopy(DataSource ds, JdbcRawEventReader reader) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                return RawLogRead.sha256PerRow(c, reader);
            } finally {
                c.rollback();
            }
        }
    }

    private void check(long events) {
        if (events != settings.events()) {
            throw new IllegalStateException("a pass saw " + events + " events, expected " + settings.events());
        }
    }

    /** The baseline: every column of every row read and hashed once. */
    private static long raw(DataSource ds) throws SQLException {
        MessageDigest sha = sha256();
        long rows = 0;
        byte[] sink = new byte[32];
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("SELECT global_index, event_identifier, type, aggregate_identifier, "
                    + "sequence_number, payload_type, payload_revision, payload, meta_data, time_stamp FROM domain_event_entry "
                    + "ORDER BY global_index")) {
                ps.setFetchSize(1_000);
                // The same JDBC settings as the verifier's cursor (JdbcCursor): binary results.
                ps.unwrap(org.postgresql.PGStatement.class).setPrepareThreshold(-1);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long index = rs.getLong(1);
                        sha.update((byte) index);
                        update(sha, rs.getString(2));
                        update(sha, rs.getString(3));
                        update(sha, rs.getString(4));
                        sha.update((byte) rs.getLong(5));
                        update(sha, rs.getString(6));
                        update(sha, rs.getString(7));
                        sha.update(rs.getBytes(8));
                        byte[] meta = rs.getBytes(9);
                        if (meta != null) {
                            sha.update(meta);
                        }
                        update(sha, rs.getString(10));
                        byte[] d = sha.digest();
                        sink[(int) (rows & 31)] ^= d[0];
                        rows++;
                    }
                }
            } finally {
                c.rollback();
            }
        }
        return rows;
    }

    private static void update(MessageDigest sha, String s) {
        if (s != null) {
            sha.update(s.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, Object> dataFacts(PGSimpleDataSource ds) throws SQLException {
        Map<String, Object> facts = new LinkedHashMap<>();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT current_setting('server_version'), pg_total_relation_size('domain_event_entry'), "
                        + "pg_total_relation_size('audit_chain'), (SELECT avg(octet_length(payload) + coalesce(octet_length(meta_data), 0)) "
                        + "FROM domain_event_entry)")) {
            rs.next();
            facts.put("postgresql", rs.getString(1));
            facts.put("event table MB", rs.getLong(2) / 1_000_000);
            facts.put("chain table MB", rs.getLong(3) / 1_000_000);
            facts.put("payload+metadata bytes/event", Math.round(rs.getDouble(4)));
        }
        facts.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        facts.put("available processors", Runtime.getRuntime().availableProcessors());
        facts.put("load average (1 min) before measuring",
                String.format("%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        return facts;
    }

    private String table(List<Mode> modes) {
        double raw = modes.get(0).eventsPerSecondMedian();
        StringBuilder t = new StringBuilder();
        t.append(String.format("| mode | what | runs (s) | median s | events/s (median) | events/s (best) | x raw | JVM CPU us/event "
                + "(median) | PostgreSQL CPU us/event (median) |%n"));
        t.append(String.format("| --- | --- | --- | --- | --- | --- | --- | --- | --- |%n"));
        for (Mode m : modes) {
            t.append(String.format("| %s | %s | %s | %.2f | %,.0f | %,.0f | %.2f | %.2f | %.2f |%n", m.name(), m.what(),
                    String.join(", ", m.seconds().stream().map(s -> String.format("%.2f", s)).toList()), m.median(),
                    m.eventsPerSecondMedian(), m.eventsPerSecondBest(), m.eventsPerSecondMedian() / raw, m.cpuMedian(),
                    m.postgresCpuMedian()));
        }
        return t.toString();
    }

    private Path write(Map<String, Object> data, List<Mode> modes) throws IOException {
        Files.createDirectories(settings.out());
        data.put("load average (1 min) after measuring",
                String.format("%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        String command = "./etat bench verify --events " + settings.events() + " --lines " + settings.lines() + " --runs " + settings.runs()
                + " --seed " + settings.seed() + (settings.full() ? "" : " --no-full") + (settings.data() == null ? "" : " --data " + settings.data());
        Mode chain = modes.stream().filter(m -> m.name().equals("chain")).findFirst().orElseThrow();
        boolean met = chain.eventsPerSecondMedian() >= TARGET_EVENTS_PER_SECOND;
        StringBuilder md = new StringBuilder();
        md.append("# Verification benchmark\n\n");
        md.append("Measured ").append(Instant.now()).append(" with\n\n```\n").append(command).append("\n```\n\n");
        md.append("| fact | value |\n| --- | --- |\n");
        md.append("| events | ").append(String.format("%,d", settings.events())).append(" |\n");
        data.forEach((k, v) -> md.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        md.append("\n").append(table(modes)).append("\n");
        double cores = Runtime.getRuntime().availableProcessors();
        double loadBefore = Double.parseDouble(String.valueOf(data.get("load average (1 min) before measuring")).replace(',', '.'));
        double loadAfter = Double.parseDouble(String.valueOf(data.get("load average (1 min) after measuring")).replace(',', '.'));
        if (Math.max(loadBefore, loadAfter) > cores) {
            md.append(String.format("**Measured under load** (load average %.1f -> %.1f on %.0f cores): the wall-clock rates say more about the "
                    + "other processes than about the verifier; compare the ratio to raw and the CPU per event.%n%n", loadBefore, loadAfter, cores));
        }
        md.append("raw = the floor: the rows read as the verifier reads them and one SHA-256 per row (no chain table). "
                + "chain = the figure the target is about; it does not include the conservation check, which full adds.\n\n");
        md.append(String.format("Target: chain verification >= %,.0f events/s: %s (median %,.0f events/s).%n", TARGET_EVENTS_PER_SECOND,
                met ? "met" : "NOT met", chain.eventsPerSecondMedian()));
        Files.writeString(settings.out().resolve("verify.md"), md.toString());

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("command", command);
        json.put("measuredAt", Instant.now().toString());
        json.put("events", settings.events());
        json.put("lines", settings.lines());
        json.put("facts", data);
        List<Map<String, Object>> list = new ArrayList<>();
        for (Mode m : modes) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("mode", m.name());
            e.put("what", m.what());
            e.put("seconds", m.seconds());
            e.put("jvmCpuMicrosPerEvent", m.cpuMicrosPerEvent());
            e.put("postgresCpuMicrosPerEvent", m.postgresCpuMicrosPerEvent());
            e.put("eventsPerSecondMedian", Math.round(m.eventsPerSecondMedian()));
            e.put("eventsPerSecondBest", Math.round(m.eventsPerSecondBest()));
            e.put("ratioToRaw", Math.round(m.eventsPerSecondMedian() / modes.get(0).eventsPerSecondMedian() * 100) / 100.0);
            list.add(e);
        }
        json.put("modes", list);
        json.put("targetEventsPerSecond", TARGET_EVENTS_PER_SECOND);
        json.put("targetMet", met);
        Path file = settings.out().resolve("verify.json");
        Files.writeString(file, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json) + "\n");
        out.printf("%nWrote %s and verify.md%n", file);
        return file;
    }
}
