package org.etat.app.importer;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.etat.ledger.batch.BatchEntry;
import org.etat.ledger.batch.BudgetBatch;
import org.etat.ledger.batch.BudgetEntry;
import org.etat.ledger.batch.RecordBatch;
import org.etat.ledger.budgetline.BudgetLineId;
import org.etat.ledger.budgetline.EnactAppropriation;
import org.etat.ledger.budgetline.FiscalYear;
import org.etat.ledger.budgetline.GrantOverPlanConsent;
import org.etat.ledger.budgetline.LineKind;
import org.etat.ledger.budgetline.OpenLine;
import org.etat.ledger.budgetline.TitleKey;
import org.etat.ledger.common.LedgerMetadata;
import org.etat.ledger.common.Limits;
import org.etat.ledger.money.Money;

/**
 * Turns one year's parsed Soll and Ist into ledger commands. Pure: no I/O, no clock.
 *
 * <p>Decisions, each forced by the data or by the ledger's rules:
 * <ul>
 * <li>Annex chapters (Kapitel x090-x099) are business plans of special funds beside the budget: not
 *     imported, only counted.</li>
 * <li>Every core title of Soll or Ist becomes a line. Its key carries Titelgruppe and Funktion from
 *     Soll; {@code transferable} is true only for expenditure titles the Soll file marks {@code flex=ja}
 *     (flexibilised under § 5 Haushaltsgesetz, which makes them transferable); false otherwise,
 *     including titles known only from the Ist.</li>
 * <li>Soll &gt; 0: enacted on 1 January. Soll = 0: line opened without appropriation. Soll &lt; 0 (a
 *     global under-spending, "Globale Minderausgabe", or a negative revenue estimate): the ledger has no
 *     negative appropriation, so the line is opened without one and the value is reported.</li>
 * <li>Ist &gt; 0 is booked on 31 December through {@link RecordBatch}, with the source file, its
 *     SHA-256 and the row as event metadata. Ist = 0 books nothing. Ist &lt; 0 (refunds exceeding
 *     payments) cannot be an expenditure or revenue entry: nothing is booked and the value is
 *     reported.</li>
 * <li>Lines are opened and funded by {@link BudgetBatch}: one entry per Soll row (open and enact, in
 *     Soll row order), then one per title known only from the Ist (in Ist row order); consents and
 *     actuals follow in batches of Ist rows. Every event carries its entry's source file, SHA-256 and
 *     row.</li>
 * <li>Where an expenditure Ist exceeds the appropriation (supplementary budgets and § 37 spending are
 *     not in the Soll file), the excess is granted as a § 37 consent "historical import" before booking;
 *     without an appropriation it is an unplanned consent for the whole Ist. Revenue may exceed its
 *     estimate without consent.</li>
 * </ul>
 */
public final class ImportPlanner {

    public static final String CONSENT_REFERENCE = "historical import";
    /**
     * Entries per batch by default: one transaction each, well below the ledger's 10,000 limit. Each
     * batch is a checkpoint of the import; smaller batches show progress in finer steps.
     */
    public static final int BATCH_ENTRIES = 2_000;

    private final int batchEntries;

    public ImportPlanner() {
        this(BATCH_ENTRIES);
    }

    public ImportPlanner(int batchEntries) {
        if (batchEntries < 1 || batchEntries > Limits.MAX_BATCH_ENTRIES) {
            throw new IllegalArgumentException("entries per batch must be 1.." + Limits.MAX_BATCH_ENTRIES + ", got " + batchEntries);
        }
        this.batchEntries = batchEntries;
    }

