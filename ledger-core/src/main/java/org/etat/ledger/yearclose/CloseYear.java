package org.etat.ledger.yearclose;

/** Closes a fiscal year: every line's unspent rest lapses and no entry is accepted afterwards. */
public record CloseYear(int year, String justification) {
}
