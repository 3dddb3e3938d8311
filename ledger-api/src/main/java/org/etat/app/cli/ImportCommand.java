package org.etat.app.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.etat.app.importer.ImportFiles;
import org.etat.app.importer.ImportPlan;
import org.etat.app.importer.ImportProgress;
import org.etat.app.importer.ImportService;
import org.etat.app.importer.ImportSummary;
import org.etat.app.importer.MalformedRowException;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code etat import --soll FILE [--ist FILE] --year Y}: imports a published federal budget year
 * (bundeshaushalt.de Soll CSV, Haushaltsrechnung Ist as xlsx or CSV). The files are read and checked
 * before the database is touched. Running it again with the same files records nothing new; after an
 * interruption it resumes.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Import a federal budget year: Soll (bund_soll_<Y>.csv) and optionally Ist (bund_ist_<Y>.xlsx or .csv).")
public final class ImportCommand implements Callable<Integer> {

    static final int MALFORMED_FILE = 1;
    static final int REFUSED = 2;

    @Option(names = "--soll", required = true, description = "Soll CSV of bundeshaushalt.de (thousand EUR).")
    Path soll;

    @Option(names = "--ist", description = "Ist of the Haushaltsrechnung: .xlsx or its CSV conversion (EUR).")
    Path ist;

    @Option(names = "--year", required = true, description = "Fiscal year of the files.")
    int year;

    @Option(names = "--data", defaultValue = "data/pg", description = "Data directory of the embedded PostgreSQL (default: ${DEFAULT-VALUE}).")
    Path dataDirectory;

    @Option(names = "--port", defaultValue = "54329", description = "Port of the embedded PostgreSQL (default: ${DEFAULT-VALUE}).")
    int port;

    /** Where the database settings and the output come from; tests replace them. */
    Map<String, String> env = System.getenv();
    PrintStream out = System.out;
    PrintStream err = System.err;
    boolean terminal = System.console() != null;

    @Override
    public Integer call() throws Exception {
        ImportPlan plan;
        try {
            plan = ImportFiles.plan(year, soll, ist);
        } catch (MalformedRowException e) {
            err.println("etat import: " + e.getMessage());
            return MALFORMED_FILE;
        } catch (IllegalArgumentException e) {
            err.println("etat import: " + e.getMessage());
            return MALFORMED_FILE;
        }
        out.printf("Read %s%s: %d entries in %d batches to send.%n", soll.getFileName(), ist == null ? "" : " and " + ist.getFileName(),
                plan.entries(), plan.commands().size());
        try (LedgerDatabase db = LedgerDatabase.open(env, dataDirectory, port, out)) {
            try (ConfigurableApplicationContext app = ApplicationStarter.start(db, WebApplicationType.NONE,
                    Map.of("logging.level.root", "WARN"))) {
                ImportService.ImportResult result;
                try {
                    result = app.getBean(ImportService.class).execute(plan, ImportProgress.to(out, terminal));
                } catch (ImportService.ImportRefusedException e) {
                    err.println("etat import: " + e.getMessage());
                    err.println("etat import: what was sent before stays recorded; rerun with the same files to resume.");
                    return REFUSED;
                }
                out.println();
                ImportSummary.lines(plan.report()).forEach(out::println);
                out.printf("  sent:                      %d batches (%d entries) in %.1f s; a rerun with the same files records nothing%n",
                        result.commandsSent(), result.entriesSent(), result.elapsed().toMillis() / 1000.0);
                result.byPhase().forEach((phase, took) -> out.printf("    %-22s %.1f s%n", ImportService.label(phase), took.toMillis() / 1000.0));
                return 0;
            }
        }
    }
}
