package org.etat.app.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code etat bench projections}: see {@link ProjectionBenchmark} and bench/README.md. */
@Command(name = "projections", mixinStandardHelpOptions = true,
        description = "Projection benchmark: rebuild of every read model vs a raw read baseline, balance and as-of query latency"
                + " open-loop, annual account; on a generated multi-year history.")
public final class ProjectionsCommand implements Callable<Integer> {

    @Option(names = "--events", defaultValue = "1000000", description = "Events in the generated history (default: ${DEFAULT-VALUE}).")
    long events;

    @Option(names = "--lines-per-year", defaultValue = "7000", description = "Budget titles per year (default: ${DEFAULT-VALUE}).")
    int linesPerYear;

    @Option(names = "--years", defaultValue = "3", description = "Fiscal years (default: ${DEFAULT-VALUE}).")
    int years;

    @Option(names = "--first-year", defaultValue = "2023", description = "First fiscal year (default: ${DEFAULT-VALUE}).")
    int firstYear;

    @Option(names = "--batch-size", defaultValue = "5000", description = "Events per projected batch in the rebuild (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--query-rate", defaultValue = "1000", description = "Requests per second of the open-loop query runs (default: ${DEFAULT-VALUE}).")
    int queryRate;

    @Option(names = "--query-seconds", defaultValue = "20", description = "Seconds per open-loop query run (default: ${DEFAULT-VALUE}).")
    int querySeconds;

    @Option(names = "--query-threads", defaultValue = "32", description = "Worker threads of the open-loop runs (default: ${DEFAULT-VALUE}).")
    int queryThreads;

    @Option(names = "--seed", defaultValue = "20261124", description = "Seed of the generated history (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", defaultValue = "bench/results", description = "Directory of projections.md and projections.json (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
        ProjectionBenchmark.Settings settings = new ProjectionBenchmark.Settings(firstYear, years, linesPerYear, events, batchSize, queryRate,
                querySeconds, queryThreads, seed, out);
        Map<String, Object> results = new ProjectionBenchmark(settings, System.out).run();
        Files.createDirectories(out);
        ProjectionReport.write(results, settings, out);
        System.out.printf("Wrote %s and %s%n", out.resolve("projections.md"), out.resolve("projections.json"));
        return 0;
    }
}
