package org.etat.app.faults;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.etat.app.kafka.KafkaSettings;
import org.etat.app.ledger.EventLog;

/**
 * The fault suite (issue 9): each scenario runs the application as separate processes on its own
 * database of one PostgreSQL server process, drives it with retrying clients, injects its fault and
 * ends every repetition with {@link LedgerChecks}. Short mode is what the normal test run executes.
 */
public final class FaultSuite {

    /** How a suite run is set up. */
    public record Options(boolean full, Path workDirectory, long seed, Set<Integer> scenarios, PrintStream out) {
    }

    /** What one scenario did and found. */
    public record ScenarioResult(int number, String name, int runs, long attempted, long acknowledged, long refused, long found, long lost,
            long duplicated, List<Long> recoverMillis, List<String> failures, List<String> notes, Map<String, Long> answers) {

        public boolean passed() {
            return failures.isEmpty() && lost == 0 && duplicated == 0;
        }
    }

    /** A killed node keeps its unfinished Idempotency-Key claims; the default takeover after 2 minutes would only slow the suite. */
    static final String STALE_CLAIM = "-Detat.http.idempotency.stale-after=PT5S";
    static final String CLOCK_BEHIND = "PT-10M";

    private final Options options;
    private final Duration load;
    private final Duration outage;
    private final long startNanos = System.nanoTime();

    public FaultSuite(Options options) {
        this.options = options;
        this.load = options.full() ? Duration.ofSeconds(10) : Duration.ofSeconds(5);
        this.outage = options.full() ? Duration.ofSeconds(10) : Duration.ofSeconds(5);
    }

    public List<ScenarioResult> run() throws Exception {
        return run(done -> { });
    }

    /** Runs the scenarios; {@code progress} sees the results so far after each one (a long full run reports as it goes). */
    public List<ScenarioResult> run(java.util.function.Consumer<List<ScenarioResult>> progress) throws Exception {
        List<ScenarioResult> results = new ArrayList<>() {
            @Override
            public boolean add(ScenarioResult r) {
                boolean added = super.add(r);
                progress.accept(List.copyOf(this));
                return added;
            }
        };
        try (PgServer pg = new PgServer(options.workDirectory(), freePort())) {
            pg.initAndStart();
            if (wanted(1)) {
                results.add(killApplication(pg, options.full() ? 20 : 2));
            }
            if (wanted(2)) {
                results.add(stopDatabase(pg, options.full() ? 5 : 1));
            }
            if (wanted(3)) {
                results.add(twoNodesHotLines(pg, options.full() ? 5 : 1));
            }
            if (wanted(4)) {
                results.add(oppositeReallocations(pg, options.full() ? 5 : 1));
            }
            if (wanted(5)) {
                results.add(clockSkew(pg, options.full() ? 3 : 1));
            }
            if (wanted(6)) {
                results.add(killKafka(pg, options.full() ? 2 : 1));
            }
        }
        return results;
    }

    private boolean wanted(int scenario) {
        return options.scenarios() == null || options.scenarios().isEmpty() || options.scenarios().contains(scenario);
    }

    /** The shared shape of a scenario: nodes, a workload per repetition, the fault, the checks. */
    private final class Run implements AutoCloseable {
        final int number;
        final String name;
        final List<AppNode> nodes = new ArrayList<>();
        final List<LedgerClient> clients = new ArrayList<>();
        final LedgerClient.Stats stats = new LedgerClient.Stats();
        final Workload workload;
        final LedgerChecks checks;
        final List<Long> recoverMillis = new ArrayList<>();
        final List<String> failures = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        final long deadlineNanos;
        int runs;
        LedgerChecks.Result last;

        Run(PgServer pg, int number, String name, List<List<String>> nodeProperties) throws Exception {
            this.number = number;
            this.name = name;
            String db = "faults_s" + number;
            pg.createDatabase(db);
            Path dir = options.workDirectory().resolve("scenario-" + number);
            for (int i = 0; i < nodeProperties.size(); i++) {
                List<String> props = new ArrayList<>(List.of(STALE_CLAIM));
                props.addAll(nodeProperties.get(i));
                AppNode node = new AppNode("node-" + (char) ('a' + i), freePort(), pg.jdbcUrl(db), props, dir);
                say("scenario %d: starting %s", number, node.name());
                node.start(); // one after the other: the first runs the migrations
                nodes.add(node);
                clients.add(new LedgerClient(node.base(), stats));
            }
            workload = new Workload("s" + number, options.seed() + number);
            checks = new LedgerChecks(pg.jdbcUrl(db));
            deadlineNanos = System.nanoTime() + TimeUnit.MINUTES.toNanos(options.full() ? 120 : 20);
        }

