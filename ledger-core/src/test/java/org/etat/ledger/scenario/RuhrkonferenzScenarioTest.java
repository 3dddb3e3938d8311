package org.etat.ledger.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.etat.ledger.scenario.Ruhrkonferenz.*;

import java.util.List;
import org.etat.ledger.budgetline.Component;
import org.etat.ledger.budgetline.LineBalance;
import org.etat.ledger.conservation.ConservationCheck;
import org.etat.ledger.conservation.ConservationReport;
import org.etat.ledger.money.Money;
import org.etat.ledger.reallocation.ReallocatedOut;
import org.etat.ledger.testing.InMemoryLedger;
import org.etat.ledger.yearclose.LapsedAtClose;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Ruhrkonferenz case at the domain level: the published figures come out of the log. */
class RuhrkonferenzScenarioTest {

    private static InMemoryLedger ledger;

    @BeforeAll
    static void replay() {
        ledger = new InMemoryLedger();
        Ruhrkonferenz.commands().forEach(ledger::send);
    }

    @AfterAll
    static void close() {
        ledger.close();
    }

    private static LineBalance balance(String lineId) {
        return ledger.view(lineId).balance();
    }

    @Test
    void in2023AQuarterWasSpentAndTheRestLapsed() {
        LineBalance b = balance(LINE_2023);
        assertThat(b.appropriatedCents()).isEqualTo(Money.parseCents("700000.00"));
        assertThat(b.spentCents()).isEqualTo(Money.parseCents("196270.47"));
        assertThat(b.lapsedCents()).isEqualTo(Money.parseCents("503729.53"));
        assertThat(b.availableCents()).isZero();
        assertThat(b.executionRatePercent()).isEqualTo("28.04");
        assertThat(ledger.view(LINE_2023).closed()).isTrue();
        assertThat(ledger.eventsOf(LINE_2023)).filteredOn(LapsedAtClose.class::isInstance).hasSize(1);
    }

    @Test
    void in2024AlmostNothingWasSpentAndTheRestWasMovedToTwoOtherTitles() {
        LineBalance b = balance(LINE_2024);
        assertThat(b.appropriatedCents()).isEqualTo(Money.parseCents("700000.00"));
        assertThat(b.spentCents()).isEqualTo(Money.parseCents("397.64"));
        assertThat(b.reallocatedOutCents()).isEqualTo(Money.parseCents("699602.36"));
        assertThat(b.availableCents()).isZero();
        assertThat(b.executionRatePercent()).isEqualTo("0.06");

        List<ReallocatedOut> moves = ledger.eventsOf(LINE_2024).stream()
                .filter(ReallocatedOut.class::isInstance).map(ReallocatedOut.class::cast).toList();
        assertThat(moves).hasSizeGreaterThanOrEqualTo(2);
        assertThat(moves).extracting(ReallocatedOut::toLineId).containsOnly(LINE_2024_GRANTS, LINE_2024_SERVICES)
                .contains(LINE_2024_GRANTS, LINE_2024_SERVICES);
        assertThat(moves.stream().mapToLong(ReallocatedOut::amountCents).sum()).isEqualTo(Money.parseCents("699602.36"));

        assertThat(balance(LINE_2024_GRANTS).reallocatedInCents()).isEqualTo(MOVED_TO_GRANTS_2024_CENTS);
        assertThat(balance(LINE_2024_SERVICES).reallocatedInCents()).isEqualTo(MOVED_TO_SERVICES_2024_CENTS);
        assertThat(balance(LINE_2024_GRANTS).availableCents()).isEqualTo(APPROPRIATED_GRANTS_2024_CENTS + MOVED_TO_GRANTS_2024_CENTS);
    }

    @Test
    void in2025And2026FourHundredFiftyThousandEachIsAppropriatedAndUnspent() {
        for (String line : List.of(LINE_2025, LINE_2026)) {
            LineBalance b = balance(line);
            assertThat(b.appropriatedCents()).isEqualTo(Money.parseCents("450000.00"));
            assertThat(b.availableCents()).isEqualTo(Money.parseCents("450000.00"));
            assertThat(b.spentCents()).isZero();
            assertThat(b.executionRatePercent()).isEqualTo("0.00");
        }
    }

    @Test
    void theBooksBalance() {
        ConservationReport report = ConservationCheck.check(ledger.log());
        assertThat(report.balanced()).as(String.valueOf(report.firstViolation())).isTrue();
        assertThat(ConservationCheck.total(report, 2023, Component.LAPSED)).isEqualTo(LAPSED_2023_CENTS);
        assertThat(ConservationCheck.total(report, 2024, Component.REALLOCATED_OUT))
                .isEqualTo(ConservationCheck.total(report, 2024, Component.REALLOCATED_IN))
                .isEqualTo(REALLOCATED_2024_CENTS);
        assertThat(ConservationCheck.total(report, 2025, Component.APPROPRIATED)).isEqualTo(APPROPRIATED_2025_CENTS);
        assertThat(ConservationCheck.total(report, 2026, Component.APPROPRIATED)).isEqualTo(APPROPRIATED_2026_CENTS);
    }

    @Test
    void theScriptsConstantsAgreeWithThePublishedFigures() {
        assertThat(Money.format(SPENT_2023_CENTS)).isEqualTo("196270.47");
        assertThat(Money.format(APPROPRIATED_2023_CENTS - SPENT_2023_CENTS)).isEqualTo(Money.format(LAPSED_2023_CENTS));
        assertThat(MOVED_TO_GRANTS_2024_CENTS + MOVED_TO_SERVICES_2024_CENTS).isEqualTo(REALLOCATED_2024_CENTS);
        assertThat(APPROPRIATED_2024_CENTS - SPENT_2024_CENTS).isEqualTo(REALLOCATED_2024_CENTS);
        assertThat(EXECUTION_RATE_2023).isEqualTo("28.04");
        assertThat(EXECUTION_RATE_2024).isEqualTo("0.06");
    }
}
