package org.etat.app.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.etat.app.cli.ApplicationStarter;
import org.etat.app.cli.LedgerDatabase;
import org.etat.app.importer.ImportFiles;
import org.etat.app.importer.ImportPlan;
import org.etat.app.importer.ImportProgress;
import org.etat.app.importer.ImportReport;
import org.etat.app.importer.ImportService;
import org.etat.app.importer.PlannedCommand;
import org.etat.app.importer.SourceFile;
import org.etat.app.ledger.EventLog;
import org.etat.ledger.budgetline.LineBalance;
import org.etat.ledger.budgetline.LineKind;
import org.etat.ledger.common.Limits;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The import benchmark of the import issue: one federal year (Soll CSV + Ist xlsx or CSV) imported
 * through the ledger's commands into a fresh embedded PostgreSQL 17 (synchronous_commit=on, fsync
 * on), in a fresh JVM, so the figure includes what a user waits for: reading and parsing the files,
 * then each phase of batches. Then the same import again (it must record nothing), and a check that
 * the ledger holds the planned totals to the cent. Projections and the audit chain run as in
 * production, asynchronously, and share the CPU with the import.
 */
public final class ImportBenchmark {

    /** What to run. */
    public record Settings(Path soll, Path ist, int year, int batchEntries, boolean readSidePaused, Path out, Map<String, String> properties,
            String commandLine) {
        public Settings {
            if (batchEntries < 1 || batchEntries > Limits.MAX_BATCH_ENTRIES) {
                throw new IllegalArgumentException("--batch-size must be 1.." + Limits.MAX_BATCH_ENTRIES);
            }
            properties = properties == null ? Map.of() : Map.copyOf(new java.util.TreeMap<>(properties));
        }
    }

    /** Target of the issue: one year in at most this many seconds on 2 cores. */
    static final double TARGET_SECONDS = 10.0;

    private final Settings settings;
    private final PrintStream out;
    private double loadAverageAtStart = Double.NaN;

    public ImportBenchmark(Settings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    /**
     * Runs the import twice, checks the totals, prints and writes import.md and import.json (with the read side
     * paused: import-read-side-paused.md|json); returns the json file.
     */
    public Path run() throws Exception {
        Path dataDirectory = Files.createTempDirectory("etat-bench-import-pg");
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(true)
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("fsync", "on")
                .setServerConfig("max_connections", "100")
                .start()) {
            String url = pg.getJdbcUrl("postgres", "postgres");
            Map<String, String> env = Map.of(LedgerDatabase.URL_ENV, url, LedgerDatabase.USER_ENV, "postgres",
                    LedgerDatabase.PASSWORD_ENV, "postgres");
            try (LedgerDatabase db = LedgerDatabase.open(env, dataDirectory, 0, new PrintStream(PrintStream.nullOutputStream()));
                    ConfigurableApplicationContext app = ApplicationStarter.start(db, WebApplicationType.NONE, appProperties())) {
                ImportService importer = app.getBean(ImportService.class);
                EventLog log = app.getBean(EventLog.class);
                EventProcessingConfiguration processing = app.getBean(EventProcessingConfiguration.class);
                AppendBenchmark.awaitReadSide(processing, url, AppendBenchmark.READ_SIDE_LIMIT);
                if (settings.readSidePaused()) {
                    processing.eventProcessors().values().forEach(EventProcessor::shutDown);
                }

                Clock clock = new Clock(new CpuClock(dataDirectory), dataDirectory);
                Map<String, Sample> phases = new LinkedHashMap<>();
                Reading readStart = clock.read();
                loadAverageAtStart = readStart.cpu().loadAverage();
                ImportPlan plan = ImportFiles.plan(settings.year(), settings.soll(), settings.ist(), settings.batchEntries());
                phases.put(READ, clock.read().minus(readStart));
                double readSeconds = phases.get(READ).cpu().wallSeconds();
                out.printf("read and planned %s%s in %.2f s: %d entries in %d batches%n", settings.soll().getFileName(),
                        settings.ist() == null ? "" : " and " + settings.ist().getFileName(), readSeconds, plan.entries(), plan.commands().size());

                Reading importStart = clock.read();
                ImportService.ImportResult first = importer.execute(plan, timed(ImportProgress.to(out, false), clock, phases));
                Reading importEnd = clock.read();
                phases.put(IMPORT, importEnd.minus(importStart));
                // The read side (projection, audit chain) catching up with what the import recorded: after the
                // import if it was paused, otherwise what it still had to do when the last batch committed.
                if (settings.readSidePaused()) {
                    processing.eventProcessors().values().forEach(EventProcessor::start);
                }
                AppendBenchmark.awaitReadSide(processing, url, AppendBenchmark.READ_SIDE_LIMIT);
                Reading caughtUp = clock.read();
                phases.put(CATCH_UP, caughtUp.minus(importEnd));
                phases.put(IMPORT_AND_READ_SIDE, caughtUp.minus(importStart));
                out.printf("read side caught up %.2f s after the import%n", phases.get(CATCH_UP).cpu().wallSeconds());

                long events = countEvents(app);
                ImportService.ImportResult again = importer.execute(plan, ImportProgress.NONE);
                long eventsAfterRerun = countEvents(app);
                if (eventsAfterRerun != events) {
                    throw new IllegalStateException("the re-import recorded " + (eventsAfterRerun - events) + " events");
                }
                verifyTotals(plan.report(), log.balances());

                SourceFile sollFile = SourceFile.read(settings.soll());
                SourceFile istFile = settings.ist() == null ? null : SourceFile.read(settings.ist());
                Map<String, Object> result = result(sollFile, istFile, plan, readSeconds, first, again, events, phases);
                Files.createDirectories(settings.out());
                String name = settings.readSidePaused() ? "import-read-side-paused" : "import";
                Files.writeString(settings.out().resolve(name + ".md"), markdown(result), StandardCharsets.UTF_8);
                Path json = settings.out().resolve(name + ".json");
                AppendBenchmark.json().writeValue(json.toFile(), result);
                out.println();
                out.print(markdown(result));
                return json;
            }
        } finally {
            deleteRecursively(dataDirectory);
        }
    }

