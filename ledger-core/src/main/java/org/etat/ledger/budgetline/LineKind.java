package org.etat.ledger.budgetline;

/** Revenue (Einnahmen, Gruppierungsnummer 0-3) or expenditure (Ausgaben, 4-9). */
public enum LineKind {
    REVENUE,
    EXPENDITURE;

    /** The kind the budget law gives a title by the first digit of its Gruppierungsnummer. */
    public static LineKind ofTitel(String titel) {
        char first = titel.charAt(0);
        return first <= '3' ? REVENUE : EXPENDITURE;
    }
}
