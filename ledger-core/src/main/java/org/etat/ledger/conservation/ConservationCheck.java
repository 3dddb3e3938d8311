package org.etat.ledger.conservation;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.etat.ledger.budgetline.AppropriationEnacted;
import org.etat.ledger.budgetline.BudgetLineId;
import org.etat.ledger.budgetline.Component;
import org.etat.ledger.budgetline.ExpenditureRecorded;
import org.etat.ledger.budgetline.FundsBlocked;
import org.etat.ledger.budgetline.FundsReleased;
import org.etat.ledger.budgetline.LineBalance;
import org.etat.ledger.budgetline.LineKind;
import org.etat.ledger.budgetline.LineOpened;
import org.etat.ledger.budgetline.OverPlanConsentGranted;
import org.etat.ledger.budgetline.Remainders;
import org.etat.ledger.budgetline.RevenueRecorded;
import org.etat.ledger.carryover.RemainderCarriedIn;
import org.etat.ledger.carryover.RemainderCarriedOut;
import org.etat.ledger.common.LineEvent;
import org.etat.ledger.correction.EntryReversed;
import org.etat.ledger.reallocation.ReallocatedIn;
import org.etat.ledger.reallocation.ReallocatedOut;
import org.etat.ledger.yearclose.LapsedAtClose;
import org.etat.ledger.yearclose.YearClosed;

/**
 * Proves from the raw log that the books balance. A pure fold: no database, no clock, no Axon.
 *
 * <p>It checks, event by event and in log order: every event belongs to an opened line and lies in
 * its year; nothing follows a line's close; no expenditure line is ever overdrawn or over-released;
 * every reallocation and carry-over leg has its twin with the same amount, the right lines and years;
 * no carry-over takes money past the end of the second year after its grant or more than the line may
 * carry (§ 45, {@link Remainders});
 * every reversal names an entry of its line that was not reversed before. At the end, per year:
 * appropriated + amended + consented + carried in = spent + carried out + lapsed + blocked +
 * available, and reallocations out equal reallocations in. It reports the first violation.
 */
public final class ConservationCheck {

    private final Map<String, LineState> lines = new HashMap<>();
    private final Map<String, Leg> openLegs = new HashMap<>();
    private final Set<String> reversedKeys = new HashSet<>();
    private final Map<String, String> eventLine = new HashMap<>();
    private final Map<String, String> legLink = new HashMap<>();
    private ConservationReport.Violation violation;
    private long checked;

    /** Checks a whole log. */
    public static ConservationReport check(Iterable<RecordedEvent> log) {
        ConservationCheck check = new ConservationCheck();
        for (RecordedEvent e : log) {
            if (!check.accept(e)) {
                break;
            }
        }
        return check.report();
    }

    /** Folds one more event; returns false once a violation was found. */
    public boolean accept(RecordedEvent recorded) {
        if (violation != null) {
            return false;
        }
        checked++;
        if (!(recorded.payload() instanceof LineEvent event)) {
            return true; // not a budget line event (e.g. audit digests): moves no money
        }
        String lineId = event.lineId();
        LineState line = lines.get(lineId);
        if (event instanceof LineOpened opened) {
            if (line != null) {
                return fail(recorded, lineId, "line opened twice");
            }
            if (!BudgetLineId.parse(lineId).year().contains(opened.effectiveDate())) {
                return fail(recorded, lineId, "line opened outside its year");
            }
            lines.put(lineId, new LineState(opened.year(), opened.kind()));
            return true;
        }
        if (line == null) {
            return fail(recorded, lineId, "event on a line that was never opened");
        }
        if (line.closed) {
            return fail(recorded, lineId, "event after the line's year was closed");
        }
        LocalDate date = event.effectiveDate();
        if (date == null || date.getYear() != line.year) {
            return fail(recorded, lineId, "effective date " + date + " outside fiscal year " + line.year);
        }
        String problem = legOrReversalProblem(recorded, event, line);
        if (problem != null) {
            return fail(recorded, lineId, problem);
        }
        if (amountOf(event) <= 0 && !(event instanceof EntryReversed) && !(event instanceof YearClosed)
                && !(event instanceof org.etat.ledger.budgetline.AppropriationAmended) && !(event instanceof LapsedAtClose)) {
            return fail(recorded, lineId, "amount is not positive");
        }
        String remainderProblem = remainderProblem(event, line);
        if (remainderProblem != null) {
            return fail(recorded, lineId, remainderProblem);
        }
        line.balance = line.balance.apply(event);
        line.remainders = line.remainders.apply(event);
        eventLine.put(recorded.eventId(), lineId);
        if (event instanceof YearClosed) {
            line.closed = true;
        }
        if (line.kind == LineKind.EXPENDITURE) {
            if (line.balance.availableCents() < 0) {
                return fail(recorded, lineId, "line overdrawn: available " + line.balance.availableCents() + " cents");
            }
            if (line.balance.blockedCents() < 0) {
                return fail(recorded, lineId, "more released than blocked");
            }
        }
        return true;
    }

