package org.etat.app.importer;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.regex.Pattern;

/**
 * Exact conversion of the amounts in budget files into cents. Never through floating-point
 * arithmetic: decimal text is parsed as a decimal; a binary double (a spreadsheet's numeric cell)
 * is accepted only if it is exactly the double nearest to a whole number of cents.
 */
final class Amounts {

    /**
     * 10^13 EUR. Below 2^52 / 100 ≈ 4.5 * 10^13 EUR the gap between adjacent doubles is under a
     * cent, so a double names at most one cent amount; the largest federal title is ~10^11 EUR.
     */
    static final long MAX_EUROS = 10_000_000_000_000L;

    private static final Pattern DECIMAL = Pattern.compile("-?[0-9]{1,20}(\\.[0-9]{1,40})?");
    private static final BigDecimal MAX = BigDecimal.valueOf(MAX_EUROS);

    private Amounts() {
    }

    /** {@code "1234"} thousand EUR -> 123,400,000 cents; up to five decimals (a cent) are exact. */
    static long thousandsToCents(String text) {
        BigDecimal thousands = decimal(text);
        BigDecimal cents = thousands.movePointRight(5);
        if (cents.stripTrailingZeros().scale() > 0) {
            throw new IllegalArgumentException("amount in thousand EUR is finer than a cent: \"" + text + "\"");
        }
        return checkRange(thousands.movePointRight(3), text).movePointRight(2).longValueExact();
    }

    /**
     * EUR with at most two decimals -> cents. A longer fraction is accepted only when it is the
     * full-precision print of a spreadsheet double that stands for a cent amount (the CSV conversion
     * writes {@code 2562377.2799999998} for the cell value 2562377.28); {@code 12.345} is refused.
     */
    static long eurosToCents(String text) {
        BigDecimal euros = decimal(text);
        checkRange(euros, text);
        if (euros.scale() <= 2) {
            return euros.movePointRight(2).longValueExact();
        }
        double binary = Double.parseDouble(text);
        Long cents = centsDenotedBy(binary);
        if (cents == null) {
            throw new IllegalArgumentException("amount has more than two decimals: \"" + text + "\"");
        }
        return cents;
    }

    /** A spreadsheet's numeric cell -> cents, if the double is exactly the one nearest to a cent amount. */
    static long doubleEurosToCents(double euros) {
        if (!Double.isFinite(euros)) {
            throw new IllegalArgumentException("amount is not a number: " + euros);
        }
        checkRange(new BigDecimal(euros), Double.toString(euros));
        Long cents = centsDenotedBy(euros);
        if (cents == null) {
            throw new IllegalArgumentException("amount is not a whole number of cents: " + new BigDecimal(euros).toPlainString());
        }
        return cents;
    }

    /** The cent amount whose nearest double is {@code value}, or null if there is none. */
    private static Long centsDenotedBy(double value) {
        BigDecimal nearestCent = new BigDecimal(value).setScale(2, RoundingMode.HALF_EVEN);
        // Double.parseDouble rounds the decimal correctly, so equality proves value is that cent amount's double.
        if (Double.parseDouble(nearestCent.toPlainString()) != value) {
            return null;
        }
        return nearestCent.movePointRight(2).longValueExact();
    }

    private static BigDecimal decimal(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("amount is missing");
        }
        if (!DECIMAL.matcher(text).matches()) {
            throw new IllegalArgumentException("amount must be a decimal number like 1234.56 (no grouping, no exponent): \"" + text + "\"");
        }
        if (text.equals("-0") || text.matches("-0\\.0*")) {
            return BigDecimal.ZERO;
        }
        return new BigDecimal(text);
    }

    private static BigDecimal checkRange(BigDecimal euros, String text) {
        if (euros.abs().compareTo(MAX) > 0) {
            throw new IllegalArgumentException("amount exceeds " + MAX_EUROS + " EUR: \"" + text + "\"");
        }
        return euros;
    }
}
