package org.etat.app.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AmountsTest {

    @Test
    void thousands_become_exact_cents_including_negative_and_fractional_thousands() {
        assertThat(Amounts.thousandsToCents("356400000")).isEqualTo(35_640_000_000_000L);
        assertThat(Amounts.thousandsToCents("-5000")).isEqualTo(-500_000_000L);
        assertThat(Amounts.thousandsToCents("1.5")).isEqualTo(150_000L);
        assertThat(Amounts.thousandsToCents("0.00001")).isEqualTo(1L);
        assertThatThrownBy(() -> Amounts.thousandsToCents("0.000001")).hasMessageContaining("finer than a cent");
    }

    @Test
    void euros_with_up_to_two_decimals_are_exact() {
        assertThat(Amounts.eurosToCents("900892.74")).isEqualTo(90_089_274L);
        assertThat(Amounts.eurosToCents("1347996.2")).isEqualTo(134_799_620L);
        assertThat(Amounts.eurosToCents("-364404.95")).isEqualTo(-36_440_495L);
        assertThat(Amounts.eurosToCents("0")).isZero();
    }

    @Test
    void full_precision_print_of_a_cent_double_is_that_cent_amount() {
        // The CSV conversion prints the xlsx cell values with 17 significant digits.
        assertThat(Amounts.eurosToCents("2562377.2799999998")).isEqualTo(256_237_728L);
        assertThat(Amounts.eurosToCents("73617058.230000004")).isEqualTo(7_361_705_823L);
        assertThat(Amounts.eurosToCents("20320.240000000002")).isEqualTo(2_032_024L);
    }

    @Test
    void a_real_third_decimal_is_refused() {
        assertThatThrownBy(() -> Amounts.eurosToCents("12.345")).hasMessageContaining("more than two decimals");
        assertThatThrownBy(() -> Amounts.eurosToCents("0.001")).hasMessageContaining("more than two decimals");
        assertThatThrownBy(() -> Amounts.eurosToCents("12.3400001")).hasMessageContaining("more than two decimals");
    }

    @Test
    void text_that_is_not_a_plain_decimal_is_refused() {
        for (String bad : new String[] {"1,5", "1e3", "1.234,50", "", " 12", "12x", "+5", "1 000"}) {
            assertThatThrownBy(() -> Amounts.eurosToCents(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void a_double_is_accepted_only_if_it_is_exactly_the_double_of_a_cent_amount() {
        assertThat(Amounts.doubleEurosToCents(2562377.28)).isEqualTo(256_237_728L);
        assertThat(Amounts.doubleEurosToCents(-410.4)).isEqualTo(-41_040L);
        // 0.1 + 0.2 is 0.30000000000000004, not the double nearest to 0.30: arithmetic happened.
        assertThatThrownBy(() -> Amounts.doubleEurosToCents(0.1 + 0.2)).hasMessageContaining("not a whole number of cents");
        assertThatThrownBy(() -> Amounts.doubleEurosToCents(12.345)).hasMessageContaining("not a whole number of cents");
        assertThatThrownBy(() -> Amounts.doubleEurosToCents(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Amounts.doubleEurosToCents(1e14)).hasMessageContaining("exceeds");
    }
}
