package org.etat.app.cli;

import org.etat.app.bench.BenchCommand;
import org.etat.app.faults.FaultsCommand;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code etat <sub-command>}. One class per sub-command in this package; add yours to
 * {@code subcommands} (planned: serve, import, verify, replay, export). A sub-command finds its
 * PostgreSQL with {@link LedgerDatabase} and starts the application with {@link ApplicationStarter};
 * the process exits when {@code call()} returns, so {@code serve} blocks there until shutdown.
 */
@Command(name = "etat", mixinStandardHelpOptions = true, version = "etat 0.1.0",
        description = "An event-sourced ledger of public money.",
        subcommands = {ServeCommand.class, DemoCommand.class, ImportCommand.class, ReplayCommand.class, BenchCommand.class, ProjectionsCommand.class,
                VerifyCommand.class, DigestCommand.class, ExportCommand.class, FaultsCommand.class, CommandLine.HelpCommand.class})
public final class EtatCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Runs the command line; returns the process exit code. */
    public static int run(String... args) {
        // Axon's update checker would try the network; Etat never phones home.
        System.setProperty("axoniq.update-checker.disabled", System.getProperty("axoniq.update-checker.disabled", "true"));
        quietLibraries();
        return commandLine(CommandLine.defaultFactory()).execute(args);
    }

    /** The command tree; usage errors are one line and exit 2. Tests pass a factory that sets up sub-commands. */
    public static CommandLine commandLine(CommandLine.IFactory factory) {
        return new CommandLine(new EtatCli(), factory).setParameterExceptionHandler(new AuditCli.OneLineUsageErrors());
    }

    /** Embedded PostgreSQL logs every line of initdb and the server before Spring configures logging. */
    private static void quietLibraries() {
        if (org.slf4j.LoggerFactory.getLogger("io.zonky") instanceof ch.qos.logback.classic.Logger zonky) {
            zonky.setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
