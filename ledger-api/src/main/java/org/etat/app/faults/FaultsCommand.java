package org.etat.app.faults;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code etat faults}: the fault suite (docs/faults.md). Starts its own PostgreSQL process and
 * application processes, injects the faults, checks the ledger, writes the report. Exit code 0 when
 * every check held, 1 otherwise.
 */
@Command(name = "faults", mixinStandardHelpOptions = true, subcommands = KafkaBrokerCommand.class,
        description = "Fault suite: kill the application and PostgreSQL during load, race two nodes, skew a clock, kill the Kafka broker; then check nothing was lost or doubled.")
public final class FaultsCommand implements Callable<Integer> {

    @Option(names = "--full", description = "Full repetitions (20/5/5/5/3/2, longer load); default: the short variant the test run executes.")
    boolean full;

    @Option(names = "--out", defaultValue = "bench/results/faults.md", description = "Report file (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--work", defaultValue = "target/faults", description = "Working directory: PostgreSQL data and node logs (default: ${DEFAULT-VALUE}); emptied first.")
    Path work;

    @Option(names = "--seed", description = "Seed of the clients' random choices (default: random, printed).")
    Long seed;

    @Option(names = "--scenario", split = ",", description = "Only these scenarios (1-6), e.g. --scenario 1,3.")
    List<Integer> scenarios;

    PrintStream console = System.out;

    @Override
    public Integer call() throws Exception {
        long s = seed != null ? seed : System.nanoTime();
        console.printf("faults: seed %d (replay with --seed %d)%n", s, s);
        FaultSuite.Options options = new FaultSuite.Options(full, prepare(work), s, scenarios == null ? Set.of() : new TreeSet<>(scenarios), console);
        long start = System.nanoTime();
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        List<FaultSuite.ScenarioResult> results = new FaultSuite(options).run(done -> {
            try {
                Files.writeString(out, FaultSuite.report(done, options, Duration.ofNanos(System.nanoTime() - start)));
            } catch (java.io.IOException e) {
                console.println("faults: cannot write " + out + ": " + e);
            }
        });
        String report = FaultSuite.report(results, options, Duration.ofNanos(System.nanoTime() - start));
        Files.writeString(out, report);
        console.println(report);
        console.printf("faults: report written to %s%n", out.toAbsolutePath());
        return results.stream().allMatch(FaultSuite.ScenarioResult::passed) ? 0 : 1;
    }

    /** A clean working directory: a leftover data directory would hold another run's ledger. */
    static Path prepare(Path work) throws java.io.IOException {
        if (Files.exists(work)) {
            try (var paths = Files.walk(work)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(work);
        return work;
    }
}