        /** Opens this repetition's lines, each with its appropriation, and returns their ids. */
        List<String> lines(int rep, long... appropriatedCents) {
            Map<String, Long> lines = new LinkedHashMap<>();
            for (int i = 0; i < appropriatedCents.length; i++) {
                lines.put(String.format("%s-%02d%03d-5%04d", Workload.YEAR, 90 + number, rep, i + 1), appropriatedCents[i]);
            }
            workload.openLines(clients.get(0), lines, deadlineNanos);
            return new ArrayList<>(lines.keySet());
        }

        void check(int rep, boolean clock) throws Exception {
            say("scenario %d, repetition %d: checks", number, rep);
            last = checks.run(workload, clients, clock);
            say("scenario %d, repetition %d: %s (acknowledged %d, found %d, lost %d, duplicated %d)", number, rep,
                    last.failures.isEmpty() ? "all checks held" : last.failures.size() + " failures", last.acknowledged, last.found, last.lost,
                    last.duplicated);
            last.failures.forEach(f -> failures.add("repetition " + rep + ": " + f));
            if (rep == 1 || !last.failures.isEmpty()) {
                last.notes.forEach(n -> notes.add("repetition " + rep + ": " + n));
            }
            runs++;
        }

        /** Waits for the first acknowledgement after {@code fromNanos}; records the time to recover. */
        void awaitRecovery(long fromNanos) {
            while (stats.firstAckAfterNanos.get() == 0 && System.nanoTime() < deadlineNanos) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
            long ack = stats.firstAckAfterNanos.get();
            if (ack == 0) {
                failures.add("no write was acknowledged after the fault");
            } else {
                recoverMillis.add(TimeUnit.NANOSECONDS.toMillis(ack - fromNanos));
            }
            stats.recoveryStartNanos = Long.MAX_VALUE;
        }

        void markRecoveryFrom(long nanos) {
            stats.firstAckAfterNanos.set(0);
            stats.recoveryStartNanos = nanos;
        }

        ScenarioResult result() {
            LedgerChecks.Result r = last == null ? new LedgerChecks.Result() : last;
            Map<String, Long> answers = new TreeMap<>(stats.snapshot());
            return new ScenarioResult(number, name, runs, workload.entriesAttempted(), r.acknowledged,
                    workload.entries(LedgerClient.Outcome.REFUSED), r.found, r.lost, r.duplicated, recoverMillis, failures, notes, answers);
        }

        @Override
        public void close() {
            nodes.forEach(AppNode::stop);
        }
    }

    /** 1. kill -9 of the application during load; restart it; the clients resume. */
    private ScenarioResult killApplication(PgServer pg, int reps) throws Exception {
        try (Run run = new Run(pg, 1, "kill -9 of the application during load", List.of(List.of()))) {
            for (int rep = 1; rep <= reps; rep++) {
                List<String> lines = run.lines(rep, 5_000_000_00L, 5_000_000_00L, 5_000_000_00L, 20_000_00L);
                run.workload.start(run.clients, 4, lines, Workload.Mix.SPEND, 500_00L, run.deadlineNanos);
                pause(load);
                long killed = System.nanoTime();
                run.markRecoveryFrom(killed);
                run.nodes.get(0).kill9();
                say("scenario 1, repetition %d: node killed; restarting", rep);
                run.nodes.get(0).start();
                run.awaitRecovery(killed);
                pause(load);
                run.workload.stopAndJoin();
                run.check(rep, false);
            }
            return run.result();
        }
    }