    public ImportPlan plan(int year, List<SollRow> soll, IstSheet ist) {
        if (ist != null && ist.year() != year) {
            throw new IllegalArgumentException("the Ist file is for " + ist.year() + ", not " + year);
        }
        FiscalYear fiscalYear = FiscalYear.of(year);
        LocalDate firstDay = fiscalYear.firstDay();
        LocalDate lastDay = fiscalYear.lastDay();

        Map<String, SollRow> sollByLine = new TreeMap<>();
        int anlageSollRows = 0;
        long anlageExp = 0;
        long anlageRev = 0;
        long coreSollExp = 0;
        long coreSollRev = 0;
        for (SollRow row : soll) {
            if (row.anlage()) {
                anlageSollRows++;
                if (row.kind() == LineKind.EXPENDITURE) {
                    anlageExp = Math.addExact(anlageExp, row.sollCents());
                } else {
                    anlageRev = Math.addExact(anlageRev, row.sollCents());
                }
                continue;
            }
            if (row.kind() == LineKind.EXPENDITURE) {
                coreSollExp = Math.addExact(coreSollExp, row.sollCents());
            } else {
                coreSollRev = Math.addExact(coreSollRev, row.sollCents());
            }
            if (sollByLine.put(lineId(year, row.kapitel(), row.titel()), row) != null) {
                throw new IllegalArgumentException("title " + row.kapitel() + "-" + row.titel() + " appears twice in Soll");
            }
        }
        Map<String, IstRow> istByLine = new TreeMap<>();
        int anlageIstRows = 0;
        long coreIstExp = 0;
        long coreIstRev = 0;
        List<IstRow> istRows = ist == null ? List.of() : ist.rows();
        for (IstRow row : istRows) {
            if (SollRow.isAnlageKapitel(row.kapitel())) {
                anlageIstRows++;
                continue;
            }
            if (row.kind() == LineKind.EXPENDITURE) {
                coreIstExp = Math.addExact(coreIstExp, row.istCents());
            } else {
                coreIstRev = Math.addExact(coreIstRev, row.istCents());
            }
            if (istByLine.put(lineId(year, row.kapitel(), row.titel()), row) != null) {
                throw new IllegalArgumentException("title " + row.kapitel() + "-" + row.titel() + " appears twice in Ist");
            }
        }

        Map<String, Object> allLines = new TreeMap<>();
        allLines.putAll(istByLine);
        allLines.putAll(sollByLine);

        // Entries keyed by their source row, so each batch covers a run of rows of one file.
        Map<Integer, BudgetEntry> sollLines = new TreeMap<>();
        Map<Integer, BudgetEntry> istOnlyLines = new TreeMap<>();
        Map<Integer, BudgetEntry> consents = new TreeMap<>();
        int linesOpened = 0;
        List<ImportReport.Skipped> negativeSoll = new ArrayList<>();
        List<ImportReport.Skipped> negativeIst = new ArrayList<>();
        Map<Integer, BatchEntry> entriesByIstRow = new TreeMap<>();
        long appropriatedExp = 0;
        long appropriatedRev = 0;
        long recordedExp = 0;
        long recordedRev = 0;
        int zeroSoll = 0;
        int zeroIst = 0;
        int istOnly = 0;
        int overPlan = 0;
        long overPlanCents = 0;
        int unplanned = 0;
        long unplannedCents = 0;

        for (String lineId : allLines.keySet()) {
            SollRow s = sollByLine.get(lineId);
            IstRow i = istByLine.get(lineId);
            LineKind kind = s != null ? s.kind() : i.kind();
            Provenance openedFrom = s != null ? s.source() : i.source();
            TitleKey key = s != null
                    ? new TitleKey(s.einzelplan(), s.kapitel(), s.titel(), s.titelgruppe(), s.funktion())
                    : TitleKey.of(i.kapitel(), i.titel());
            boolean transferable = s != null && s.flexible() && kind == LineKind.EXPENDITURE;
            String purpose = s != null ? s.purpose() : i.purpose();
            OpenLine open = new OpenLine(lineId, key, purpose, kind, transferable, List.of(), firstDay);
            linesOpened++;
            if (s == null) {
                istOnly++;
                istOnlyLines.put(openedFrom.row(), BudgetEntry.open(open, null, provenance(openedFrom)));
            }

            long appropriated = 0;
            if (s != null) {
                EnactAppropriation enact = null;
                if (s.sollCents() > 0) {
                    appropriated = s.sollCents();
                    enact = new EnactAppropriation(lineId, s.sollCents(), "Haushaltsgesetz " + year + " (" + where(s.source()) + ")", firstDay);
                    if (kind == LineKind.EXPENDITURE) {
                        appropriatedExp = Math.addExact(appropriatedExp, s.sollCents());
                    } else {
                        appropriatedRev = Math.addExact(appropriatedRev, s.sollCents());
                    }
                } else if (s.sollCents() == 0) {
                    zeroSoll++;
                } else {
                    negativeSoll.add(new ImportReport.Skipped(lineId, s.purpose(), s.sollCents(), s.source()));
                }
                sollLines.put(s.source().row(), BudgetEntry.open(open, enact, provenance(s.source())));
            }

            if (i == null) {
                continue;
            }
            if (i.istCents() == 0) {
                zeroIst++;
                continue;
            }
            if (i.istCents() < 0) {
                negativeIst.add(new ImportReport.Skipped(lineId, i.purpose(), i.istCents(), i.source()));
                continue;
            }
            if (kind == LineKind.EXPENDITURE && i.istCents() > appropriated) {
                long excess = i.istCents() - appropriated;
                boolean isUnplanned = appropriated == 0;
                String justification = "Ist " + year + " of " + Money.format(i.istCents()) + " EUR "
                        + (isUnplanned ? "without appropriation" : "exceeds the appropriation of " + Money.format(appropriated) + " EUR")
                        + " (" + where(i.source()) + ")";
                consents.put(i.source().row(), BudgetEntry.consent(
                        new GrantOverPlanConsent(lineId, excess, CONSENT_REFERENCE, justification, lastDay), provenance(i.source())));
                if (isUnplanned) {
                    unplanned++;
                    unplannedCents = Math.addExact(unplannedCents, excess);
                } else {
                    overPlan++;
                    overPlanCents = Math.addExact(overPlanCents, excess);
                }
            }
            entriesByIstRow.put(i.source().row(), new BatchEntry(
                    kind == LineKind.EXPENDITURE ? BatchEntry.Kind.EXPENDITURE : BatchEntry.Kind.REVENUE,
                    lineId, i.istCents(), lastDay, i.purpose(), "Haushaltsrechnung " + year + ", " + where(i.source()), null,
                    provenance(i.source())));
            if (kind == LineKind.EXPENDITURE) {
                recordedExp = Math.addExact(recordedExp, i.istCents());
            } else {
                recordedRev = Math.addExact(recordedRev, i.istCents());
            }
        }

        // Every phase in batches of consecutive rows of one file, in file order; a batch's request id
        // names the file's hash and its first and last row.
        List<PlannedCommand> commands = new ArrayList<>();
        commands.addAll(batches(sollLines, soll.isEmpty() ? null : soll.get(0).source(), "lines", PlannedCommand.Phase.OPEN_LINE,
                entries -> new BudgetBatch(entries)));
        Provenance istFile = istRows.isEmpty() ? null : istRows.get(0).source();
        commands.addAll(batches(istOnlyLines, istFile, "lines", PlannedCommand.Phase.OPEN_LINE, entries -> new BudgetBatch(entries)));
        commands.addAll(batches(consents, istFile, "consents", PlannedCommand.Phase.GRANT_CONSENT, entries -> new BudgetBatch(entries)));
        commands.addAll(batches(entriesByIstRow, istFile, "actuals", PlannedCommand.Phase.RECORD_ACTUALS, entries -> new RecordBatch(entries)));
        ImportReport report = new ImportReport(year, soll.size(), anlageSollRows, anlageExp, anlageRev, coreSollExp, coreSollRev,
                appropriatedExp, appropriatedRev, zeroSoll, negativeSoll, istRows.size(), anlageIstRows, coreIstExp, coreIstRev,
                recordedExp, recordedRev, zeroIst, negativeIst, linesOpened, istOnly, overPlan, overPlanCents, unplanned, unplannedCents);
        return new ImportPlan(year, commands, report);
    }

