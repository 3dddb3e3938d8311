package org.etat.ledger.money;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Rates in percent, computed exactly from cents and rounded half-up to two decimals. */
public final class Percent {

    private Percent() {
    }

    /**
     * {@code part / whole} in percent, half-up to two decimals: {@code (19627047, 70000000) -> 28.04}.
     * Returns {@code null} when the whole is not positive: without a base there is no rate.
     */
    public static BigDecimal of(long partCents, long wholeCents) {
        if (wholeCents <= 0) {
            return null;
        }
        return BigDecimal.valueOf(partCents)
                .multiply(BigDecimal.valueOf(100))
                .divide(BigDecimal.valueOf(wholeCents), 2, RoundingMode.HALF_UP);
    }

    /** Text form: {@code "28.04"}, or {@code null} without a base. */
    public static String format(long partCents, long wholeCents) {
        BigDecimal rate = of(partCents, wholeCents);
        return rate == null ? null : rate.toPlainString();
    }
}
