package org.etat.ledger.budgetline;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.etat.ledger.carryover.RemainderCarriedIn;
import org.etat.ledger.carryover.RemainderCarriedOut;
import org.etat.ledger.common.LineEvent;
import org.etat.ledger.correction.EntryReversed;

/**
 * § 45: unspent money of a transferable line stays available as a remainder at most until the end
 * of the second year after the year it was granted. Money granted for 2022 may be carried into 2023
 * and on into 2024, never into 2025; at the close of 2024 it lapses.
 *
 * <p>This fold keeps one line's carried-in and carried-out money by grant year (vintage), from its
 * carry-over legs and their reversals. Money of the line's own year (appropriation, amendments,
 * reallocations, § 37 consents) is not listed: it is what the balance holds beyond the remainders.
 *
 * <p><b>Consumption order: oldest money first.</b> Expenditures, reallocations away, blocks and
 * lapses draw first on the remainder that expires soonest, then on younger ones, then on the line's
 * own money; a carry-over also takes the oldest money that may still be carried. The split is
 * computed from totals (not entry by entry), so a reversal puts money back where the order says.
 */
public record Remainders(SortedMap<Integer, Long> carriedInByGrantYear, SortedMap<Integer, Long> carriedOutByGrantYear) {

    public static final Remainders NONE = new Remainders(null, null);

    public Remainders {
        carriedInByGrantYear = frozen(carriedInByGrantYear);
        carriedOutByGrantYear = frozen(carriedOutByGrantYear);
    }

    /** The last fiscal year in which money granted in {@code grantYear} may be available. */
    public static int lastYearOf(int grantYear) {
        return grantYear + 2;
    }

    /** The fiscal year of a line id ({@code 2024-08030-54669}) without parsing the rest. */
    public static int yearOf(String lineId) {
        return Integer.parseInt(lineId.substring(0, 4));
    }

    /** An event's split by grant year, or all of {@code amountCents} granted in the year of {@code lineId}. */
    public static SortedMap<Integer, Long> vintagesOrDefault(SortedMap<Integer, Long> given, String lineId, long amountCents) {
        return vintagesOrDefault(given, lineId == null ? 0 : yearOf(lineId), amountCents);
    }

    public static SortedMap<Integer, Long> vintagesOrDefault(SortedMap<Integer, Long> given, int grantYear, long amountCents) {
        if (given != null) {
            return frozen(given);
        }
        return Collections.unmodifiableSortedMap(new TreeMap<>(Map.of(grantYear, amountCents)));
    }

    /** The remainders after one more event of the line; events that carry nothing return them unchanged. */
    public Remainders apply(LineEvent event) {
        if (event instanceof RemainderCarriedIn e) {
            return new Remainders(plus(carriedInByGrantYear, e.grantYearCents()), carriedOutByGrantYear);
        } else if (event instanceof RemainderCarriedOut e) {
            return new Remainders(carriedInByGrantYear, plus(carriedOutByGrantYear, e.grantYearCents()));
        } else if (event instanceof EntryReversed e && e.component() == Component.CARRIED_IN) {
            return new Remainders(plus(carriedInByGrantYear, e.grantYearCents()), carriedOutByGrantYear);
        } else if (event instanceof EntryReversed e && e.component() == Component.CARRIED_OUT) {
            return new Remainders(carriedInByGrantYear, plus(carriedOutByGrantYear, e.grantYearCents()));
        }
        return this;
    }

    /**
     * What is still available on a line of {@code lineYear} by grant year, oldest first; the line's own
     * year last. Sums to {@code balance.availableCents()} (never negative parts).
     */
    public SortedMap<Integer, Long> availableByGrantYear(int lineYear, LineBalance balance) {
        long uses = Math.addExact(Math.addExact(Math.addExact(balance.spentCents(), balance.reallocatedOutCents()),
                balance.blockedCents()), balance.lapsedCents());
        long availableLeft = Math.max(0, balance.availableCents());
        SortedMap<Integer, Long> rest = new TreeMap<>();
        for (Map.Entry<Integer, Long> in : carriedInByGrantYear.entrySet()) {
            int grantYear = in.getKey();
            if (grantYear >= lineYear) {
                continue; // not a remainder; counted as the line's own money below
            }
            long net = in.getValue() - carriedOutByGrantYear.getOrDefault(grantYear, 0L);
            long used = Math.min(Math.max(0, net), uses);
            uses -= used;
            long left = Math.min(Math.max(0, net - used), availableLeft);
            availableLeft -= left;
            if (left > 0) {
                rest.put(grantYear, left);
            }
        }
        if (availableLeft > 0) {
            rest.put(lineYear, availableLeft);
        }
        return rest;
    }

    /** The part of what is available that must not leave the line's year: remainders in their last year. */
    public long expiringCents(int lineYear, LineBalance balance) {
        long sum = 0;
        for (Map.Entry<Integer, Long> e : availableByGrantYear(lineYear, balance).entrySet()) {
            if (lastYearOf(e.getKey()) <= lineYear) {
                sum += e.getValue();
            }
        }
        return sum;
    }

    /** What may be carried into {@code lineYear + 1}: available money whose § 45 limit reaches it. */
    public long carryableCents(int lineYear, LineBalance balance) {
        return Math.max(0, balance.availableCents()) - expiringCents(lineYear, balance);
    }

    /**
     * Splits a carry-over of {@code amountCents} by grant year, oldest carryable money first. The
     * caller checked that it does not exceed {@link #carryableCents}.
     */
    public SortedMap<Integer, Long> carryOutSplit(int lineYear, LineBalance balance, long amountCents) {
        SortedMap<Integer, Long> split = new TreeMap<>();
        long left = amountCents;
        for (Map.Entry<Integer, Long> e : availableByGrantYear(lineYear, balance).entrySet()) {
            if (left == 0) {
                break;
            }
            if (lastYearOf(e.getKey()) <= lineYear) {
                continue;
            }
            long take = Math.min(left, e.getValue());
            split.put(e.getKey(), take);
            left -= take;
        }
        if (left != 0) {
            throw new IllegalStateException("carry-over of " + amountCents + " cents exceeds what line year " + lineYear + " may carry");
        }
        return Collections.unmodifiableSortedMap(split);
    }

    private static SortedMap<Integer, Long> plus(SortedMap<Integer, Long> base, SortedMap<Integer, Long> delta) {
        if (delta == null || delta.isEmpty()) {
            return base;
        }
        TreeMap<Integer, Long> sum = new TreeMap<>(base);
        delta.forEach((year, cents) -> {
            long v = Math.addExact(sum.getOrDefault(year, 0L), cents);
            if (v == 0) {
                sum.remove(year);
            } else {
                sum.put(year, v);
            }
        });
        return sum;
    }

    private static SortedMap<Integer, Long> frozen(SortedMap<Integer, Long> m) {
        if (m == null || m.isEmpty()) {
            return Collections.emptySortedMap();
        }
        return Collections.unmodifiableSortedMap(new TreeMap<>(m));
    }
}