    /** 2. PostgreSQL killed hard during load, restarted after a while: 503 with Retry-After meanwhile, then recovery. */
    private ScenarioResult stopDatabase(PgServer pg, int reps) throws Exception {
        try (Run run = new Run(pg, 2, "PostgreSQL killed (SIGKILL) during load, restarted", List.of(List.of()))) {
            for (int rep = 1; rep <= reps; rep++) {
                List<String> lines = run.lines(rep, 5_000_000_00L, 5_000_000_00L, 20_000_00L);
                run.workload.start(run.clients, 4, lines, Workload.Mix.SPEND, 500_00L, run.deadlineNanos);
                pause(load);
                Map<String, Long> before = run.stats.windowSnapshot();
                run.stats.faultWindow = true;
                pg.killHard();
                say("scenario 2, repetition %d: PostgreSQL killed", rep);
                pause(outage);
                run.stats.faultWindow = false;
                pg.start();
                long restarted = System.nanoTime();
                run.markRecoveryFrom(restarted);
                say("scenario 2, repetition %d: PostgreSQL restarted", rep);
                run.awaitRecovery(restarted);
                pause(load);
                run.workload.stopAndJoin();
                Map<String, Long> window = new TreeMap<>(run.stats.windowSnapshot());
                before.forEach((k, v) -> window.merge(k, -v, Long::sum));
                run.notes.add("repetition " + rep + ": answers while PostgreSQL was down: " + window
                        + "; longest attempt " + run.stats.maxAttemptMillisInWindow.get() + " ms");
                if (window.getOrDefault("503 with Retry-After", 0L) == 0) {
                    run.failures.add("repetition " + rep + ": no 503 with Retry-After while PostgreSQL was down: " + window);
                }
                for (Map.Entry<String, Long> answer : window.entrySet()) {
                    String a = answer.getKey();
                    if (answer.getValue() > 0 && !a.equals("503 with Retry-After") && !a.startsWith("2") && !a.equals("409")) {
                        run.failures.add("repetition " + rep + ": " + answer.getValue() + " x '" + a + "' while PostgreSQL was down");
                    }
                }
                run.check(rep, false);
            }
            return run.result();
        }
    }

    /** 3. Two nodes on one database; clients on both race on the same hot lines: no overspend, identical read models. */
    private ScenarioResult twoNodesHotLines(PgServer pg, int reps) throws Exception {
        try (Run run = new Run(pg, 3, "two nodes, clients racing on the same hot lines", List.of(List.of(), List.of()))) {
            for (int rep = 1; rep <= reps; rep++) {
                List<String> lines = run.lines(rep, 3_000_00L, 3_000_00L, 1_000_000_00L);
                run.workload.start(run.clients, 2, lines, Workload.Mix.SPEND, 150_00L, run.deadlineNanos);
                pause(load.multipliedBy(2));
                run.workload.stopAndJoin();
                run.check(rep, false);
            }
            return run.result();
        }
    }

    /** 4. Opposite reallocations between the same two lines over both nodes: deadlocks resolve, no money created or lost. */
    private ScenarioResult oppositeReallocations(PgServer pg, int reps) throws Exception {
        try (Run run = new Run(pg, 4, "opposite reallocations racing over two nodes", List.of(List.of(), List.of()))) {
            for (int rep = 1; rep <= reps; rep++) {
                List<String> lines = run.lines(rep, 10_000_00L, 10_000_00L);
                run.workload.start(run.clients, 2, lines, Workload.Mix.REALLOCATE, 2_000_00L, run.deadlineNanos);
                pause(load.multipliedBy(2));
                run.workload.stopAndJoin();
                run.check(rep, false);
            }
            return run.result();
        }
    }

    /** 5. One node's clock 10 minutes behind the other's: recordedAt monotonic along every line, as-of queries right. */
    private ScenarioResult clockSkew(PgServer pg, int reps) throws Exception {
        List<String> behind = List.of("-Detat.test.mode=true", "-Detat.test.clock-offset=" + CLOCK_BEHIND);
        try (Run run = new Run(pg, 5, "one node's clock 10 minutes behind", List.of(List.of(), behind))) {
            for (int rep = 1; rep <= reps; rep++) {
                List<String> lines = run.lines(rep, 1_000_000_00L, 1_000_000_00L, 1_000_000_00L);
                run.workload.start(run.clients, 2, lines, Workload.Mix.SPEND, 500_00L, run.deadlineNanos);
                pause(load.multipliedBy(2));
                run.workload.stopAndJoin();
                run.check(rep, true);
            }
            return run.result();
        }
    }

