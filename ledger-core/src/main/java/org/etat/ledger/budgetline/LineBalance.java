package org.etat.ledger.budgetline;

import org.etat.ledger.carryover.RemainderCarriedIn;
import org.etat.ledger.carryover.RemainderCarriedOut;
import org.etat.ledger.common.LineEvent;
import org.etat.ledger.correction.EntryReversed;
import org.etat.ledger.money.Percent;
import org.etat.ledger.reallocation.ReallocatedIn;
import org.etat.ledger.reallocation.ReallocatedOut;
import org.etat.ledger.yearclose.LapsedAtClose;

/**
 * The components of one line's balance, in cents, folded from its events. One fold serves the
 * aggregate, the projections and the conservation check, so they cannot disagree on meaning.
 *
 * <pre>
 * available = appropriated + amended + carriedIn + reallocatedIn + consented
 *           - reallocatedOut - carriedOut - blocked - spent - lapsed
 * </pre>
 */
public record LineBalance(
        long appropriatedCents,
        long amendedCents,
        long blockedCents,
        long consentedCents,
        long reallocatedInCents,
        long reallocatedOutCents,
        long carriedInCents,
        long carriedOutCents,
        long spentCents,
        long revenueCents,
        long lapsedCents) {

    public static final LineBalance ZERO = new LineBalance(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** What may still be spent (or moved, or carried) now. */
    public long availableCents() {
        long in = Math.addExact(Math.addExact(Math.addExact(Math.addExact(appropriatedCents, amendedCents), carriedInCents),
                reallocatedInCents), consentedCents);
        long out = Math.addExact(Math.addExact(Math.addExact(Math.addExact(reallocatedOutCents, carriedOutCents), blockedCents),
                spentCents), lapsedCents);
        return Math.subtractExact(in, out);
    }

    /**
     * The base of the execution rate: the line's own grant, appropriated ± amendments + remainders
     * carried in (Soll plus Reste). Reallocations are left out on purpose: they are reported as where
     * the money went, and a line whose money was moved away must not look fully executed (the
     * Ruhrkonferenz title of 2024: 397.64 of 700,000.00 spent is 0.06 %, not 100 %).
     */
    public long plannedCents() {
        return Math.addExact(Math.addExact(appropriatedCents, amendedCents), carriedInCents);
    }

    /** Execution rate in percent, half-up to two decimals, or null without a positive base. */
    public String executionRatePercent() {
        return Percent.format(spentCents, plannedCents());
    }

    public long component(Component c) {
        return switch (c) {
            case APPROPRIATED -> appropriatedCents;
            case AMENDED -> amendedCents;
            case BLOCKED -> blockedCents;
            case CONSENTED -> consentedCents;
            case REALLOCATED_IN -> reallocatedInCents;
            case REALLOCATED_OUT -> reallocatedOutCents;
            case CARRIED_IN -> carriedInCents;
            case CARRIED_OUT -> carriedOutCents;
            case SPENT -> spentCents;
            case REVENUE -> revenueCents;
            case LAPSED -> lapsedCents;
        };
    }

    public LineBalance plus(Component c, long deltaCents) {
        long[] v = {appropriatedCents, amendedCents, blockedCents, consentedCents, reallocatedInCents, reallocatedOutCents,
                carriedInCents, carriedOutCents, spentCents, revenueCents, lapsedCents};
        v[c.ordinal()] = Math.addExact(v[c.ordinal()], deltaCents);
        return new LineBalance(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10]);
    }

    /** The balance after one more event of this line. Events that move no money return it unchanged. */
    public LineBalance apply(LineEvent event) {
        if (event instanceof AppropriationEnacted e) {
            return plus(Component.APPROPRIATED, e.amountCents());
        } else if (event instanceof AppropriationAmended e) {
            return plus(Component.AMENDED, e.deltaCents());
        } else if (event instanceof FundsBlocked e) {
            return plus(Component.BLOCKED, e.amountCents());
        } else if (event instanceof FundsReleased e) {
            return plus(Component.BLOCKED, -e.amountCents());
        } else if (event instanceof OverPlanConsentGranted e) {
            return plus(Component.CONSENTED, e.amountCents());
        } else if (event instanceof ExpenditureRecorded e) {
            return plus(Component.SPENT, e.amountCents());
        } else if (event instanceof RevenueRecorded e) {
            return plus(Component.REVENUE, e.amountCents());
        } else if (event instanceof ReallocatedOut e) {
            return plus(Component.REALLOCATED_OUT, e.amountCents());
        } else if (event instanceof ReallocatedIn e) {
            return plus(Component.REALLOCATED_IN, e.amountCents());
        } else if (event instanceof RemainderCarriedOut e) {
            return plus(Component.CARRIED_OUT, e.amountCents());
        } else if (event instanceof RemainderCarriedIn e) {
            return plus(Component.CARRIED_IN, e.amountCents());
        } else if (event instanceof LapsedAtClose e) {
            return plus(Component.BLOCKED, -e.unblockedCents()).plus(Component.LAPSED, e.lapsedCents());
        } else if (event instanceof EntryReversed e) {
            return plus(e.component(), e.deltaCents());
        }
        return this;
    }
}
