package org.etat.app.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
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
import org.etat.ledger.money.Money;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * HTTP append benchmark (issue #4): the application on a random port on its own embedded PostgreSQL
 * 17 (synchronous_commit=on), driven by {@link LoadClient}: keep-alive HTTP/1.1 connections with
 * blocking I/O, one thread each, as wrk drives a server. Batched: POST /api/v1/expenditure-batches
 * from {@code --batch-clients} clients back to back, with the read side paused and live. Single:
 * POST /api/v1/lines/{id}/expenditures, open loop at a fixed rate over {@code --connections}
 * connections, latency measured from each request's scheduled start (so a stall counts against every
 * request queued behind it). The same workloads through the Java {@link LedgerGateway}, on as many
 * threads, give the HTTP overhead. CPU is reported per entry for the JVM (and the client threads'
 * share of it) and for PostgreSQL.
 */
public final class HttpBenchmark {

    public record Settings(int entries, int batchSize, int batchClients, int singleRequests, int singleRate, int connections, int lines,
            long seed, Path out, boolean singleOnly) {
        public Settings {
            require(batchClients >= 1 && batchClients <= 64, "--batch-clients must be 1..64");
            require(connections >= 1 && connections <= 512, "--connections must be 1..512");
            require(entries >= 1 && entries <= 10_000_000, "--entries must be 1..10,000,000");
            require(batchSize >= 1 && batchSize <= Limits.MAX_BATCH_ENTRIES, "--batch-size must be 1.." + Limits.MAX_BATCH_ENTRIES);
            require(singleRequests >= 1 && singleRequests <= 1_000_000, "--single-requests must be 1..1,000,000");
            require(singleRate >= 1 && singleRate <= 20_000, "--rate must be 1..20,000 requests/s");
            require(lines >= 1 && lines <= 9_999, "--lines must be 1..9,999");
        }
    }

    /** One measured mode; latency per request (batched: per batch). */
    public record Phase(String mode, String client, int entriesPerRequest, int requests, int entries, double seconds,
            double entriesPerSecond, double p50Millis, double p99Millis, double maxMillis, int failures, double jvmCpuMicrosPerEntry,
            double clientCpuMicrosPerEntry, double postgresCpuMicrosPerEntry) {
    }

    static final String USER = "bench";
    static final String PASSWORD = "bench-password-not-secret";
    static final int YEAR = 2026;
    static final String KAPITEL = "09020";
    static final long APPROPRIATION_CENTS = 100_000_000_000_000L;
    static final double TARGET_BATCHED_ENTRIES_PER_SECOND = 10_000;
    static final double TARGET_SINGLE_P99_MILLIS = 10;
    static final Duration READ_SIDE_LIMIT = Duration.ofMinutes(10);
    /** Requests of each closed-loop warm-up of the single path, at most. */
    static final int WARM_UP_SINGLE_REQUESTS = 20_000;
    /** Warm-up rounds of the single path (HTTP, then gateway) after the first, at most, while the JIT is still busy. */
    static final int WARM_UP_MORE_ROUNDS = 16;
    /** Requests per further warm-up round, each way, at most (no more than the measured phase has). */
    static final int WARM_UP_ROUND_REQUESTS = 4_000;
    /** The JIT counts as settled when it compiled for less than this share of a round's wall time. */
    static final double JIT_SETTLED_SHARE = 0.05;
    static final String HTTP_PAUSED = "HTTP batched, read side paused";
    static final String GATEWAY_PAUSED = "gateway batched, read side paused";
    static final String HTTP_LIVE = "HTTP batched, read side live";
    static final String GATEWAY_LIVE = "gateway batched, read side live";
    static final String HTTP_SINGLE = "HTTP single, fixed rate";
    static final String GATEWAY_SINGLE = "gateway single, fixed rate";

    private final Settings settings;
    private final PrintStream out;
    private final Random random;
    private final List<String> lineIds = new ArrayList<>();
    private final AtomicInteger documentCounter = new AtomicInteger();
    private CpuClock cpu;
    /** JVM CPU time at the start of the current mode (client and server share the JVM). */
    private URI base;
    private String authorization;
    private String url;
    /** Requests sent twice because the first attempt lost its connection (not a failure, but reported). */
    private final AtomicInteger retries = new AtomicInteger();

