package org.etat.ledger.budgetline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LineBalanceTest {

    @Test
    void executionRateIsSpentOverSollPlusRemaindersWithoutReallocations() {
        LineBalance b = LineBalance.ZERO
                .plus(Component.APPROPRIATED, 70_000_000)
                .plus(Component.AMENDED, -10_000_000)
                .plus(Component.CARRIED_IN, 40_000_000)
                .plus(Component.REALLOCATED_OUT, 50_000_000)
                .plus(Component.REALLOCATED_IN, 7)
                .plus(Component.SPENT, 25_000_000);
        assertThat(b.plannedCents()).isEqualTo(100_000_000);
        assertThat(b.executionRatePercent()).isEqualTo("25.00");
    }

    @Test
    void noRateWithoutAGrant() {
        LineBalance onlyReinforced = LineBalance.ZERO.plus(Component.REALLOCATED_IN, 100).plus(Component.SPENT, 50);
        assertThat(onlyReinforced.executionRatePercent()).isNull();
        assertThat(onlyReinforced.availableCents()).isEqualTo(50);
    }

    @Test
    void availableCountsEveryComponentOnce() {
        LineBalance b = LineBalance.ZERO;
        long expected = 0;
        long delta = 1;
        for (Component c : Component.values()) {
            b = b.plus(c, delta);
            expected += switch (c) {
                case APPROPRIATED, AMENDED, CARRIED_IN, REALLOCATED_IN, CONSENTED -> delta;
                case REVENUE -> 0;
                default -> -delta;
            };
            assertThat(b.component(c)).isEqualTo(delta);
            delta *= 10;
        }
        assertThat(b.availableCents()).isEqualTo(expected);
    }

    @Test
    void overflowIsAnErrorNotAWrapAround() {
        LineBalance b = LineBalance.ZERO.plus(Component.APPROPRIATED, Long.MAX_VALUE);
        assertThatThrownBy(() -> b.plus(Component.APPROPRIATED, 1)).isInstanceOf(ArithmeticException.class);
    }
}