    /**
     * 6. The Kafka broker (a process of its own) killed with SIGKILL during load and restarted after a
     * while: recording goes on meanwhile, and the topic ends complete (deduplicated by event id) with
     * each line's events in the line's order.
     */
    private ScenarioResult killKafka(PgServer pg, int reps) throws Exception {
        Path dir = options.workDirectory().resolve("scenario-6");
        try (KafkaBrokerProcess broker = new KafkaBrokerProcess(dir, freePort(), freePort())) {
            say("scenario 6: starting the Kafka broker");
            broker.start();
            // The publisher's own defaults (send timeout 30 s, 6 partitions): the suite tests what production runs.
            List<String> kafka = List.of("-Detat.kafka.bootstrap=" + broker.bootstrap());
            try (Run run = new Run(pg, 6, "Kafka broker killed (SIGKILL) during load, restarted", List.of(kafka));
                    TopicWatcher topic = new TopicWatcher(broker.bootstrap(), KafkaSettings.DEFAULT_TOPIC)) {
                for (int rep = 1; rep <= reps; rep++) {
                    List<String> lines = run.lines(rep, 5_000_000_00L, 5_000_000_00L, 20_000_00L);
                    run.workload.start(run.clients, 4, lines, Workload.Mix.SPEND, 500_00L, run.deadlineNanos);
                    pause(load);
                    // Kill a broker that is in use: wait until this repetition's events have begun to arrive.
                    long seen = topic.distinctEvents();
                    long publishing = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                    while (topic.distinctEvents() <= seen && System.nanoTime() < publishing) {
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
                    }
                    if (topic.distinctEvents() <= seen) {
                        run.failures.add("repetition " + rep + ": nothing of this repetition on the topic within 120 s of load");
                    }
                    Map<String, Long> before = run.stats.windowSnapshot();
                    run.stats.faultWindow = true;
                    broker.kill9();
                    say("scenario 6, repetition %d: Kafka broker killed", rep);
                    pause(outage);
                    long headAtRestart = run.checks.head();
                    broker.start();
                    run.stats.faultWindow = false;
                    long restarted = System.nanoTime();
                    say("scenario 6, repetition %d: Kafka broker restarted", rep);
                    pause(load);
                    run.workload.stopAndJoin();
                    Map<String, Long> window = new TreeMap<>(run.stats.windowSnapshot());
                    before.forEach((k, v) -> window.merge(k, -v, Long::sum));
                    window.values().removeIf(v -> v == 0);
                    run.notes.add("repetition " + rep + ": answers while the broker was down: " + window);
                    if (window.entrySet().stream().noneMatch(a -> a.getKey().startsWith("2") && a.getValue() > 0)) {
                        run.failures.add("repetition " + rep + ": no write acknowledged while the broker was down: " + window);
                    }
                    for (Map.Entry<String, Long> a : window.entrySet()) {
                        if (!a.getKey().startsWith("2") && !a.getKey().startsWith("4")) {
                            run.failures.add("repetition " + rep + ": " + a.getValue() + " x '" + a.getKey()
                                    + "' while the broker was down (recording must not wait for Kafka)");
                        }
                    }
                    run.check(rep, false);
                    topicChecks(run, rep, topic, restarted, headAtRestart);
                }
                return run.result();
            }
        }
    }

