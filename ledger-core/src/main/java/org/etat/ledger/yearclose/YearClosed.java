package org.etat.ledger.yearclose;

import java.time.LocalDate;
import org.etat.ledger.common.LineEvent;

/** The line's fiscal year is closed: no more entries. */
public record YearClosed(String lineId, int year, String justification, LocalDate effectiveDate) implements LineEvent {
}
