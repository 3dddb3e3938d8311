package org.etat.app.importer;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.etat.ledger.batch.BatchEntry;
import org.etat.ledger.batch.RecordBatch;
import org.etat.ledger.budgetline.BudgetLineId;
import org.etat.ledger.budgetline.EnactAppropriation;
import org.etat.ledger.budgetline.FiscalYear;
import org.etat.ledger.budgetline.GrantOverPlanConsent;
import org.etat.ledger.budgetline.LineKind;
import org.etat.ledger.budgetline.OpenLine;
import org.etat.ledger.budgetline.TitleKey;
import org.etat.ledger.common.LedgerMetadata;
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
 * <li>Where an expenditure Ist exceeds the appropriation (supplementary budgets and § 37 spending are
 *     not in the Soll file), the excess is granted as a § 37 consent "historical import" before booking;
 *     without an appropriation it is an unplanned consent for the whole Ist. Revenue may exceed its
 *     estimate without consent.</li>
 * </ul>
 */
public final class ImportPlanner {

    public static final String CONSENT_REFERENCE = "historical import";
    /** Entries per {@link RecordBatch}: one transaction each, well below the ledger's 10,000 limit. */
    public static final int BATCH_ENTRIES = 1_000;

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

        List<PlannedCommand> open = new ArrayList<>();
        List<PlannedCommand> enact = new ArrayList<>();
        List<PlannedCommand> consent = new ArrayList<>();
        List<ImportReport.Skipped> negativeSoll = new ArrayList<>();
        List<ImportReport.Skipped> negativeIst = new ArrayList<>();
        Map<Integer, BatchEntry> entriesByIstRow = new TreeMap<>();
        Map<Integer, Provenance> provenanceByIstRow = new HashMap<>();
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
            open.add(new PlannedCommand(requestId(openedFrom, "open"), PlannedCommand.Phase.OPEN_LINE,
                    new OpenLine(lineId, key, purpose, kind, transferable, List.of(), firstDay)));
            if (s == null) {
                istOnly++;
            }

            long appropriated = 0;
            if (s != null) {
                if (s.sollCents() > 0) {
                    appropriated = s.sollCents();
                    enact.add(new PlannedCommand(requestId(s.source(), "enact"), PlannedCommand.Phase.ENACT_APPROPRIATION,
                            new EnactAppropriation(lineId, s.sollCents(), "Haushaltsgesetz " + year + " (" + where(s.source()) + ")", firstDay)));
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
                consent.add(new PlannedCommand(requestId(i.source(), "consent"), PlannedCommand.Phase.GRANT_CONSENT,
                        new GrantOverPlanConsent(lineId, excess, CONSENT_REFERENCE, justification, lastDay)));
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
                    Map.of(LedgerMetadata.SOURCE_FILE, i.source().fileName(),
                            LedgerMetadata.SOURCE_SHA256, i.source().sha256(),
                            LedgerMetadata.SOURCE_ROW, Integer.toString(i.source().row()))));
            provenanceByIstRow.put(i.source().row(), i.source());
            if (kind == LineKind.EXPENDITURE) {
                recordedExp = Math.addExact(recordedExp, i.istCents());
            } else {
                recordedRev = Math.addExact(recordedRev, i.istCents());
            }
        }

        // Actuals in file order, in batches; a batch's id names its file and first and last row.
        List<PlannedCommand> batches = new ArrayList<>();
        List<BatchEntry> chunk = new ArrayList<>();
        int firstRow = -1;
        int lastRow = -1;
        for (Map.Entry<Integer, BatchEntry> e : entriesByIstRow.entrySet()) {
            if (chunk.isEmpty()) {
                firstRow = e.getKey();
            }
            chunk.add(e.getValue());
            lastRow = e.getKey();
            if (chunk.size() == BATCH_ENTRIES) {
                batches.add(batch(provenanceByIstRow.get(firstRow), lastRow, chunk));
                chunk = new ArrayList<>();
            }
        }
        if (!chunk.isEmpty()) {
            batches.add(batch(provenanceByIstRow.get(firstRow), lastRow, chunk));
        }

        List<PlannedCommand> commands = new ArrayList<>(open.size() + enact.size() + consent.size() + batches.size());
        commands.addAll(open);
        commands.addAll(enact);
        commands.addAll(consent);
        commands.addAll(batches);
        ImportReport report = new ImportReport(year, soll.size(), anlageSollRows, anlageExp, anlageRev, coreSollExp, coreSollRev,
                appropriatedExp, appropriatedRev, zeroSoll, negativeSoll, istRows.size(), anlageIstRows, coreIstExp, coreIstRev,
                recordedExp, recordedRev, zeroIst, negativeIst, open.size(), istOnly, overPlan, overPlanCents, unplanned, unplannedCents);
        return new ImportPlan(year, commands, report);
    }

    private static PlannedCommand batch(Provenance first, int lastRow, List<BatchEntry> entries) {
        return new PlannedCommand("bund:" + first.sha256() + ":" + first.row() + "-" + lastRow + ":actuals",
                PlannedCommand.Phase.RECORD_ACTUALS, new RecordBatch(List.copyOf(entries)));
    }

    static String lineId(int year, String kapitel, String titel) {
        return new BudgetLineId(FiscalYear.of(year), kapitel, titel).toString();
    }

    /** {@code bund:<sha256>:<row>:<action>}: stable across re-imports of the same bytes. */
    static String requestId(Provenance source, String action) {
        return "bund:" + source.sha256() + ":" + source.row() + ":" + action;
    }

    private static String where(Provenance source) {
        return source.fileName() + " row " + source.row();
    }
}