    static final String READ = "read and plan";
    static final String IMPORT = "import (all phases)";
    static final String CATCH_UP = "read side catching up after the import";
    static final String IMPORT_AND_READ_SIDE = "import until the read side has caught up";

    /**
     * One reading of the CPU clocks: process, calling thread, PostgreSQL, the JVM's threads, and how long the
     * calling thread and PostgreSQL have waited for a CPU.
     */
    record Reading(CpuClock.Reading cpu, Map<Long, ThreadCpu.Task> threads, double threadRunQueueWait, double postgresRunQueueWait) {
        Sample minus(Reading start) {
            return new Sample(cpu.minus(start.cpu), ThreadCpu.between(start.threads, threads), threadRunQueueWait - start.threadRunQueueWait,
                    postgresRunQueueWait - start.postgresRunQueueWait);
        }
    }

    /** The CPU spent between two readings, the JVM's by thread group, and the waits for a CPU. */
    record Sample(CpuClock.Reading cpu, Map<String, Double> threads, double threadRunQueueWait, double postgresRunQueueWait) {
        /**
         * Wall time less what the import thread waited for a CPU. Still counts PostgreSQL's waits while the import
         * thread waited for its answers (its processes' waits overlap, so they cannot simply be taken off as well).
         */
        double wallWithoutWaits() {
            return Math.max(0, cpu.wallSeconds() - (Double.isNaN(threadRunQueueWait) ? 0 : threadRunQueueWait));
        }
    }

    private record Clock(CpuClock cpu, Path dataDirectory) {
        Reading read() {
            return new Reading(cpu.read(), ThreadCpu.read(), ThreadCpu.runQueueWaitSeconds(), ThreadCpu.postgresRunQueueWaitSeconds(dataDirectory));
        }
    }

