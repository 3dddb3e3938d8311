package org.etat.ledger.money;

import java.util.regex.Pattern;

/**
 * An exact amount of euros in integer cents. Never floating point.
 *
 * <p>Text form is strict: {@code "196270.47"}, {@code "700000"}, {@code "0.5"}; no exponent, no
 * grouping, no third decimal, no leading zeros, no plus sign. Amounts are bounded by
 * {@link #MAX_CENTS} so that sums of many amounts cannot overflow a {@code long} silently; every
 * addition still uses exact arithmetic.
 */
public record Money(long cents) implements Comparable<Money> {

    /** 10^15 EUR: a thousand times the largest national budget, far from Long.MAX_VALUE. */
    public static final long MAX_CENTS = 100_000_000_000_000_000L;

    public static final Money ZERO = new Money(0);

    private static final Pattern UNSIGNED = Pattern.compile("(0|[1-9][0-9]{0,15})(\\.[0-9]{1,2})?");

    public Money {
        if (cents < 0) {
            throw new MoneyFormatException("amount must not be negative: " + format(cents));
        }
        if (cents > MAX_CENTS) {
            throw new MoneyFormatException("amount exceeds the limit of " + format(MAX_CENTS));
        }
    }

    public static Money ofCents(long cents) {
        return new Money(cents);
    }

    /** Parses a non-negative amount such as {@code "196270.47"}. */
    public static Money parse(String text) {
        return new Money(parseCents(text));
    }

    /** Parses a non-negative amount into cents; refuses signs, exponents and a third decimal. */
    public static long parseCents(String text) {
        if (text == null) {
            throw new MoneyFormatException("amount is missing");
        }
        if (text.startsWith("-")) {
            throw new MoneyFormatException("amount must not be negative: \"" + text + "\"");
        }
        return parseMagnitude(text);
    }

    /** Parses a signed amount (a supplementary budget may cut an appropriation): {@code "-1000.00"}. */
    public static long parseSignedCents(String text) {
        if (text == null) {
            throw new MoneyFormatException("amount is missing");
        }
        if (text.startsWith("-")) {
            long magnitude = parseMagnitude(text.substring(1));
            if (magnitude == 0) {
                throw new MoneyFormatException("negative zero is not an amount: \"" + text + "\"");
            }
            return -magnitude;
        }
        return parseMagnitude(text);
    }

    private static long parseMagnitude(String text) {
        if (!UNSIGNED.matcher(text).matches()) {
            if (text.matches("-?[0-9]+\\.[0-9]{3,}")) {
                throw new MoneyFormatException("amount has more than two decimals: \"" + text + "\"");
            }
            throw new MoneyFormatException(
                    "amount must be a decimal string with at most two decimals, like \"196270.47\": \"" + text + "\"");
        }
        int dot = text.indexOf('.');
        String euros = dot < 0 ? text : text.substring(0, dot);
        String fraction = dot < 0 ? "" : text.substring(dot + 1);
        // The pattern allows at most 16 euro digits, so the product below cannot overflow a long;
        // the limit itself (exactly 10^15 EUR) must still parse, as format(MAX_CENTS) prints it.
        long cents = Long.parseLong(euros) * 100;
        if (fraction.length() == 1) {
            cents += Long.parseLong(fraction) * 10;
        } else if (fraction.length() == 2) {
            cents += Long.parseLong(fraction);
        }
        if (cents > MAX_CENTS) {
            throw new MoneyFormatException("amount exceeds the limit of " + format(MAX_CENTS) + ": \"" + text + "\"");
        }
        return cents;
    }

    /** Formats cents as a decimal string with exactly two decimals: {@code 19627047 -> "196270.47"}. */
    public static String format(long cents) {
        if (cents == Long.MIN_VALUE) {
            return "-92233720368547758.08";
        }
        long magnitude = Math.abs(cents);
        long fraction = magnitude % 100;
        return (cents < 0 ? "-" : "") + (magnitude / 100) + (fraction < 10 ? ".0" : ".") + fraction;
    }

    public Money plus(Money other) {
        return new Money(Math.addExact(cents, other.cents));
    }

    public Money minus(Money other) {
        return new Money(Math.subtractExact(cents, other.cents));
    }

    @Override
    public int compareTo(Money other) {
        return Long.compare(cents, other.cents);
    }

    @Override
    public String toString() {
        return format(cents);
    }
}
