package org.etat.ledger.correction;

import java.time.LocalDate;

/**
 * Reverses an earlier entry (Storno). Nothing is edited: a new event names what it reverses.
 * Reversing one leg of a reallocation or carry-over reverses both legs. For a carry-over the
 * effective date applies to the out-leg (year N); the in-leg's reversal takes effect on 1 January
 * of N+1, as the in-leg did.
 */
public record ReverseEntry(String eventId, String reason, LocalDate effectiveDate) {
}