    /** § 45: a remainder is carried at most into the second year after its grant, and only what may be carried. */
    private static String remainderProblem(LineEvent event, LineState line) {
        java.util.SortedMap<Integer, Long> vintages;
        if (event instanceof RemainderCarriedOut e) {
            vintages = e.grantYearCents();
            if (e.amountCents() > line.remainders.carryableCents(line.year, line.balance)) {
                return "carry-over takes remainders past the end of the second year after their grant (§ 45)";
            }
        } else if (event instanceof RemainderCarriedIn e) {
            vintages = e.grantYearCents();
        } else {
            return null;
        }
        long sum = 0;
        for (Map.Entry<Integer, Long> v : vintages.entrySet()) {
            if (v.getValue() <= 0) {
                return "carry-over split by grant year is not positive";
            }
            sum += v.getValue();
            int lastYear = Remainders.lastYearOf(v.getKey());
            if (v.getKey() > line.year || lastYear < line.year + (event instanceof RemainderCarriedOut ? 1 : 0)) {
                return "money granted in " + v.getKey() + " carried beyond " + lastYear + " (§ 45)";
            }
        }
        if (sum != ((event instanceof RemainderCarriedOut o) ? o.amountCents() : ((RemainderCarriedIn) event).amountCents())) {
            return "carry-over split by grant year does not add up to its amount";
        }
        return null;
    }

    private String legOrReversalProblem(RecordedEvent recorded, LineEvent event, LineState line) {
        if (event instanceof ReallocatedOut e) {
            return pairLeg(recorded, e.reallocationId(), e.lineId(), e.toLineId(), e.amountCents(), null, true, line.year, line.year);
        } else if (event instanceof ReallocatedIn e) {
            return pairLeg(recorded, e.reallocationId(), e.lineId(), e.fromLineId(), e.amountCents(), null, false, line.year, line.year);
        } else if (event instanceof RemainderCarriedOut e) {
            return pairLeg(recorded, e.carryOverId(), e.lineId(), e.toLineId(), e.amountCents(), e.grantYearCents(), true, line.year,
                    line.year + 1);
        } else if (event instanceof RemainderCarriedIn e) {
            return pairLeg(recorded, e.carryOverId(), e.lineId(), e.fromLineId(), e.amountCents(), e.grantYearCents(), false, line.year,
                    line.year - 1);
        } else if (event instanceof EntryReversed e) {
            String onLine = eventLine.get(e.reversedEventId());
            if (onLine == null || !onLine.equals(e.lineId())) {
                return "reversal names " + e.reversedEventId() + ", which is not an entry of this line";
            }
            String key = legLink.getOrDefault(e.reversedEventId(), e.reversedEventId()) + "@" + e.lineId();
            if (!reversedKeys.add(key)) {
                return "entry " + e.reversedEventId() + " reversed twice";
            }
        }
        return null;
    }

    private String pairLeg(RecordedEvent recorded, String linkId, String lineId, String counterLineId, long amountCents,
            Map<Integer, Long> grantYearCents, boolean out, int year, int counterYear) {
        legLink.put(recorded.eventId(), linkId);
        if (BudgetLineId.parse(counterLineId).year().value() != counterYear) {
            return "leg " + linkId + " points to " + counterLineId + " in the wrong year";
        }
        Leg twin = openLegs.remove(linkId);
        if (twin == null) {
            openLegs.put(linkId, new Leg(recorded, lineId, counterLineId, amountCents, grantYearCents, out));
            return null;
        }
        if (twin.out == out || !twin.lineId.equals(counterLineId) || !twin.counterLineId.equals(lineId) || twin.amountCents != amountCents
                || !java.util.Objects.equals(twin.grantYearCents, grantYearCents)) {
            return "legs of " + linkId + " do not mirror each other (lines, direction, amount or grant years)";
        }
        return null;
    }

