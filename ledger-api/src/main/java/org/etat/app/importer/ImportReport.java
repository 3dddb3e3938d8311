package org.etat.app.importer;

import java.util.List;
import org.etat.ledger.budgetline.LineKind;

/**
 * What an import plan does with a year's Soll and Ist, in cents. The {@code core*} sums are the
 * files' signed totals of the core budget (they equal the published totals); the other sums are what
 * reaches the ledger. They differ only by the skipped negative values listed here:
 * {@code coreSollExpenditureCents == appropriatedExpenditureCents + negativeSollCents(EXPENDITURE)}, and
 * likewise for revenue and for Ist.
 */
public record ImportReport(
        int year,
        int sollRows,
        int anlageSollRows,
        long anlageSollExpenditureCents,
        long anlageSollRevenueCents,
        long coreSollExpenditureCents,
        long coreSollRevenueCents,
        long appropriatedExpenditureCents,
        long appropriatedRevenueCents,
        int zeroSollRows,
        List<Skipped> negativeSoll,
        int istRows,
        int anlageIstRows,
        long coreIstExpenditureCents,
        long coreIstRevenueCents,
        long recordedExpenditureCents,
        long recordedRevenueCents,
        int zeroIstRows,
        List<Skipped> negativeIst,
        int linesOpened,
        int istOnlyLines,
        int overPlanConsents,
        long overPlanConsentCents,
        int unplannedConsents,
        long unplannedConsentCents) {

    /** A value the ledger cannot hold as such (a negative appropriation or actual): reported, not booked. */
    public record Skipped(String lineId, String purpose, long cents, Provenance source) {
    }

    public ImportReport {
        negativeSoll = List.copyOf(negativeSoll);
        negativeIst = List.copyOf(negativeIst);
    }

    public long negativeSollCents(LineKind kind) {
        return sum(negativeSoll, kind);
    }

    public long negativeIstCents(LineKind kind) {
        return sum(negativeIst, kind);
    }

    private static long sum(List<Skipped> skipped, LineKind kind) {
        return skipped.stream()
                .filter(s -> LineKind.ofTitel(s.lineId().substring(s.lineId().lastIndexOf('-') + 1)) == kind)
                .mapToLong(Skipped::cents)
                .reduce(0L, Math::addExact);
    }
}
