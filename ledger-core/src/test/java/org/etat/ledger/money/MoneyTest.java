package org.etat.ledger.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MoneyTest {

    @ParameterizedTest
    @CsvSource({"196270.47, 19627047", "0.5, 50", "0, 0", "0.00, 0", "0.05, 5", "700000, 70000000", "397.64, 39764",
            "1000000000000000, 100000000000000000", "999999999999999.99, 99999999999999999"})
    void parsesStrictDecimalStringsIntoCents(String text, long cents) {
        assertThat(Money.parseCents(text)).isEqualTo(cents);
        assertThat(Money.parse(text).cents()).isEqualTo(cents);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.234", "-1", "1e5", "01", " 1", "1 ", "+1", "1,50", "1.", ".5", "", "0x10", "1_000", "NaN",
            "1000000000000000.01", "10000000000000000", "99999999999999999999"})
    void refusesEverythingElse(String text) {
        assertThatThrownBy(() -> Money.parseCents(text)).isInstanceOf(MoneyFormatException.class);
    }

    @Test
    void refusesMissingAmount() {
        assertThatThrownBy(() -> Money.parseCents(null)).isInstanceOf(MoneyFormatException.class);
        assertThatThrownBy(() -> Money.parseSignedCents(null)).isInstanceOf(MoneyFormatException.class);
    }

    @Test
    void saysWhyAThirdDecimalIsRefused() {
        assertThatThrownBy(() -> Money.parseCents("1.234")).hasMessageContaining("more than two decimals");
    }

    @ParameterizedTest
    @CsvSource({"-1000.00, -100000", "-0.01, -1", "250.5, 25050", "-1000000000000000, -100000000000000000"})
    void parsesSignedAmendments(String text, long cents) {
        assertThat(Money.parseSignedCents(text)).isEqualTo(cents);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-0", "-0.00", "--1", "-+1", "- 1", "-1.234", "-1e5", "-01", "-1000000000000000.01"})
    void refusesMalformedSignedAmounts(String text) {
        assertThatThrownBy(() -> Money.parseSignedCents(text)).isInstanceOf(MoneyFormatException.class);
    }

    @ParameterizedTest
    @CsvSource({"19627047, 196270.47", "50, 0.50", "5, 0.05", "0, 0.00", "-150, -1.50", "70000000, 700000.00",
            "100000000000000000, 1000000000000000.00"})
    void formatsWithExactlyTwoDecimals(long cents, String text) {
        assertThat(Money.format(cents)).isEqualTo(text);
    }

    @Test
    void formatAndParseRoundTripUpToTheLimit() {
        for (long cents : new long[] {0, 1, 9, 10, 99, 100, 12345, Money.MAX_CENTS - 1, Money.MAX_CENTS}) {
            assertThat(Money.parseCents(Money.format(cents))).isEqualTo(cents);
            assertThat(Money.parseSignedCents(Money.format(-cents))).isEqualTo(-cents);
        }
    }

    @Test
    void valuesStayWithinZeroAndTheLimit() {
        assertThatThrownBy(() -> Money.ofCents(-1)).isInstanceOf(MoneyFormatException.class);
        assertThatThrownBy(() -> Money.ofCents(Money.MAX_CENTS + 1)).isInstanceOf(MoneyFormatException.class);
        assertThatThrownBy(() -> Money.ofCents(Money.MAX_CENTS).plus(Money.ofCents(1))).isInstanceOf(MoneyFormatException.class);
        assertThatThrownBy(() -> Money.ofCents(1).minus(Money.ofCents(2))).isInstanceOf(MoneyFormatException.class);
        assertThat(Money.parse("0.5").plus(Money.parse("196270.47"))).isEqualTo(Money.ofCents(19627097));
        assertThat(Money.parse("1.00").compareTo(Money.parse("0.99"))).isPositive();
        assertThat(Money.parse("196270.47")).hasToString("196270.47");
    }
}