    /** The ledger's balances must add up to exactly what the plan says it books. */
    private static void verifyTotals(ImportReport r, Map<String, LineBalance> balances) {
        long appropriatedExp = 0;
        long appropriatedRev = 0;
        long spent = 0;
        long revenue = 0;
        for (Map.Entry<String, LineBalance> e : balances.entrySet()) {
            if (!e.getKey().startsWith(String.format("%04d-", r.year()))) {
                continue;
            }
            LineBalance b = e.getValue();
            if (LineKind.ofTitel(e.getKey().substring(e.getKey().lastIndexOf('-') + 1)) == LineKind.EXPENDITURE) {
                appropriatedExp = Math.addExact(appropriatedExp, b.appropriatedCents());
                spent = Math.addExact(spent, b.spentCents());
            } else {
                appropriatedRev = Math.addExact(appropriatedRev, b.appropriatedCents());
                revenue = Math.addExact(revenue, b.revenueCents());
            }
        }
        if (appropriatedExp != r.appropriatedExpenditureCents() || appropriatedRev != r.appropriatedRevenueCents()
                || spent != r.recordedExpenditureCents() || revenue != r.recordedRevenueCents()) {
            throw new IllegalStateException("the ledger's totals differ from the plan's: appropriated " + appropriatedExp + "/" + appropriatedRev
                    + ", actual " + spent + "/" + revenue);
        }
    }

    private Map<String, Object> result(SourceFile soll, SourceFile ist, ImportPlan plan, double readSeconds, ImportService.ImportResult first,
            ImportService.ImportResult again, long events, Map<String, Sample> cpu) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("benchmark", "import");
        j.put("command", settings.commandLine());
        j.put("measuredAt", Instant.now().toString());
        j.put("year", settings.year());
        j.put("files", Stream.of(soll, ist).filter(java.util.Objects::nonNull)
                .map(f -> Map.of("name", f.fileName(), "bytes", f.bytes().length, "sha256", f.sha256())).toList());
        j.put("sollRows", plan.report().sollRows());
        j.put("istRows", plan.report().istRows());
        j.put("linesOpened", plan.report().linesOpened());
        j.put("entries", plan.entries());
        j.put("batches", plan.commands().size());
        j.put("batchEntries", settings.batchEntries());
        j.put("events", events);
        j.put("readSide", settings.readSidePaused() ? "paused during the import, started after it" : "live (as in production)");
        Map<String, Object> phases = new LinkedHashMap<>();
        phases.put("read and plan", round(readSeconds));
        for (PlannedCommand.Phase phase : PlannedCommand.Phase.values()) {
            phases.put(ImportService.label(phase), round(first.byPhase().get(phase).toNanos() / 1e9));
        }
        j.put("phaseSeconds", phases);
        Map<String, Object> cpuSeconds = new LinkedHashMap<>();
        cpu.forEach((phase, sample) -> {
            CpuClock.Reading r = sample.cpu();
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("wall", round(r.wallSeconds()));
            c.put("importThreadCpu", round(r.threadSeconds()));
            c.put("jvmCpu", round(r.jvmSeconds()));
            c.put("postgresCpu", round(r.postgresSeconds()));
            c.put("loadAverageAtEnd", r.loadAverage());
            Map<String, Object> byThread = new LinkedHashMap<>();
            sample.threads().forEach((group, seconds) -> byThread.put(group, round(seconds)));
            c.put("jvmThreads", byThread);
            c.put("importThreadWaitingForCpu", round(sample.threadRunQueueWait()));
            c.put("postgresWaitingForCpu", round(sample.postgresRunQueueWait()));
            c.put("wallLessImportThreadWait", round(sample.wallWithoutWaits()));
            cpuSeconds.put(phase, c);
        });
        j.put("cpuSeconds", cpuSeconds);
        // An estimate, not a measurement: what the measured CPU work needs on 2 idle cores if nothing else ran,
        // at least the import thread plus PostgreSQL (largely serial), and at least all CPU spread on two cores.
        j.put("idleTwoCoreLowerBoundSeconds", round(lowerBound(cpu.get(READ)) + lowerBound(cpu.get(IMPORT))));
        j.put("idleTwoCoreLowerBoundWithReadSideSeconds", round(lowerBound(cpu.get(READ)) + lowerBound(cpu.get(IMPORT_AND_READ_SIDE))));
        double importSeconds = first.elapsed().toNanos() / 1e9;
        j.put("importSeconds", round(importSeconds));
        j.put("totalSeconds", round(readSeconds + importSeconds));
        j.put("entriesPerSecond", Math.round(plan.entries() / importSeconds));
        j.put("wallLessImportThreadWaitSeconds", round(cpu.get(READ).wallWithoutWaits() + cpu.get(IMPORT).wallWithoutWaits()));
        j.put("wallLessImportThreadWaitWithReadSideSeconds", round(cpu.get(READ).wallWithoutWaits() + cpu.get(IMPORT_AND_READ_SIDE).wallWithoutWaits()));
        j.put("readSideCatchUpSeconds", round(cpu.get(CATCH_UP).cpu().wallSeconds()));
        j.put("totalWithReadSideSeconds", round(readSeconds + cpu.get(IMPORT_AND_READ_SIDE).cpu().wallSeconds()));
        j.put("reimportSeconds", round(again.elapsed().toNanos() / 1e9));
        j.put("reimportRecordedEvents", 0);
        j.put("totalsVerified", true);
        j.put("targetSeconds", TARGET_SECONDS);
        j.put("targetMet", readSeconds + importSeconds <= TARGET_SECONDS);
        j.put("loadAverageAtStart", loadAverageAtStart);
        j.put("properties", settings.properties());
        j.put("availableProcessors", Runtime.getRuntime().availableProcessors());
        j.put("javaVersion", System.getProperty("java.version"));
        j.put("jvmArguments", java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
        return j;
    }

