package org.etat.ledger.conservation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.etat.ledger.testing.Commands.date;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.etat.ledger.budgetline.AppropriationEnacted;
import org.etat.ledger.budgetline.Component;
import org.etat.ledger.budgetline.ExpenditureRecorded;
import org.etat.ledger.budgetline.LineKind;
import org.etat.ledger.budgetline.LineOpened;
import org.etat.ledger.budgetline.TitleKey;
import org.etat.ledger.correction.EntryReversed;
import org.etat.ledger.reallocation.LegalBasis;
import org.etat.ledger.reallocation.ReallocatedIn;
import org.etat.ledger.reallocation.ReallocatedOut;
import org.etat.ledger.yearclose.LapsedAtClose;
import org.etat.ledger.yearclose.YearClosed;
import org.junit.jupiter.api.Test;

/** Hand-crafted logs: a balanced one passes, and each kind of broken one is reported at the event to blame. */
class ConservationCheckTest {

    static final String A = "2024-08030-54669";
    static final String B = "2024-08030-63369";
    static final LocalDate ON = date(2024, 5, 1);
    static final LegalBasis BASIS = LegalBasis.consent("FM");

    /** Payloads become events e1, e2, ... at global sequence 1, 2, ... */
    static List<RecordedEvent> log(Object... payloads) {
        List<RecordedEvent> log = new ArrayList<>();
        for (int i = 0; i < payloads.length; i++) {
            log.add(new RecordedEvent("e" + (i + 1), i + 1, payloads[i]));
        }
        return log;
    }

    static LineOpened opened(String lineId) {
        String[] p = lineId.split("-");
        return new LineOpened(lineId, 2024, TitleKey.of(p[1], p[2]), "purpose", LineKind.EXPENDITURE, false, List.of(), date(2024, 1, 1));
    }

    static AppropriationEnacted enacted(String lineId, long cents) {
        return new AppropriationEnacted(lineId, cents, "HG 2024", date(2024, 1, 1));
    }

    static ExpenditureRecorded spent(String lineId, long cents) {
        return new ExpenditureRecorded(lineId, cents, ON, "payment", "D", null);
    }

    static EntryReversed reversalOf(String lineId, String eventId, long cents) {
        return new EntryReversed(lineId, "r-" + eventId, eventId, "ExpenditureRecorded", Component.SPENT, -cents, "error", ON);
    }

    private static void assertViolation(List<RecordedEvent> log, String eventId, String ruleFragment) {
        ConservationReport report = ConservationCheck.check(log);
        assertThat(report.balanced()).isFalse();
        assertThat(report.firstViolation().rule()).contains(ruleFragment);
        assertThat(report.firstViolation().eventId()).isEqualTo(eventId);
    }

    @Test
    void aBalancedLogPasses() {
        ConservationReport report = ConservationCheck.check(log(opened(A), opened(B), enacted(A, 100), spent(A, 30),
                new ReallocatedOut(A, "m1", B, 50, BASIS, "j", ON), new ReallocatedIn(B, "m1", A, 50, BASIS, "j", ON),
                reversalOf(A, "e4", 30), new LapsedAtClose(A, 50, 0, "lapses", date(2024, 12, 31)),
                new YearClosed(A, 2024, null, date(2024, 12, 31))));
        assertThat(report.balanced()).as(String.valueOf(report.firstViolation())).isTrue();
        assertThat(report.eventsChecked()).isEqualTo(9);
        YearTotals y = report.years().get(0);
        assertThat(y.sourcesCents()).isEqualTo(100).isEqualTo(y.usesCents());
        assertThat(y.lapsedCents()).isEqualTo(50);
        assertThat(y.availableCents()).isEqualTo(50);
    }

    @Test
    void anOverdrawnLineIsReported() {
        assertViolation(log(opened(A), enacted(A, 100), spent(A, 60), spent(A, 41)), "e4", "overdrawn");
    }

    @Test
    void anUnpairedLegIsReported() {
        assertViolation(log(opened(A), opened(B), enacted(A, 100), new ReallocatedOut(A, "m1", B, 50, BASIS, "j", ON)),
                "e4", "without its twin");
    }

    @Test
    void legsThatDoNotMirrorEachOtherAreReported() {
        assertViolation(log(opened(A), opened(B), enacted(A, 100), new ReallocatedOut(A, "m1", B, 50, BASIS, "j", ON),
                new ReallocatedIn(B, "m1", A, 51, BASIS, "j", ON)), "e5", "do not mirror");
    }

    @Test
    void aRemainderCarriedBeyondTheSecondYearAfterItsGrantIsReported() {
        String from = "2024-08030-54669";
        String to = "2025-08030-54669";
        LineOpened opened2025 = new LineOpened(to, 2025, TitleKey.of("08030", "54669"), "purpose", LineKind.EXPENDITURE, true, List.of(),
                date(2025, 1, 1));
        java.util.TreeMap<Integer, Long> of2022 = new java.util.TreeMap<>(java.util.Map.of(2022, 40L));
        assertViolation(log(opened(from), opened2025, enacted(from, 100),
                new org.etat.ledger.carryover.RemainderCarriedOut(from, "c1", to, 40, "FM", "j", date(2024, 12, 1), of2022),
                new org.etat.ledger.carryover.RemainderCarriedIn(to, "c1", from, 40, "FM", "j", date(2025, 1, 1), of2022)),
                "e4", "carried beyond 2024 (§ 45)");
    }

    @Test
    void aDoubleReversalIsReported() {
        assertViolation(log(opened(A), enacted(A, 100), spent(A, 30), reversalOf(A, "e3", 30), reversalOf(A, "e3", 30)),
                "e5", "reversed twice");
    }

    @Test
    void anEventAfterCloseIsReported() {
        assertViolation(log(opened(A), enacted(A, 100), new LapsedAtClose(A, 100, 0, "lapses", date(2024, 12, 31)),
                new YearClosed(A, 2024, null, date(2024, 12, 31)), enacted(A, 5)), "e5", "after the line's year was closed");
    }

    @Test
    void anEventOnAnUnopenedLineOrOutsideItsYearIsReported() {
        assertViolation(log(enacted(A, 100)), "e1", "never opened");
        assertViolation(log(opened(A), new AppropriationEnacted(A, 100, "HG", date(2025, 1, 1))), "e2", "outside fiscal year");
        assertViolation(log(opened(A), opened(A)), "e2", "opened twice");
    }
}
