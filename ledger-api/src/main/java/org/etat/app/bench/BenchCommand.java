package org.etat.app.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code etat bench <benchmark>}: measurements that write their figures to bench/results/. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks on their own embedded PostgreSQL 17 (not part of the test run).",
        subcommands = {BenchCommand.Append.class, BenchCommand.Http.class, BenchCommand.Import.class, ProjectionsCommand.class, BenchCommand.Verify.class, CommandLine.HelpCommand.class})
public final class BenchCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** {@code etat bench append}: see {@link AppendBenchmark}. */
    @Command(name = "append", mixinStandardHelpOptions = true,
            description = "Append throughput: raw JDBC baseline, single RecordExpenditure commands, RecordBatch commands.")
    public static final class Append implements Callable<Integer> {

        @Option(names = "--entries", defaultValue = "100000", description = "Expenditures per mode (default: ${DEFAULT-VALUE}).")
        int entries;

        @Option(names = "--single-entries", description = "Expenditures per single-command run (default: --entries).")
        Integer singleEntries;

        @Option(names = "--lines", defaultValue = "100", description = "Budget lines the entries are spread across (default: ${DEFAULT-VALUE}).")
        int lines;

        @Option(names = "--batch-size", defaultValue = "1000", description = "Entries per RecordBatch and per raw transaction (default: ${DEFAULT-VALUE}).")
        int batchSize;

        @Option(names = "--threads", split = ",", defaultValue = "1,4,16", description = "Client threads of the single-command runs (default: ${DEFAULT-VALUE}).")
        List<Integer> threads;

        @Option(names = "--rewrite-batched-inserts", defaultValue = "true", negatable = true, fallbackValue = "true",
                description = "pgjdbc's reWriteBatchedInserts for the application (default: ${DEFAULT-VALUE}, as in application.properties).")
        boolean rewriteBatchedInserts;

        @Option(names = "--fsync-seconds", defaultValue = "1",
                description = "Seconds per pg_test_fsync test (or of the Java fsync probe); 0 skips it (default: ${DEFAULT-VALUE}).")
        int fsyncSeconds;

        @Option(names = "--property", mapFallbackValue = "",
                description = "An application property for this run, e.g. --property etat.ledger.snapshot.every-events=1000 (repeatable).")
        Map<String, String> properties;

        @Option(names = "--out", defaultValue = "bench/results", description = "Directory of append.md and append.json (default: ${DEFAULT-VALUE}).")
        Path out;

        @Option(names = "--seed", defaultValue = "20261124", description = "Seed of the entry amounts (default: ${DEFAULT-VALUE}).")
        long seed;

        @Override
        public Integer call() throws Exception {
            AppendBenchmark.Settings settings = new AppendBenchmark.Settings(entries, singleEntries == null ? entries : singleEntries,
                    lines, batchSize, threads, rewriteBatchedInserts, fsyncSeconds, seed, out, properties);
            new AppendBenchmark(settings, System.out).run();
            return 0;
        }
    }

    /** {@code etat bench http}: see {@link HttpBenchmark}. */
    @Command(name = "http", mixinStandardHelpOptions = true,
            description = "HTTP append throughput and latency: batched and single expenditures over HTTP vs the Java gateway.")
    public static final class Http implements Callable<Integer> {

        @Option(names = "--entries", defaultValue = "100000", description = "Expenditures per batched run (default: ${DEFAULT-VALUE}).")
        int entries;

        @Option(names = "--batch-size", defaultValue = "1000", description = "Entries per batch request (default: ${DEFAULT-VALUE}).")
        int batchSize;

        @Option(names = "--batch-clients", defaultValue = "2", description = "Clients posting batches at once, each on its own connection"
                + " (the gateway runs on as many threads) (default: ${DEFAULT-VALUE}).")
        int batchClients;

        @Option(names = "--single-requests", defaultValue = "10000", description = "Single expenditure requests (default: ${DEFAULT-VALUE}).")
        int singleRequests;

        @Option(names = "--rate", defaultValue = "500", description = "Fixed rate of the single requests, per second (default: ${DEFAULT-VALUE}).")
        int rate;

        @Option(names = "--single-only", description = "Only the single requests, with the read side live and then paused (to see"
                + " where their cost goes).")
        boolean singleOnly;

        @Option(names = "--connections", defaultValue = "16", description = "Keep-alive connections the single requests are spread over"
                + " (the gateway runs on as many threads) (default: ${DEFAULT-VALUE}).")
        int connections;

        @Option(names = "--lines", defaultValue = "100", description = "Budget lines the entries are spread across (default: ${DEFAULT-VALUE}).")
        int lines;

        @Option(names = "--seed", defaultValue = "20261124", description = "Seed of the entry amounts (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--out", defaultValue = "bench/results", description = "Directory of http.md and http.json (default: ${DEFAULT-VALUE}).")
        Path out;

        @Override
        public Integer call() throws Exception {
            new HttpBenchmark(new HttpBenchmark.Settings(entries, batchSize, batchClients, singleRequests, rate, connections, lines, seed, out, singleOnly), System.out).run();
            return 0;
        }
    }

    /** {@code etat bench import}: see {@link ImportBenchmark}. */
    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Import one federal year (Soll + Ist) into a fresh embedded PostgreSQL; per-phase times to bench/results/import[-read-side-paused].md|json.")
    public static final class Import implements Callable<Integer> {

        @Option(names = "--soll", required = true, description = "Soll CSV (bund_soll_<Y>.csv).")
        Path soll;

        @Option(names = "--ist", description = "Ist: bund_ist_<Y>.xlsx or its CSV conversion.")
        Path ist;

        @Option(names = "--year", required = true, description = "Fiscal year of the files.")
        int year;

        @Option(names = "--batch-size", defaultValue = "" + org.etat.app.importer.ImportPlanner.BATCH_ENTRIES,
                description = "Entries per batch (default: ${DEFAULT-VALUE}).")
        int batchSize;

        @Option(names = "--read-side-paused", defaultValue = "false",
                description = "Pause the projection and audit chain during the import and time their catch-up after it (default: live).")
        boolean readSidePaused;

        @Option(names = "--property", mapFallbackValue = "", description = "An application property for this run (repeatable).")
        Map<String, String> properties;

        @Option(names = "--out", defaultValue = "bench/results", description = "Directory of import.md and import.json (default: ${DEFAULT-VALUE}).")
        Path out;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            String commandLine = "./etat " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
            new ImportBenchmark(new ImportBenchmark.Settings(soll, ist, year, batchSize, readSidePaused, out, properties,
                    commandLine), System.out).run();
            return 0;
        }
    }

    /** {@code etat bench verify}: see {@link VerifyBenchmark}. */
    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Verification rate over a large log (raw read + SHA-256 baseline, chain verification, full verification).")
    public static final class Verify implements Callable<Integer> {

        @Option(names = "--events", defaultValue = "1000000", description = "Events in the log (default: ${DEFAULT-VALUE}).")
        long events;

        @Option(names = "--lines", defaultValue = "100", description = "Budget lines (default: ${DEFAULT-VALUE}).")
        int lines;

        @Option(names = "--runs", defaultValue = "3", description = "Measured runs per mode, after one warm-up (default: ${DEFAULT-VALUE}).")
        int runs;

        @Option(names = "--full", defaultValue = "true", negatable = true, fallbackValue = "true",
                description = "Also time the full verification with the conservation check (default: ${DEFAULT-VALUE}).")
        boolean full;

        @Option(names = "--seed", defaultValue = "20261124", description = "Seed of the synthetic log (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--out", defaultValue = "bench/results", description = "Directory of verify.md and verify.json (default: ${DEFAULT-VALUE}).")
        Path out;

        @Option(names = "--data", paramLabel = "DIR", description = "Keep the embedded PostgreSQL in DIR and reuse the log written there by an "
                + "earlier run with the same --events, --lines and --seed (default: a temporary directory, deleted after).")
        Path data;

        @Override
        public Integer call() throws Exception {
            new VerifyBenchmark(new VerifyBenchmark.Settings(events, lines, runs, seed, out, full, data), System.out).run();
            return 0;
        }
    }
}