    @SuppressWarnings("unchecked")
    static String markdown(Map<String, Object> r) {
        StringBuilder md = new StringBuilder();
        md.append("# Import benchmark\n\n");
        md.append("`").append(r.get("command")).append("` at ").append(r.get("measuredAt")).append(", ")
                .append(r.get("availableProcessors")).append(" processors, Java ").append(r.get("javaVersion"))
                .append(", JVM arguments ").append(r.get("jvmArguments")).append(".\n\n");
        md.append("Fiscal year ").append(r.get("year")).append(": ");
        for (Map<String, Object> f : (List<Map<String, Object>>) r.get("files")) {
            md.append("`").append(f.get("name")).append("` (").append(f.get("bytes")).append(" bytes) ");
        }
        md.append("\n\n").append(r.get("sollRows")).append(" Soll rows, ").append(r.get("istRows")).append(" Ist rows -> ")
                .append(r.get("linesOpened")).append(" lines, ").append(r.get("entries")).append(" entries in ").append(r.get("batches"))
                .append(" batches of at most ").append(r.get("batchEntries")).append(", ").append(r.get("events")).append(" events.\n\n");
        Object load = r.get("loadAverageAtStart");
        Object cores = r.get("availableProcessors");
        if (load instanceof Double l && cores instanceof Integer n && l > n) {
            md.append("**Measured under load**: 1-minute load average ").append(l).append(" on ").append(n)
                    .append(" cores when it started, so the wall times say more about the neighbours than about the import; "
                            + "compare CPU seconds.\n\n");
        }
        md.append("Read side (read-model projection, audit chain): ").append(r.get("readSide")).append(".\n\n");
        md.append("| phase | seconds |\n| --- | ---: |\n");
        ((Map<String, Object>) r.get("phaseSeconds")).forEach((k, v) -> md.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        md.append("| **total (read, plan, import)** | **").append(r.get("totalSeconds")).append("** |\n");
        md.append("| read side caught up, after the import | ").append(r.get("readSideCatchUpSeconds")).append(" |\n");
        md.append("| total until the read side has caught up | ").append(r.get("totalWithReadSideSeconds")).append(" |\n\n");
        md.append("CPU seconds (the machine is shared: wall time depends on the neighbours; CPU time is what the work costs). "
                + "Import thread = the thread sending the batches (in \"read and plan\": the one reading the Soll); JVM = all its threads; "
                + "of which by thread (from /proc/self/task): JIT compiler threads, GC and VM threads, the read side (projection work "
                + "packages and coordinator, audit chain, the event store's reader), other (import thread, Ist reader, pools); "
                + "PostgreSQL = all its processes.\n\n");
        md.append("| phase | wall | import thread | JVM | of it: JIT | GC, VM | read side | other | PostgreSQL | load avg (1 min) at end |\n"
                + "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        ((Map<String, Map<String, Object>>) r.get("cpuSeconds")).forEach((k, c) -> {
            Map<String, Object> t = (Map<String, Object>) c.get("jvmThreads");
            md.append("| ").append(k).append(" | ").append(c.get("wall")).append(" | ").append(c.get("importThreadCpu")).append(" | ")
                    .append(c.get("jvmCpu"));
            for (String group : ThreadCpu.GROUPS) {
                md.append(" | ").append(t == null || !t.containsKey(group) ? "" : t.get(group));
            }
            md.append(" | ").append(c.get("postgresCpu")).append(" | ").append(c.get("loadAverageAtEnd")).append(" |\n");
        });
        md.append("\nWaiting for a CPU (run-queue time from /proc/.../schedstat: ready to run while the cores were busy) of the import "
                + "thread, and of PostgreSQL's processes summed (they overlap, and in the live runs include the read side's backends). "
                + "The last column is the wall time less the import thread's wait: still an overestimate of the part's time with "
                + "the cores to itself (PostgreSQL's waits for the import are still in it, and in \"read and plan\" the Ist "
                + "reader's).\n\n");
        md.append("| phase | wall | import thread waiting | PostgreSQL waiting | wall less the import thread's wait |\n| --- | ---: | ---: | ---: | ---: |\n");
        ((Map<String, Map<String, Object>>) r.get("cpuSeconds")).forEach((k, c) -> md.append("| ").append(k).append(" | ").append(c.get("wall"))
                .append(" | ").append(c.get("importThreadWaitingForCpu")).append(" | ").append(c.get("postgresWaitingForCpu")).append(" | ")
                .append(c.get("wallLessImportThreadWait")).append(" |\n"));
        md.append("\nRead, plan and import less the import thread's waits for a CPU: ").append(r.get("wallLessImportThreadWaitSeconds"))
                .append(" s; until the read side has caught up: ").append(r.get("wallLessImportThreadWaitWithReadSideSeconds")).append(" s.\n");
        md.append("\nEstimate, not a measurement: on 2 idle cores this CPU work needs at least ").append(r.get("idleTwoCoreLowerBoundSeconds"))
                .append(" s for read, plan and import, ").append(r.get("idleTwoCoreLowerBoundWithReadSideSeconds"))
                .append(" s until the read side has caught up (per part the larger of import thread + PostgreSQL, and all CPU / 2).\n\n");
        md.append("Import alone: ").append(r.get("importSeconds")).append(" s (").append(r.get("entriesPerSecond"))
                .append(" entries/s). Target (read, plan and import until every event is committed, wall time <= ")
                .append(r.get("targetSeconds")).append(" s; the read side's catch-up is reported beside it, not counted) on this run: ")
                .append(Boolean.TRUE.equals(r.get("targetMet")) ? "met" : "**missed**").append(".\n");
        md.append("Re-import of the same files: ").append(r.get("reimportSeconds"))
                .append(" s, no event recorded. The ledger's totals equal the plan's to the cent.\n");
        return md.toString();
    }

