package org.etat.ledger.budgetline;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.etat.ledger.common.LedgerRejection;
import org.etat.ledger.common.Rule;

/** A budget line is one title in one fiscal year: {@code 2024-08030-54669}. */
public record BudgetLineId(FiscalYear year, String kapitel, String titel) implements Comparable<BudgetLineId> {

    private static final Pattern FORM = Pattern.compile("([0-9]{4})-([0-9]{4,5})-([0-9]{5})");
    // Compiled once: every batch entry's line id passes here.
    private static final Pattern KAPITEL = Pattern.compile("[0-9]{4,5}");
    private static final Pattern TITEL = Pattern.compile("[0-9]{5}");

    public BudgetLineId {
        if (year == null || kapitel == null || !KAPITEL.matcher(kapitel).matches() || titel == null
                || !TITEL.matcher(titel).matches()) {
            throw new LedgerRejection(Rule.INVALID_LINE_ID, "a budget line id needs a year, a 4- or 5-digit Kapitel and a 5-digit Titel");
        }
    }

    public static BudgetLineId parse(String text) {
        if (text == null) {
            throw new LedgerRejection(Rule.INVALID_LINE_ID, "budget line id is missing");
        }
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            throw new LedgerRejection(Rule.INVALID_LINE_ID,
                    "budget line id must look like 2024-08030-54669 (year-Kapitel-Titel), got \"" + text + "\"");
        }
        return new BudgetLineId(FiscalYear.of(Integer.parseInt(m.group(1))), m.group(2), m.group(3));
    }

    public static BudgetLineId of(FiscalYear year, TitleKey key) {
        return new BudgetLineId(year, key.kapitel(), key.titel());
    }

    /** The same title in another year (where a remainder is carried to). */
    public BudgetLineId inYear(FiscalYear other) {
        return new BudgetLineId(other, kapitel, titel);
    }

    @Override
    public int compareTo(BudgetLineId other) {
        return toString().compareTo(other.toString());
    }

    @Override
    public String toString() {
        return year + "-" + kapitel + "-" + titel;
    }
}
