package org.etat.app.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.etat.ledger.scenario.Ruhrkonferenz;
import org.etat.app.demo.RuhrkonferenzDemo;
import org.etat.app.ledger.EventLog;
import org.etat.app.ledger.LedgerGateway;
import org.etat.ledger.budgetline.LineBalance;
import org.etat.ledger.common.Receipt;
import org.etat.ledger.conservation.ConservationCheck;
import org.etat.ledger.conservation.ConservationReport;
import org.etat.ledger.money.Money;
import org.etat.ledger.money.Percent;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code etat demo}: records the Ruhrkonferenz case (once; a rerun changes nothing) on PostgreSQL,
 * prints each line's balance from the stored log, checks that the books balance, and exits.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Record the Ruhrkonferenz case on PostgreSQL (embedded unless ETAT_DB_URL is set) and print the balances.")
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--data", defaultValue = "data/pg", description = "Data directory of the embedded PostgreSQL (default: ${DEFAULT-VALUE}).")
    Path dataDirectory;

    @Option(names = "--port", defaultValue = "54329", description = "Port of the embedded PostgreSQL (default: ${DEFAULT-VALUE}).")
    int port;

    /** Where the database settings and the output come from; tests replace them. */
    Map<String, String> env = System.getenv();
    PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        try (LedgerDatabase db = LedgerDatabase.open(env, dataDirectory, port, out)) {
            try (ConfigurableApplicationContext app = ApplicationStarter.start(db, WebApplicationType.NONE,
                    Map.of("logging.level.root", "WARN"))) {
                List<Receipt> receipts = RuhrkonferenzDemo.record(app.getBean(LedgerGateway.class));
                out.printf("%nRecorded the Ruhrkonferenz case: %d requests (rerunning records nothing new).%n", receipts.size());
                out.println("Kapitel and Titel numbers, payments and dates are illustrative; the yearly sums are the published ones.");
                EventLog log = app.getBean(EventLog.class);
                printBalances(out, log.balances());
                ConservationReport report = ConservationCheck.check(log.all().stream().map(EventLog.StoredEvent::recorded).toList());
                out.printf("%nConservation over %d stored events: %s%n", report.eventsChecked(),
                        report.balanced() ? "the books balance" : "VIOLATION " + report.firstViolation());
                return report.balanced() ? 0 : 1;
            }
        }
    }

    static void printBalances(PrintStream out, Map<String, LineBalance> balances) {
        String format = "%-18s %15s %15s %15s %15s %15s %15s %10s%n";
        out.println();
        out.printf(format, "line", "appropriated", "spent", "moved out", "moved in", "lapsed", "available", "executed");
        for (Map.Entry<String, LineBalance> e : balances.entrySet()) {
            LineBalance b = e.getValue();
            long soll = b.appropriatedCents() + b.amendedCents();
            String rate = Percent.format(b.spentCents(), soll);
            out.printf(format, e.getKey(), Money.format(soll), Money.format(b.spentCents()), Money.format(b.reallocatedOutCents()),
                    Money.format(b.reallocatedInCents()), Money.format(b.lapsedCents()), Money.format(b.availableCents()),
                    rate == null ? "-" : rate + " %");
        }
    }
}
