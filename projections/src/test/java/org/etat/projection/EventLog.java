package org.etat.projection;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.etat.ledger.budgetline.AppropriationEnacted;
import org.etat.ledger.budgetline.BudgetLineId;
import org.etat.ledger.budgetline.Component;
import org.etat.ledger.budgetline.ExpenditureRecorded;
import org.etat.ledger.budgetline.FiscalYear;
import org.etat.ledger.budgetline.LineBalance;
import org.etat.ledger.budgetline.LineKind;
import org.etat.ledger.budgetline.LineOpened;
import org.etat.ledger.budgetline.OverPlanConsentGranted;
import org.etat.ledger.budgetline.TitleKey;
import org.etat.ledger.carryover.RemainderCarriedIn;
import org.etat.ledger.carryover.RemainderCarriedOut;
import org.etat.ledger.common.LineEvent;
import org.etat.ledger.conservation.ConservationCheck;
import org.etat.ledger.conservation.ConservationReport;
import org.etat.ledger.conservation.RecordedEvent;
import org.etat.ledger.correction.EntryReversed;
import org.etat.ledger.reallocation.LegalBasis;
import org.etat.ledger.reallocation.ReallocatedIn;
import org.etat.ledger.reallocation.ReallocatedOut;
import org.etat.ledger.yearclose.LapsedAtClose;
import org.etat.ledger.yearclose.YearClosed;

/**
 * Builds a log of real domain event records the way the aggregate would record them (same
 * payloads, leg twins, reversal deltas, lapse at close), with global sequences and a recording clock.
 */
final class EventLog {

    final List<ProjectedEvent> events = new ArrayList<>();
    private final Map<String, LineBalance> balances = new TreeMap<>();
    private final Map<String, LineKind> kinds = new HashMap<>();
    private final Map<String, Object> payloads = new HashMap<>();
    private final Map<String, String> legEvents = new HashMap<>();
    private Instant clock = Instant.parse("2023-01-02T08:00:00Z");
    private long sequence;
    private long ids;

    /** Records the next events at this instant (and a second later each). */
    EventLog at(Instant when) {
        clock = when;
        return this;
    }

    String open(int year, TitleKey key, String purpose, boolean transferable) {
        String lineId = BudgetLineId.of(FiscalYear.of(year), key).toString();
        LineKind kind = key.kindByLaw();
        kinds.put(lineId, kind);
        balances.put(lineId, LineBalance.ZERO);
        record(new LineOpened(lineId, year, key, purpose, kind, transferable, List.of(), LocalDate.of(year, 1, 1)));
        return lineId;
    }

    String appropriate(String lineId, long cents, LocalDate date) {
        return record(new AppropriationEnacted(lineId, cents, "Haushaltsgesetz " + date.getYear(), date));
    }

    String spend(String lineId, long cents, LocalDate date, String projectId) {
        return record(new ExpenditureRecorded(lineId, cents, date, "payment", "doc-" + (sequence + 1), projectId));
    }

    String receive(String lineId, long cents, LocalDate date) {
        return record(new org.etat.ledger.budgetline.RevenueRecorded(lineId, cents, date, "fees", "doc-" + (sequence + 1), null));
    }

    String consent(String lineId, long cents, String reference, boolean unplanned, LocalDate date) {
        return record(new OverPlanConsentGranted(lineId, cents, reference, "urgent need", unplanned, date));
    }

    /** Both legs, out first; returns the reallocation id. */
    String reallocate(String from, String to, long cents, LegalBasis basis, LocalDate date) {
        String id = nextId("realloc");
        legEvents.put(id + "@" + from, record(new ReallocatedOut(from, id, to, cents, basis, "savings reinforce " + to, date)));
        legEvents.put(id + "@" + to, record(new ReallocatedIn(to, id, from, cents, basis, "savings reinforce " + to, date)));
        return id;
    }