    /** Progress that also takes a CPU reading at the start and end of each phase. */
    /**
     * An estimate, not a measurement: what a part's measured CPU work needs on 2 idle cores if nothing else ran: at
     * least the import thread plus PostgreSQL (which answer each other in turn), and at least all CPU spread on two cores.
     */
    private static double lowerBound(Sample part) {
        CpuClock.Reading r = part.cpu();
        double pgCpu = Double.isNaN(r.postgresSeconds()) ? 0 : r.postgresSeconds();
        return Math.max(r.threadSeconds() + pgCpu, (r.jvmSeconds() + pgCpu) / 2);
    }

    private static ImportProgress timed(ImportProgress progress, Clock clock, Map<String, Sample> phases) {
        return new ImportProgress() {
            private String name;
            private Reading start;

            @Override
            public void phase(String phaseName, int total) {
                name = phaseName;
                start = clock.read();
                progress.phase(phaseName, total);
            }

            @Override
            public void advance(int done) {
                progress.advance(done);
            }

            @Override
            public void endPhase() {
                progress.endPhase();
                phases.put(name, clock.read().minus(start));
            }
        };
    }

    private static long countEvents(ConfigurableApplicationContext app) throws java.sql.SQLException {
        try (java.sql.Connection c = app.getBean(javax.sql.DataSource.class).getConnection();
                java.sql.Statement st = c.createStatement();
                java.sql.ResultSet rs = st.executeQuery("SELECT count(*) FROM domain_event_entry")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private Map<String, Object> appProperties() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("logging.level.root", "WARN");
        p.put("spring.jmx.enabled", "false");
        p.putAll(settings.properties());
        return p;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static double round(double seconds) {
        return Math.round(seconds * 100) / 100.0;
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
}
