package org.etat.ledger.correction;

import java.time.LocalDate;

/**
 * Reverses an earlier entry (Storno). Nothing is edited: a new event names what it reverses.
 * Reversing one leg of a reallocation or carry-over reverses both legs.
 */
public record ReverseEntry(String eventId, String reason, LocalDate effectiveDate) {
}
