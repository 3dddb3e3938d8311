package org.etat.ledger.budgetline;

/** The components of a line's balance; each is a column of the line balance read model. */
public enum Component {
    APPROPRIATED,
    AMENDED,
    BLOCKED,
    CONSENTED,
    REALLOCATED_IN,
    REALLOCATED_OUT,
    CARRIED_IN,
    CARRIED_OUT,
    SPENT,
    REVENUE,
    LAPSED
}
