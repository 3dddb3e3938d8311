package org.etat.app.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import org.etat.app.audit.AuditSerializers;
import org.etat.app.audit.JdbcCursor;
import org.etat.app.audit.JdbcRawEventReader;
import org.etat.app.audit.Progress;
import org.etat.app.ledger.EventLog;
import org.etat.ledger.audit.AuditChain;
import org.etat.ledger.audit.ChainLink;
import org.etat.ledger.audit.HledgerJournal;
import org.etat.ledger.audit.JsonlExport;
import org.etat.ledger.audit.LedgerEntry;
import org.etat.ledger.audit.LineBalanceCsv;
import org.etat.ledger.audit.RawEventRow;
import org.etat.ledger.audit.Sha256Hash;
import org.etat.ledger.budgetline.LineBalance;
import org.etat.ledger.common.LineEvent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code etat export --year Y --format jsonl|csv|hledger [--csv-variant rfc4180|german] [--out FILE]}:
 * one fiscal year of the log, for tools Etat did not write.
 * <ul>
 *   <li>jsonl: the year's raw events as stored, with leaf hash, chain hash and the chain hash before
 *       each (the chain runs over the whole log, so each line checks on its own);</li>
 *   <li>csv: each line's balance folded from the log; german ({@code ;}, decimal comma, BOM) or rfc4180;</li>
 *   <li>hledger: a journal whose {@code budget:Y:Kapitel:Titel} accounts hold each line's available amount.</li>
 * </ul>
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Export one fiscal year: raw events with hashes (jsonl), line balances (csv), or an hledger journal.",
                "Exit: 0 written, 2 bad input, 3 database unreachable, 4 other error."})
public final class ExportCommand implements Callable<Integer> {

    enum Format { jsonl, csv, hledger }

    enum CsvVariant { rfc4180, german }

    @Option(names = "--year", required = true, description = "Fiscal year, e.g. 2024.")
    int year;

    @Option(names = "--format", required = true, description = "jsonl, csv or hledger.")
    Format format;

    @Option(names = "--csv-variant", description = "german (';', decimal comma, BOM; the default) or rfc4180 (',', decimal point).")
    CsvVariant csvVariant;

    @Option(names = "--out", paramLabel = "FILE", description = "Output file (replaced if it exists; default: standard output).")
    Path outFile;

    @Option(names = "--data", defaultValue = "data/pg", description = "Data directory of the embedded PostgreSQL (default: ${DEFAULT-VALUE}).")
    Path dataDirectory;

    @Option(names = "--port", defaultValue = "54329", description = "Port of the embedded PostgreSQL (default: ${DEFAULT-VALUE}).")
    int port;

    Map<String, String> env = System.getenv();
    PrintStream out = System.out;
    PrintStream err = System.err;
    boolean terminal = System.console() != null;

    @Override
    public Integer call() {
        return AuditCli.run("export", err, this::export);
    }

    private int export() throws Exception {
        if (year < 1000 || year > 9999) {
            throw new AuditCli.Failure(AuditCli.USAGE, "--year must be a four-digit fiscal year, got " + year);
        }
        if (csvVariant != null && format != Format.csv) {
            throw new AuditCli.Failure(AuditCli.USAGE, "--csv-variant only applies to --format csv");
        }
        Path parent = outFile == null ? null : outFile.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new AuditCli.Failure(AuditCli.USAGE, "directory " + parent + " does not exist");
        }
        try (AuditCli.Session session = AuditCli.open(env, dataDirectory, port, err)) {
            AuditCli.CliProgress progress = AuditCli.progress(err, terminal);
            long total = count(session.dataSource);
            Export result = switch (format) {
                case jsonl -> jsonl(session.dataSource, total, progress);
                case csv -> csv(session.dataSource, total, progress);
                case hledger -> hledger(session.dataSource, total, progress);
            };
            progress.finish();
            byte[] bytes = result.text().getBytes(StandardCharsets.UTF_8);
            if (outFile == null) {
                out.write(bytes);
                out.flush();
            } else {
                Path tmp = outFile.resolveSibling(outFile.getFileName() + ".tmp");
                Files.write(tmp, bytes);
                Files.move(tmp, outFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            (outFile == null ? err : out).printf("Exported %s of %d: %d %s%s%n", format == Format.csv
                    ? "csv (" + (csvVariant == null ? CsvVariant.german : csvVariant) + ")" : format.name(), year, result.count(),
                    result.what(), outFile == null ? "" : " to " + outFile);
            return AuditCli.OK;
        }
    }

    private record Export(String text, long count, String what) {
    }

    private boolean inYear(String lineId) {
        return lineId != null && lineId.startsWith(year + "-");
    }

    private Export jsonl(DataSource ds, long total, Progress progress) throws SQLException {
        StringBuilder text = new StringBuilder();
        long written = 0;
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            try (JdbcCursor<RawEventRow> rows = new JdbcRawEventReader().openAll(c)) {
                AuditChain chain = new AuditChain();
                long done = 0;
                while (rows.hasNext()) {
                    RawEventRow row = rows.next();
                    Sha256Hash previous = chain.head();
                    ChainLink link = chain.append(row);
                    if (inYear(row.aggregateId())) {
                        text.append(JsonlExport.line(row, link, previous)).append('\n');
                        written++;
                    }
                    if (++done % Progress.EVERY_ROWS == 0) {
                        progress.update("export", done, total);
                    }
                }
                progress.update("export", done, Math.max(done, total));
            } finally {
                c.rollback();
            }
        }
        return new Export(text.toString(), written, "events");
    }

    private Export csv(DataSource ds, long total, Progress progress) {
        Map<String, LineBalance> balances = new TreeMap<>();
        forEachEvent(ds, total, progress, e -> {
            if (e.payload() instanceof LineEvent event && inYear(event.lineId())) {
                balances.merge(event.lineId(), LineBalance.ZERO.apply(event), (old, ignored) -> old.apply(event));
            }
        });
        String text = csvVariant == CsvVariant.rfc4180 ? LineBalanceCsv.rfc4180(balances) : LineBalanceCsv.german(balances);
        return new Export(text, balances.size(), "lines");
    }

    private Export hledger(DataSource ds, long total, Progress progress) {
        List<LedgerEntry> entries = new ArrayList<>();
        forEachEvent(ds, total, progress, e -> {
            if (e.payload() instanceof LineEvent event && inYear(event.lineId())) {
                entries.add(new LedgerEntry(e.globalIndex(), e.eventId(), e.payload(), e.metaData()));
            }
        });
        return new Export(HledgerJournal.export(entries), entries.size(), "events");
    }

    private static void forEachEvent(DataSource ds, long total, Progress progress, java.util.function.Consumer<EventLog.StoredEvent> each) {
        long[] done = {0};
        new EventLog(ds, AuditSerializers.eventSerializer()).forEach(e -> {
            each.accept(e);
            if (++done[0] % Progress.EVERY_ROWS == 0) {
                progress.update("export", done[0], total);
            }
        });
        progress.update("export", done[0], Math.max(done[0], total));
    }

    private static long count(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM domain_event_entry");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
