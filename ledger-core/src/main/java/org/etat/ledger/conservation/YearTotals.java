package org.etat.ledger.conservation;

/**
 * Totals of one fiscal year over its expenditure lines, in cents. The books balance when
 * {@code sources == uses} and {@code reallocatedOut == reallocatedIn}.
 */
public record YearTotals(
        int year,
        long appropriatedCents,
        long amendedCents,
        long consentedCents,
        long carriedInCents,
        long reallocatedInCents,
        long reallocatedOutCents,
        long spentCents,
        long carriedOutCents,
        long lapsedCents,
        long blockedCents,
        long availableCents) {

    /** Where money came from: appropriated, amended, consented and carried in. */
    public long sourcesCents() {
        return appropriatedCents + amendedCents + consentedCents + carriedInCents;
    }

    /** Where it is now: spent, carried out, lapsed, blocked and still available. */
    public long usesCents() {
        return spentCents + carriedOutCents + lapsedCents + blockedCents + availableCents;
    }

    public boolean balanced() {
        return sourcesCents() == usesCents() && reallocatedOutCents == reallocatedInCents;
    }
}
