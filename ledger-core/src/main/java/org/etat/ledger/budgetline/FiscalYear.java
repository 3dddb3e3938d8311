package org.etat.ledger.budgetline;

import java.time.LocalDate;
import org.etat.ledger.common.LedgerRejection;
import org.etat.ledger.common.Limits;
import org.etat.ledger.common.Rule;

/** A fiscal year (Haushaltsjahr). It equals the calendar year; every amount belongs to one year. */
public record FiscalYear(int value) implements Comparable<FiscalYear> {

    public FiscalYear {
        if (value < Limits.MIN_YEAR || value > Limits.MAX_YEAR) {
            throw new LedgerRejection(Rule.INVALID_LINE_ID,
                    "fiscal year " + value + " is outside " + Limits.MIN_YEAR + ".." + Limits.MAX_YEAR);
        }
    }

    public static FiscalYear of(int value) {
        return new FiscalYear(value);
    }

    public LocalDate firstDay() {
        return LocalDate.of(value, 1, 1);
    }

    public LocalDate lastDay() {
        return LocalDate.of(value, 12, 31);
    }

    public boolean contains(LocalDate date) {
        return date != null && date.getYear() == value;
    }

    public FiscalYear next() {
        return new FiscalYear(value + 1);
    }

    @Override
    public int compareTo(FiscalYear other) {
        return Integer.compare(value, other.value);
    }

    @Override
    public String toString() {
        return Integer.toString(value);
    }
}