    /** Splits entries (keyed by source row) into batches of at most {@link #batchEntries}. */
    private <E> List<PlannedCommand> batches(Map<Integer, E> byRow, Provenance file, String action, PlannedCommand.Phase phase,
            Function<List<E>, Object> command) {
        List<PlannedCommand> batches = new ArrayList<>();
        List<E> chunk = new ArrayList<>();
        int firstRow = -1;
        int lastRow = -1;
        for (Map.Entry<Integer, E> e : byRow.entrySet()) {
            if (chunk.isEmpty()) {
                firstRow = e.getKey();
            }
            chunk.add(e.getValue());
            lastRow = e.getKey();
            if (chunk.size() == batchEntries) {
                batches.add(new PlannedCommand(batchRequestId(file, firstRow, lastRow, action), phase, command.apply(List.copyOf(chunk))));
                chunk = new ArrayList<>();
            }
        }
        if (!chunk.isEmpty()) {
            batches.add(new PlannedCommand(batchRequestId(file, firstRow, lastRow, action), phase, command.apply(List.copyOf(chunk))));
        }
        return batches;
    }

    /** {@code bund:<sha256>:<firstRow>-<lastRow>:<action>}: stable across re-imports of the same bytes. */
    static String batchRequestId(Provenance file, int firstRow, int lastRow, String action) {
        return "bund:" + file.sha256() + ":" + firstRow + "-" + lastRow + ":" + action;
    }

    /** Source file, its SHA-256 and the row: the metadata on every event an entry records. */
    static Map<String, String> provenance(Provenance source) {
        return Map.of(LedgerMetadata.SOURCE_FILE, source.fileName(),
                LedgerMetadata.SOURCE_SHA256, source.sha256(),
                LedgerMetadata.SOURCE_ROW, Integer.toString(source.row()));
    }

    static String lineId(int year, String kapitel, String titel) {
        return new BudgetLineId(FiscalYear.of(year), kapitel, titel).toString();
    }

    private static String where(Provenance source) {
        return source.fileName() + " row " + source.row();
    }
}