    public HttpBenchmark(Settings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
        this.random = new Random(settings.seed());
    }

    public Path run() throws Exception {
        Path dataDirectory = Files.createTempDirectory("etat-bench-http-pg");
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(dataDirectory).setCleanDataDirectory(true)
                .setServerConfig("synchronous_commit", "on").setServerConfig("fsync", "on").setServerConfig("max_connections", "100")
                .start()) {
            url = pg.getJdbcUrl("postgres", "postgres");
            Map<String, String> serverSettings = AppendBenchmark.serverSettings(url);
            Map<String, String> env = Map.of(LedgerDatabase.URL_ENV, url, LedgerDatabase.USER_ENV, "postgres",
                    LedgerDatabase.PASSWORD_ENV, "postgres");
            List<Phase> phases = new ArrayList<>();
            try (LedgerDatabase db = LedgerDatabase.open(env, dataDirectory, 0, new PrintStream(PrintStream.nullOutputStream()));
                    ConfigurableApplicationContext app = ApplicationStarter.start(db, WebApplicationType.SERVLET, appProperties())) {
                String port = app.getEnvironment().getProperty("local.server.port");
                base = URI.create("http://127.0.0.1:" + port);
                authorization = "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
                cpu = new CpuClock(dataDirectory);
                LedgerGateway ledger = app.getBean(LedgerGateway.class);
                EventProcessingConfiguration processing = app.getBean(EventProcessingConfiguration.class);
                out.printf("Etat on %s, embedded PostgreSQL %s (synchronous_commit=%s)%n", base, serverSettings.get("server_version"),
                        serverSettings.get("synchronous_commit"));
                openLines(ledger);

                int warm = Math.max(10, Math.min(2_000, settings.entries() / 20));
                // Closed loop (no schedule), long enough for the JIT to finish with the request path: C2
                // compiling Spring's and Axon's code took a core for half a minute and, in an open loop at
                // a fixed rate, made a queue that the measured phase inherited.
                int warmSingle = Math.min(WARM_UP_SINGLE_REQUESTS, Math.max(2_000, settings.singleRequests() * 2));
                if (!settings.singleOnly()) {
                    httpBatched(warm, "warm-up");
                    gatewayBatched(ledger, warm, "warm-up");
                }
                warmUpSingle(ledger, warmSingle);

                awaitReadSide(processing);
                recycleWal();
                if (!settings.singleOnly()) {
                    processing.eventProcessors().values().forEach(EventProcessor::shutDown);
                    phases.add(httpBatched(settings.entries(), HTTP_PAUSED));
                    phases.add(gatewayBatched(ledger, settings.entries(), GATEWAY_PAUSED));
                    processing.eventProcessors().values().forEach(EventProcessor::start);
                    awaitReadSide(processing);
                    phases.add(httpBatched(settings.entries(), HTTP_LIVE));
                    awaitReadSide(processing);
                    phases.add(gatewayBatched(ledger, settings.entries(), GATEWAY_LIVE));
                    awaitReadSide(processing);
                }
                phases.add(httpSingle(settings.singleRequests(), HTTP_SINGLE, settings.singleRate()));
                awaitReadSide(processing);
                phases.add(gatewaySingle(ledger, settings.singleRequests(), GATEWAY_SINGLE, settings.singleRate()));
                if (settings.singleOnly()) {
                    // Where the single path's cost goes: the same runs with the projection and audit processors stopped.
                    awaitReadSide(processing);
                    processing.eventProcessors().values().forEach(EventProcessor::shutDown);
                    phases.add(httpSingle(settings.singleRequests(), HTTP_SINGLE + ", read side paused", settings.singleRate()));
                    phases.add(gatewaySingle(ledger, settings.singleRequests(), GATEWAY_SINGLE + ", read side paused", settings.singleRate()));
                    processing.eventProcessors().values().forEach(EventProcessor::start);
                }
                awaitReadSide(processing);
            }
            HttpReport report = new HttpReport(settings, serverSettings, phases, retries.get(), Instant.now());
            out.println();
            out.print(report.table());
            return report.write(settings.out());
        } finally {
            deleteRecursively(dataDirectory);
        }
    }

    private Map<String, Object> appProperties() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("server.port", "0");
        p.put("server.address", "127.0.0.1");
        // The client keeps connections while the bench waits for the read side; Tomcat must not drop them meanwhile.
        p.put("server.tomcat.keep-alive-timeout", "10m");
        p.put("etat.users", USER + ":" + PASSWORD + ":FINANCE");
        p.put("logging.level.root", "WARN");
        p.put("spring.jmx.enabled", "false");
        return p;
    }

    private void openLines(LedgerGateway ledger) {
        for (int i = 0; i < settings.lines(); i++) {
            String titel = String.format("5%04d", i);
            String lineId = YEAR + "-" + KAPITEL + "-" + titel;
            ledger.send(new OpenLine(lineId, TitleKey.of(KAPITEL, titel), "HTTP benchmark line " + i, LineKind.EXPENDITURE, false,
                    List.of(), null), USER, "http-bench-open-" + lineId);
            ledger.send(new EnactAppropriation(lineId, APPROPRIATION_CENTS, "Haushaltsgesetz " + YEAR, LocalDate.of(YEAR, 1, 1)), USER,
                    "http-bench-enact-" + lineId);
            lineIds.add(lineId);
        }
    }

    private RecordExpenditure expenditure() {
        int i = documentCounter.getAndIncrement();
        long cents;
        synchronized (random) {
            cents = 1 + random.nextInt(99_999);
        }
        return new RecordExpenditure(lineIds.get(i % lineIds.size()), cents, LocalDate.of(YEAR, 1, 1).plusDays(i % 365),
                "Benchmark: Geschäftsbedarf", "HB-" + AppendBenchmark.zeroPadded(i, 9), null);
    }

    private static String json(RecordExpenditure e, boolean withLine) {
        return "{" + (withLine ? "\"lineId\":\"" + e.lineId() + "\"," : "") + "\"amount\":\"" + Money.format(e.amountCents())
                + "\",\"effectiveDate\":\"" + e.effectiveDate() + "\",\"purpose\":\"" + e.purpose() + "\",\"documentReference\":\""
                + e.documentReference() + "\"}";
    }

    /**
     * Runs {@code work} for indexes 0..count-1 on {@code threads} threads, index i on thread i % threads, in
     * order; returns the CPU time the calling threads spent (the client's share where they only drive HTTP).
     */
    private static long onThreads(int threads, int count, String name, IndexTask work) throws Exception {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        java.util.concurrent.atomic.AtomicLong cpu = new java.util.concurrent.atomic.AtomicLong();
        List<Thread> running = new ArrayList<>();
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        for (int t = 0; t < Math.min(threads, count); t++) {
            int first = t;
            Thread thread = new Thread(() -> {
                long cpuStart = mx.getCurrentThreadCpuTime();
                try {
                    for (int i = first; i < count; i += threads) {
                        work.run(first, i);
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                } finally {
                    cpu.addAndGet(mx.getCurrentThreadCpuTime() - cpuStart);
                }
            }, name + "-" + t);
            thread.start();
            running.add(thread);
        }
        for (Thread thread : running) {
            thread.join();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("benchmark client failed", failure.get());
        }
        return cpu.get();
    }

    /** One request of a phase: {@code thread} is the client's number, {@code index} the request's. */
    @FunctionalInterface
    private interface IndexTask {
        void run(int thread, int index) throws Exception;
    }

    private LoadClient[] clients(int count) {
        LoadClient[] c = new LoadClient[count];
        for (int i = 0; i < count; i++) {
            c[i] = new LoadClient(base.getHost(), base.getPort(), authorization);
        }
        return c;
    }

    /** Closes the connections and counts their retries into the report's. */
    private void closeAll(LoadClient[] clients) {
        for (LoadClient c : clients) {
            c.close();
            retries.addAndGet(c.retries());
        }
    }

    /**
     * Open loop (as wrk2 does): request i is due at {@code start} + i / rate (rate 0: all at once, a
     * closed loop) and runs on thread i % threads, in order; its latency runs from its due time to its
     * answer, so a slow answer counts against every request queued behind it. Returns the threads' CPU.
     */
    /**
     * Closed-loop rounds of single writes, over HTTP and through the gateway, until the JIT has settled:
     * measured, C2 still compiled for a third of a core during the first measured phase after 20,000
     * requests each way, and that CPU was counted against the requests (bench/README.md, HTTP).
     */
    private void warmUpSingle(LedgerGateway ledger, int firstRound) throws Exception {
        java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        int requests = firstRound;
        for (int round = 0; round <= WARM_UP_MORE_ROUNDS; round++) {
            long compiled0 = jit.getTotalCompilationTime();
            long wall0 = System.nanoTime();
            httpSingle(requests, "warm-up", 0);
            gatewaySingle(ledger, requests, "warm-up", 0);
            long compiledMillis = jit.getTotalCompilationTime() - compiled0;
            double wallMillis = (System.nanoTime() - wall0) / 1e6;
            out.printf("  warm-up round %d: the JIT compiled for %,d ms in %,.0f ms%n", round + 1, compiledMillis, wallMillis);
            if (round > 0 && compiledMillis < JIT_SETTLED_SHARE * wallMillis) {
                return;
            }
            requests = Math.min(WARM_UP_ROUND_REQUESTS, Math.max(10, settings.singleRequests()));
        }
        out.println("  warm-up: the JIT had not settled; figures include its compilations");
    }

    /**
     * A checkpoint, so the measured phases write into recycled WAL segments, as a server does once it
     * has run past its first checkpoint. Before that, every 16 MB segment is created zero-filled and
     * fsynced (30-50 ms on this disk) while every commit waits: bursts of slow requests that only a
     * freshly created database has.
     */
    private void recycleWal() throws java.sql.SQLException {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, "postgres", "postgres");
                java.sql.Statement st = c.createStatement()) {
            st.execute("CHECKPOINT");
        }
    }

    private static long openLoop(int count, int threads, int rate, long start, String name, long[] latency, IndexTask request)
            throws Exception {
        long intervalNanos = rate == 0 ? 0 : 1_000_000_000L / rate;
        return onThreads(threads, count, name, (t, i) -> {
            long due = start + i * intervalNanos;
            waitUntil(due);
            request.run(t, i);
            latency[i] = System.nanoTime() - due;
        });
    }

    private void countFailure(AtomicInteger failures, String mode, LoadClient.Response response) {
        if (failures.incrementAndGet() == 1) {
            out.printf("  %s: HTTP %d %s%n", mode, response.status(), response.text());
        }
    }

    private Phase httpBatched(int count, String mode) throws Exception {
        int requests = (count + settings.batchSize() - 1) / settings.batchSize();
        long[] latency = new long[requests];
        AtomicInteger failures = new AtomicInteger();
        LoadClient[] connections = clients(settings.batchClients());
        CpuClock.Reading cpu0 = cpu.read();
        long start = System.nanoTime();
        long clientCpu;
        try {
            clientCpu = onThreads(connections.length, requests, "http-batch-client", (t, r) -> {
                int size = Math.min(settings.batchSize(), count - r * settings.batchSize());
                StringBuilder body = new StringBuilder(size * 180).append("{\"entries\":[");
                for (int i = 0; i < size; i++) {
                    body.append(i == 0 ? "" : ",").append(json(expenditure(), true));
                }
                body.append("]}");
                byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
                long t0 = System.nanoTime();
                LoadClient.Response response = connections[t].post("/api/v1/expenditure-batches", bytes,
                        "hb-" + mode.hashCode() + "-" + r + "-" + start);
                latency[r] = System.nanoTime() - t0;
                if (response.status() != 201) {
                    countFailure(failures, mode, response);
                }
            });
        } finally {
            closeAll(connections);
        }
        return phase(mode, "HTTP, " + connections.length + " client(s)", settings.batchSize(), requests, count, System.nanoTime() - start,
                latency, failures.get(), cpu0, clientCpu);
    }

    private Phase gatewayBatched(LedgerGateway ledger, int count, String mode) throws Exception {
        int requests = (count + settings.batchSize() - 1) / settings.batchSize();
        long[] latency = new long[requests];
        CpuClock.Reading cpu0 = cpu.read();
        long start = System.nanoTime();
        onThreads(settings.batchClients(), requests, "gateway-batch-client", (t, r) -> {
            int size = Math.min(settings.batchSize(), count - r * settings.batchSize());
            List<BatchEntry> entries = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                RecordExpenditure e = expenditure();
                entries.add(BatchEntry.expenditure(e.lineId(), e.amountCents(), e.effectiveDate(), e.purpose(), e.documentReference(), null));
            }
            long t0 = System.nanoTime();
            ledger.send(new RecordBatch(entries), USER, "gb-" + mode.hashCode() + "-" + r + "-" + start);
            latency[r] = System.nanoTime() - t0;
        });
        // The gateway runs each command on its caller's thread: no separate client share to report.
        return phase(mode, "Java gateway, " + Math.min(settings.batchClients(), requests) + " client(s)", settings.batchSize(), requests,
                count, System.nanoTime() - start, latency, 0, cpu0, -1);
    }

    /** Single writes over a fixed set of keep-alive connections, request i on connection i % connections ({@link #openLoop}). */
    private Phase httpSingle(int count, String mode, int rate) throws Exception {
        long[] latency = new long[count];
        AtomicInteger failures = new AtomicInteger();
        LoadClient[] connections = clients(settings.connections());
        byte[][] bodies = new byte[count][];
        String[] paths = new String[count];
        for (int i = 0; i < count; i++) {
            RecordExpenditure e = expenditure();
            bodies[i] = json(e, false).getBytes(StandardCharsets.UTF_8);
            paths[i] = "/api/v1/lines/" + e.lineId() + "/expenditures";
        }
        CpuClock.Reading cpu0 = cpu.read();
        long start = System.nanoTime() + 10_000_000L;
        long clientCpu;
        try {
            clientCpu = openLoop(count, connections.length, rate, start, "http-single-client", latency, (t, i) -> {
                LoadClient.Response response = connections[t].post(paths[i], bodies[i], "hs-" + mode.hashCode() + "-" + i + "-" + start);
                if (response.status() != 201) {
                    countFailure(failures, mode, response);
                }
            });
        } finally {
            closeAll(connections);
        }
        return phase(mode, (rate == 0 ? "HTTP, closed loop" : "HTTP, open loop at " + rate + "/s") + " over " + connections.length
                + " connections", 1, count, count, System.nanoTime() - start, latency, failures.get(), cpu0, clientCpu);
    }

    /** The same schedule through the gateway, on as many threads as connections. */
    private Phase gatewaySingle(LedgerGateway ledger, int count, String mode, int rate) throws Exception {
        long[] latency = new long[count];
        AtomicInteger failures = new AtomicInteger();
        RecordExpenditure[] commands = new RecordExpenditure[count];
        for (int i = 0; i < count; i++) {
            commands[i] = expenditure();
        }
        CpuClock.Reading cpu0 = cpu.read();
        long start = System.nanoTime() + 10_000_000L;
        openLoop(count, settings.connections(), rate, start, "gateway-single-client", latency, (t, i) -> {
            try {
                ledger.send(commands[i], USER, "gs-" + mode.hashCode() + "-" + i + "-" + start);
            } catch (RuntimeException ex) {
                failures.incrementAndGet();
            }
        });
        return phase(mode, (rate == 0 ? "Java gateway, closed loop" : "Java gateway, open loop at " + rate + "/s") + " on "
                + Math.min(settings.connections(), count) + " threads", 1, count, count, System.nanoTime() - start, latency, failures.get(),
                cpu0, -1);
    }

    private static void waitUntil(long dueNanos) {
        for (long left = dueNanos - System.nanoTime(); left > 0; left = dueNanos - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }

    private void awaitReadSide(EventProcessingConfiguration processing) throws java.sql.SQLException {
        AppendBenchmark.awaitReadSide(processing, url, READ_SIDE_LIMIT);
    }

    private Phase phase(String mode, String client, int perRequest, int requests, int entries, long elapsedNanos, long[] latencyNanos,
            int failures, CpuClock.Reading cpuStart, long clientCpuNanos) {
        CpuClock.Reading used = cpu.read().minus(cpuStart);
        double cpuMicrosPerEntry = used.jvmSeconds() * 1e6 / entries;
        double clientMicrosPerEntry = clientCpuNanos < 0 ? Double.NaN : clientCpuNanos / 1e3 / entries;
        double postgresMicrosPerEntry = used.postgresSeconds() * 1e6 / entries;
        dumpLatencies(mode, latencyNanos);
        long[] sorted = latencyNanos.clone();
        Arrays.sort(sorted);
        double seconds = elapsedNanos / 1e9;
        Phase p = new Phase(mode, client, perRequest, requests, entries, seconds, entries / seconds,
                AppendBenchmark.percentile(sorted, 0.50) / 1e6, AppendBenchmark.percentile(sorted, 0.99) / 1e6,
                sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6, failures, cpuMicrosPerEntry, clientMicrosPerEntry,
                postgresMicrosPerEntry);
        out.printf(Locale.ROOT, "  %-36s %,8d entries in %7.2f s = %,9.0f entries/s, p50 %8.2f ms, p99 %8.2f ms, max %8.2f ms, failed %d,"
                + " CPU us/entry: JVM %,.0f (client %,.0f), PostgreSQL %,.0f%n", mode, entries, seconds, p.entriesPerSecond(), p.p50Millis(),
                p.p99Millis(), p.maxMillis(), failures, cpuMicrosPerEntry, clientMicrosPerEntry, postgresMicrosPerEntry);
        return p;
    }

    /**
     * With {@code -Detat.bench.latencies=DIR}, each phase's latencies in schedule order (one per line, in
     * microseconds), to see whether slow requests come in bursts (a stall) or spread out (a queue).
     */
    private static void dumpLatencies(String mode, long[] latencyNanos) {
        String dir = System.getProperty("etat.bench.latencies");
        if (dir == null || mode.startsWith("warm-up")) {
            return;
        }
        StringBuilder sb = new StringBuilder(latencyNanos.length * 8);
        for (long l : latencyNanos) {
            sb.append(l / 1_000).append('\n');
        }
        try {
            Files.createDirectories(Path.of(dir));
            Files.writeString(Path.of(dir, mode.replaceAll("[^A-Za-z0-9]+", "-") + ".txt"), sb);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
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

    /** The figures as bench/results/http.md and http.json. */
    record HttpReport(Settings settings, Map<String, String> serverSettings, List<Phase> phases, int retries, Instant finishedAt) {

        Phase phase(String mode) {
            return phases.stream().filter(p -> p.mode().equals(mode)).findFirst().orElseThrow();
        }

        String command() {
            return "./etat bench http --entries " + settings.entries() + " --batch-size " + settings.batchSize() + " --batch-clients "
                    + settings.batchClients() + " --single-requests " + settings.singleRequests() + " --rate " + settings.singleRate()
                    + " --connections " + settings.connections() + " --lines " + settings.lines() + (settings.singleOnly() ? " --single-only" : "")
                    + " --out " + settings.out();
        }

        String table() {
            StringBuilder t = new StringBuilder();
            t.append("| mode | client | entries per request | requests | entries | seconds | entries/s | p50 ms | p99 ms | max ms | failed"
                    + " | JVM CPU us/entry | of it the client's | PostgreSQL CPU us/entry |\n");
            t.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            for (Phase p : phases) {
                t.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %d | %.2f | %.0f | %.2f | %.2f | %.2f | %d | %.0f | %s | %.0f |%n",
                        p.mode(), p.client(), p.entriesPerRequest(), p.requests(), p.entries(), p.seconds(), p.entriesPerSecond(),
                        p.p50Millis(), p.p99Millis(), p.maxMillis(), p.failures(), p.jvmCpuMicrosPerEntry(),
                        Double.isNaN(p.clientCpuMicrosPerEntry()) ? "in the gateway call" : String.format(Locale.ROOT, "%.0f",
                                p.clientCpuMicrosPerEntry()), p.postgresCpuMicrosPerEntry()));
            }
            return t.toString();
        }

        String markdown() {
            StringBuilder m = new StringBuilder("# HTTP append benchmark\n\n");
            m.append("Command: `").append(command()).append("`  \n");
            m.append("Finished: ").append(finishedAt.truncatedTo(ChronoUnit.SECONDS)).append("  \n");
            m.append("The application on a random port (HTTP/1.1, Basic auth, embedded PostgreSQL ").append(serverSettings.get("server_version"))
                    .append(", synchronous_commit=").append(serverSettings.get("synchronous_commit"))
                    .append("), the client in the same JVM (keep-alive connections, blocking I/O, a thread each: " + settings.batchClients() + " for batches, " + settings.connections() + " for single requests); expenditures round-robin across ").append(settings.lines())
                    .append(" lines. Batched latency is per batch request; single latency runs from each request's scheduled start"
                            + " (open loop, so queueing counts).\n\n");
            m.append(table()).append('\n');
            for (String[] pair : settings.singleOnly() ? List.<String[]>of()
                    : List.of(new String[] {HTTP_PAUSED, GATEWAY_PAUSED}, new String[] {HTTP_LIVE, GATEWAY_LIVE})) {
                Phase h = phase(pair[0]);
                Phase g = phase(pair[1]);
                m.append(String.format(Locale.ROOT, "- %s: %.0f entries/s (target >= %.0f: %s) = %.2f x the gateway's %.0f entries/s%n",
                        h.mode(), h.entriesPerSecond(), TARGET_BATCHED_ENTRIES_PER_SECOND,
                        h.entriesPerSecond() >= TARGET_BATCHED_ENTRIES_PER_SECOND ? "met" : "MISSED", h.entriesPerSecond() / g.entriesPerSecond(),
                        g.entriesPerSecond()));
            }
            Phase s = phase(HTTP_SINGLE);
            Phase gs = phase(GATEWAY_SINGLE);
            m.append(String.format(Locale.ROOT, "- %s at %d requests/s: p50 %.2f ms, p99 %.2f ms (target <= %.0f ms: %s), %d failed;"
                    + " the gateway at the same rate: p50 %.2f ms, p99 %.2f ms%n", s.mode(), settings.singleRate(), s.p50Millis(), s.p99Millis(),
                    TARGET_SINGLE_P99_MILLIS, s.p99Millis() <= TARGET_SINGLE_P99_MILLIS && s.failures() == 0 ? "met" : "MISSED", s.failures(),
                    gs.p50Millis(), gs.p99Millis()));
            m.append("- requests retried once after a lost connection (same Idempotency-Key): ").append(retries).append('\n');
            m.append(String.format(Locale.ROOT, "%nMachine: %d processors visible to the JVM (client, application and PostgreSQL share them),"
                    + " Java %s, %s %s.%n", Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                    System.getProperty("os.name"), System.getProperty("os.arch")));
            return m.toString();
        }

        Path write(Path dir) throws IOException {
            Files.createDirectories(dir);
            String name = settings.singleOnly() ? "http-single" : "http";
            Files.writeString(dir.resolve(name + ".md"), markdown(), StandardCharsets.UTF_8);
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("benchmark", "http");
            j.put("command", command());
            j.put("finishedAt", finishedAt.truncatedTo(ChronoUnit.SECONDS).toString());
            j.put("settings", Map.of("entries", settings.entries(), "batchSize", settings.batchSize(), "batchClients",
                    settings.batchClients(), "connections", settings.connections(), "singleRequests",
                    settings.singleRequests(), "rate", settings.singleRate(), "lines", settings.lines(), "seed", settings.seed()));
            j.put("postgres", serverSettings);
            j.put("phases", phases);
            j.put("retries", retries);
            j.put("availableProcessors", Runtime.getRuntime().availableProcessors());
            j.put("javaVersion", System.getProperty("java.version"));
            Path json = dir.resolve(name + ".json");
            AppendBenchmark.json().writeValue(json.toFile(), j);
            return json;
        }
    }
}