    /** The topic holds every event of the log (first copies by event id), no other, and each line's events in its order. */
    private void topicChecks(Run run, int rep, TopicWatcher topic, long restartedNanos, long headAtRestart) {
        List<EventLog.StoredEvent> events = run.checks.events();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        long missing = events.size();
        while (System.nanoTime() < deadline) {
            missing = events.stream().filter(e -> topic.firstArrivalNanos(e.eventId()) == null).count();
            if (missing == 0) {
                break;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
        String prefix = "repetition " + rep + ": ";
        if (missing > 0) {
            run.failures.add(prefix + missing + " of " + events.size() + " events of the log not on the topic within 180 s");
        }
        if (topic.distinctEvents() > events.size() - missing) {
            run.failures.add(prefix + (topic.distinctEvents() - (events.size() - missing)) + " events on the topic that the log does not hold");
        }
        topic.unreadable().forEach(u -> run.failures.add(prefix + "unreadable record on the topic: " + u));
        Map<String, List<String>> byLine = new LinkedHashMap<>();
        for (EventLog.StoredEvent e : events.stream().sorted(java.util.Comparator.comparingLong(EventLog.StoredEvent::sequenceNumber)).toList()) {
            byLine.computeIfAbsent(e.aggregateId(), k -> new ArrayList<>()).add(e.eventId());
        }
        Map<String, List<String>> arrived = topic.firstArrivalsByLine();
        if (missing == 0) {
            byLine.forEach((line, ids) -> {
                Set<String> own = Set.copyOf(ids);
                List<String> order = arrived.getOrDefault(line, List.of()).stream().filter(own::contains).toList();
                if (!order.equals(ids)) {
                    run.failures.add(prefix + "events of line " + line + " arrived out of the line's order");
                }
            });
        }
        long recover = 0;
        for (EventLog.StoredEvent e : events) {
            Long at = topic.firstArrivalNanos(e.eventId());
            if (e.globalIndex() <= headAtRestart && at != null) {
                recover = Math.max(recover, at - restartedNanos);
            }
        }
        if (missing == 0) {
            run.recoverMillis.add(TimeUnit.NANOSECONDS.toMillis(recover));
        }
        run.notes.add(prefix + "topic: " + topic.distinctEvents() + " distinct events in " + topic.records() + " records (the rest are re-sent copies, "
                + "dropped by event id); log: " + events.size() + " events; backlog at the restart on the topic after "
                + TimeUnit.NANOSECONDS.toMillis(recover) + " ms");
    }

    /** bench/results/faults.md */
    public static String report(List<ScenarioResult> results, Options options, Duration took) {
        StringBuilder md = new StringBuilder();
        md.append("# Fault suite results\n\n");
        md.append("Written by `./etat faults").append(options.full() ? " --full" : "").append("` on ").append(Instant.now())
                .append(" (seed ").append(options.seed()).append(", ").append(took.toSeconds()).append(" s). Variant: ")
                .append(options.full() ? "full" : "short (the one the normal test run executes)").append(". ")
                .append("What each scenario does and what is checked: [docs/faults.md](../../docs/faults.md). ")
                .append(machine()).append("\n\n");
        md.append("| # | scenario | runs | entries attempted | acknowledged | refused | found | lost | duplicated | time to recover | checks |\n");
        md.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |\n");
        for (ScenarioResult r : results) {
            md.append("| ").append(r.number()).append(" | ").append(r.name()).append(" | ").append(r.runs()).append(" | ")
                    .append(r.attempted()).append(" | ").append(r.acknowledged()).append(" | ").append(r.refused()).append(" | ")
                    .append(r.found()).append(" | ").append(r.lost()).append(" | ").append(r.duplicated()).append(" | ")
                    .append(recovery(r.recoverMillis())).append(" | ").append(r.passed() ? "all held" : "**FAILED**").append(" |\n");
        }
        md.append("\nEntries are counted per ledger entry (a batch of 12 is 12 entries; a reallocation is one entry with two legs). ")
                .append("Time to recover: from the kill (scenario 1) or the database restart (scenario 2) to the first acknowledged write; "
                        + "scenario 6: from the broker's restart until the topic held every event the log held at the restart; ")
                .append("median and maximum over the repetitions.\n");
        for (ScenarioResult r : results) {
            md.append("\n## ").append(r.number()).append(". ").append(r.name()).append("\n\n");
            md.append("- HTTP answers seen by the clients (all attempts): ").append(r.answers()).append('\n');
            r.notes().forEach(n -> md.append("- ").append(n).append('\n'));
            if (r.failures().isEmpty()) {
                md.append("- Checks: every acknowledged entry in the log exactly once; no refused entry in the log; line balances on every node ")
                        .append("equal the clients' model; conservation; audit chain; rebuild digests equal the live read models")
                        .append(r.number() == 5 ? "; recordedAt increasing along every line; as-of (knownAt) answers equal the log" : "")
                        .append(r.number() == 6 ? "; writes acknowledged while the broker was down; every event of the log on the topic "
                                + "(deduplicated by event id), no other, each line's in its order" : "")
                        .append(": all held.\n");
            } else {
                md.append("- **Failures:**\n");
                r.failures().stream().limit(30).forEach(f -> md.append("  - ").append(f.replace('|', '/')).append('\n'));
            }
        }
        return md.toString();
    }

    /** Times here depend on the machine and what else runs on it: say so next to them. */
    private static String machine() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return String.format(java.util.Locale.ROOT, "Machine: %d cores, load average %.1f when this was written (times grow with the load).",
                os.getAvailableProcessors(), os.getSystemLoadAverage());
    }

    private static String recovery(List<Long> millis) {
        if (millis.isEmpty()) {
            return "-";
        }
        List<Long> sorted = millis.stream().sorted().toList();
        long median = sorted.get(sorted.size() / 2);
        long max = sorted.get(sorted.size() - 1);
        return String.format("%.1f s (max %.1f s)", median / 1000.0, max / 1000.0);
    }

    private void say(String format, Object... args) {
        options.out().printf("faults [%4d s]: " + format + "%n", prepend(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos), args));
        options.out().flush();
    }

    private static Object[] prepend(Object first, Object[] rest) {
        Object[] all = new Object[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    private static void pause(Duration d) {
        long end = System.nanoTime() + d.toNanos();
        while (System.nanoTime() < end) {
            LockSupport.parkNanos(end - System.nanoTime());
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