    /** Carries a remainder to the same title next year; returns the carry-over id. */
    String carry(String from, long cents, LocalDate date) {
        String to = BudgetLineId.parse(from).inYear(BudgetLineId.parse(from).year().next()).toString();
        String id = nextId("carry");
        legEvents.put(id + "@" + from, record(new RemainderCarriedOut(from, id, to, cents, "FM-Rest-" + id, "remainder", date)));
        legEvents.put(id + "@" + to, record(new RemainderCarriedIn(to, id, from, cents, "FM-Rest-" + id, "remainder",
                LocalDate.of(date.getYear() + 1, 1, 1))));
        return id;
    }

    /** Reverses a one-leg entry by its event id. */
    String reverse(String eventId, LocalDate date) {
        Object original = payloads.get(eventId);
        LineEvent le = (LineEvent) original;
        Component component;
        long delta;
        if (original instanceof ExpenditureRecorded x) {
            component = Component.SPENT;
            delta = -x.amountCents();
        } else if (original instanceof AppropriationEnacted x) {
            component = Component.APPROPRIATED;
            delta = -x.amountCents();
        } else if (original instanceof OverPlanConsentGranted x) {
            component = Component.CONSENTED;
            delta = -x.amountCents();
        } else {
            throw new IllegalArgumentException("not a one-leg entry: " + original);
        }
        return record(new EntryReversed(le.lineId(), nextId("rev"), eventId, original.getClass().getSimpleName(), component, delta,
                "correction", date));
    }

    /** Reverses both legs of a reallocation or carry-over. */
    void reverseLegs(String linkId, String lineA, String lineB, LocalDate dateA, LocalDate dateB) {
        String reversalId = nextId("rev");
        for (String[] l : new String[][] {{lineA, dateA.toString()}, {lineB, dateB.toString()}}) {
            String eventId = legEvents.get(linkId + "@" + l[0]);
            Object p = payloads.get(eventId);
            Component c;
            long amount;
            if (p instanceof ReallocatedOut x) {
                c = Component.REALLOCATED_OUT;
                amount = x.amountCents();
            } else if (p instanceof ReallocatedIn x) {
                c = Component.REALLOCATED_IN;
                amount = x.amountCents();
            } else if (p instanceof RemainderCarriedOut x) {
                c = Component.CARRIED_OUT;
                amount = x.amountCents();
            } else {
                c = Component.CARRIED_IN;
                amount = ((RemainderCarriedIn) p).amountCents();
            }
            record(new EntryReversed(l[0], reversalId, eventId, p.getClass().getSimpleName(), c, -amount, "correction",
                    LocalDate.parse(l[1])));
        }
    }

    /** Closes every line of a year as the aggregate does: the rest (with blocked funds) lapses. */
    void close(int year) {
        for (String lineId : List.copyOf(balances.keySet())) {
            if (!lineId.startsWith(year + "-")) {
                continue;
            }
            LocalDate last = LocalDate.of(year, 12, 31);
            LineBalance b = balances.get(lineId);
            if (kinds.get(lineId) == LineKind.EXPENDITURE) {
                long rest = b.availableCents() + b.blockedCents();
                if (rest > 0 || b.blockedCents() > 0) {
                    record(new LapsedAtClose(lineId, rest, b.blockedCents(), "the rest lapses", last));
                }
            }
            record(new YearClosed(lineId, year, "Jahresabschluss", last));
        }
    }

    long available(String lineId) {
        return balances.get(lineId).availableCents();
    }

    LineBalance balance(String lineId) {
        return balances.get(lineId);
    }

    Object payload(String eventId) {
        return payloads.get(eventId);
    }

    ConservationReport conservation() {
        return ConservationCheck.check(events.stream().map(e -> new RecordedEvent(e.eventId(), e.globalSequence(), e.payload())).toList());
    }

    private String record(LineEvent payload) {
        String eventId = UUID.nameUUIDFromBytes(("event-" + (sequence + 1)).getBytes()).toString();
        sequence++;
        events.add(new ProjectedEvent(sequence, eventId, payload, clock, payload.effectiveDate(), "clerk@nrw", Map.of()));
        clock = clock.plus(Duration.ofSeconds(1));
        payloads.put(eventId, payload);
        balances.computeIfPresent(payload.lineId(), (k, b) -> b.apply(payload));
        return eventId;
    }

    private String nextId(String prefix) {
        return prefix + "-" + (++ids);
    }
}