    private static long amountOf(LineEvent e) {
        if (e instanceof AppropriationEnacted x) {
            return x.amountCents();
        } else if (e instanceof FundsBlocked x) {
            return x.amountCents();
        } else if (e instanceof FundsReleased x) {
            return x.amountCents();
        } else if (e instanceof OverPlanConsentGranted x) {
            return x.amountCents();
        } else if (e instanceof ExpenditureRecorded x) {
            return x.amountCents();
        } else if (e instanceof RevenueRecorded x) {
            return x.amountCents();
        } else if (e instanceof ReallocatedOut x) {
            return x.amountCents();
        } else if (e instanceof ReallocatedIn x) {
            return x.amountCents();
        } else if (e instanceof RemainderCarriedOut x) {
            return x.amountCents();
        } else if (e instanceof RemainderCarriedIn x) {
            return x.amountCents();
        }
        return 1;
    }

    private boolean fail(RecordedEvent recorded, String lineId, String rule) {
        violation = new ConservationReport.Violation(recorded.globalSequence(), recorded.eventId(), lineId, rule);
        return false;
    }

    /** The report over everything folded so far. Unpaired legs at the end are a violation. */
    public ConservationReport report() {
        Map<Integer, long[]> byYear = new TreeMap<>();
        for (LineState line : lines.values()) {
            if (line.kind != LineKind.EXPENDITURE) {
                continue;
            }
            long[] t = byYear.computeIfAbsent(line.year, y -> new long[11]);
            LineBalance b = line.balance;
            t[0] += b.appropriatedCents();
            t[1] += b.amendedCents();
            t[2] += b.consentedCents();
            t[3] += b.carriedInCents();
            t[4] += b.reallocatedInCents();
            t[5] += b.reallocatedOutCents();
            t[6] += b.spentCents();
            t[7] += b.carriedOutCents();
            t[8] += b.lapsedCents();
            t[9] += b.blockedCents();
            t[10] += b.availableCents();
        }
        List<YearTotals> years = new ArrayList<>();
        ConservationReport.Violation first = violation;
        if (first == null && !openLegs.isEmpty()) {
            // Before the year totals: an unpaired leg also unbalances its year, but the leg names the event to blame.
            Leg leg = openLegs.values().stream().min(java.util.Comparator.comparingLong(l -> l.recorded.globalSequence())).orElseThrow();
            first = new ConservationReport.Violation(leg.recorded.globalSequence(), leg.recorded.eventId(), leg.lineId,
                    "leg without its twin: money in transit");
        }
        for (Map.Entry<Integer, long[]> e : byYear.entrySet()) {
            long[] t = e.getValue();
            YearTotals totals = new YearTotals(e.getKey(), t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7], t[8], t[9], t[10]);
            years.add(totals);
            if (first == null && !totals.balanced()) {
                first = new ConservationReport.Violation(-1, null, null, "fiscal year " + e.getKey() + " does not balance: sources "
                        + totals.sourcesCents() + " vs uses " + totals.usesCents() + ", reallocated out " + totals.reallocatedOutCents()
                        + " vs in " + totals.reallocatedInCents());
            }
        }
        return new ConservationReport(checked, years, first);
    }

    /** The balance of a component across every expenditure line of a year, for callers that need one figure. */
    public static long total(ConservationReport report, int year, Component component) {
        return report.years().stream().filter(y -> y.year() == year).findFirst().map(y -> switch (component) {
            case APPROPRIATED -> y.appropriatedCents();
            case AMENDED -> y.amendedCents();
            case CONSENTED -> y.consentedCents();
            case CARRIED_IN -> y.carriedInCents();
            case REALLOCATED_IN -> y.reallocatedInCents();
            case REALLOCATED_OUT -> y.reallocatedOutCents();
            case SPENT -> y.spentCents();
            case CARRIED_OUT -> y.carriedOutCents();
            case LAPSED -> y.lapsedCents();
            case BLOCKED -> y.blockedCents();
            case REVENUE -> 0L;
        }).orElse(0L);
    }

    private static final class LineState {
        final int year;
        final LineKind kind;
        LineBalance balance = LineBalance.ZERO;
        Remainders remainders = Remainders.NONE;
        boolean closed;

        LineState(int year, LineKind kind) {
            this.year = year;
            this.kind = kind;
        }
    }

    private record Leg(RecordedEvent recorded, String lineId, String counterLineId, long amountCents, Map<Integer, Long> grantYearCents,
            boolean out) {
    }
}
