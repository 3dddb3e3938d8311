package org.etat.ledger.money;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class PercentTest {

    @Test
    void ruhrkonferenzRates() {
        assertThat(Percent.format(Money.parseCents("196270.47"), Money.parseCents("700000"))).isEqualTo("28.04");
        assertThat(Percent.format(Money.parseCents("397.64"), Money.parseCents("700000"))).isEqualTo("0.06");
    }

    @Test
    void roundsHalfUpToTwoDecimals() {
        // 1/800 = 0.125 %: half-up gives 0.13 where half-even would give 0.12.
        assertThat(Percent.of(1, 800)).isEqualByComparingTo("0.13");
        assertThat(Percent.of(1, 801)).isEqualByComparingTo("0.12");
        assertThat(Percent.of(3, 800)).isEqualByComparingTo("0.38");
        assertThat(Percent.of(1, 3)).isEqualByComparingTo("33.33");
        assertThat(Percent.of(2, 3)).isEqualByComparingTo("66.67");
        assertThat(Percent.of(150, 100)).isEqualByComparingTo("150.00");
        assertThat(Percent.format(0, 100)).isEqualTo("0.00");
    }

    @Test
    void exactForHugeAmounts() {
        assertThat(Percent.of(Money.MAX_CENTS - 1, Money.MAX_CENTS)).isEqualTo(new BigDecimal("100.00"));
    }

    @Test
    void noRateWithoutAPositiveBase() {
        assertThat(Percent.of(5, 0)).isNull();
        assertThat(Percent.of(5, -10)).isNull();
        assertThat(Percent.format(5, 0)).isNull();
    }
}
