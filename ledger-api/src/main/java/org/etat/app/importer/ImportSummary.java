package org.etat.app.importer;

import java.util.ArrayList;
import java.util.List;
import org.etat.ledger.budgetline.LineKind;
import org.etat.ledger.money.Money;

/** The human-readable end of an import: what was read, what was booked, what was left out and why. */
public final class ImportSummary {

    /** Skipped values listed one by one up to this many; the rest are counted. */
    static final int MAX_LISTED = 10;

    private ImportSummary() {
    }

    public static List<String> lines(ImportReport r) {
        List<String> out = new ArrayList<>();
        out.add("Import of fiscal year " + r.year());
        out.add("  Soll rows read:            " + r.sollRows() + " (" + r.anlageSollRows() + " in annex chapters x090-x099, not imported: expenditure "
                + eur(r.anlageSollExpenditureCents()) + ", revenue " + eur(r.anlageSollRevenueCents()) + ")");
        out.add("  Soll core budget:          expenditure " + eur(r.coreSollExpenditureCents()) + ", revenue " + eur(r.coreSollRevenueCents()));
        out.add("  appropriations enacted:    expenditure " + eur(r.appropriatedExpenditureCents()) + ", revenue " + eur(r.appropriatedRevenueCents()));
        out.add("  Ist rows read:             " + r.istRows() + (r.anlageIstRows() > 0 ? " (" + r.anlageIstRows() + " in annex chapters, not imported)" : ""));
        out.add("  Ist core budget:           expenditure " + eur(r.coreIstExpenditureCents()) + ", revenue " + eur(r.coreIstRevenueCents()));
        out.add("  actuals recorded:          expenditure " + eur(r.recordedExpenditureCents()) + ", revenue " + eur(r.recordedRevenueCents()));
        out.add("  lines opened:              " + r.linesOpened() + " (" + r.istOnlyLines() + " known from Ist only)");
        out.add("  § 37 consents:             " + r.overPlanConsents() + " over-plan " + eur(r.overPlanConsentCents()) + ", "
                + r.unplannedConsents() + " unplanned " + eur(r.unplannedConsentCents()) + " (reference \"" + ImportPlanner.CONSENT_REFERENCE + "\")");
        out.add("  zero values:               " + r.zeroSollRows() + " Soll (line opened without appropriation), " + r.zeroIstRows() + " Ist (nothing booked)");
        skipped(out, "negative Soll (no negative appropriation in the ledger; line opened without one)", r.negativeSoll(),
                r.negativeSollCents(LineKind.EXPENDITURE), r.negativeSollCents(LineKind.REVENUE));
        skipped(out, "negative Ist (refunds exceeding payments; nothing booked)", r.negativeIst(),
                r.negativeIstCents(LineKind.EXPENDITURE), r.negativeIstCents(LineKind.REVENUE));
        return out;
    }

    private static void skipped(List<String> out, String what, List<ImportReport.Skipped> skipped, long expenditureCents, long revenueCents) {
        out.add("  " + what + ": " + skipped.size() + ", expenditure " + eur(expenditureCents) + ", revenue " + eur(revenueCents));
        skipped.stream().limit(MAX_LISTED).forEach(s -> out.add("    " + s.lineId() + "  " + eur(s.cents()) + "  " + s.purpose()
                + "  (" + s.source().fileName() + " row " + s.source().row() + ")"));
        if (skipped.size() > MAX_LISTED) {
            out.add("    ... and " + (skipped.size() - MAX_LISTED) + " more");
        }
    }

    static String eur(long cents) {
        return Money.format(cents) + " EUR";
    }
}
