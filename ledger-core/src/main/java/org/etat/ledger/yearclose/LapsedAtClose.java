package org.etat.ledger.yearclose;

import java.time.LocalDate;
import org.etat.ledger.common.LineEvent;

/**
 * The unspent rest of an expenditure line lapsed (Verfall) when its year closed. A block does not
 * outlive its year: {@code unblockedCents} were blocked and lapse too; they are part of
 * {@code lapsedCents}.
 */
public record LapsedAtClose(
        String lineId,
        long lapsedCents,
        long unblockedCents,
        String reason,
        LocalDate effectiveDate) implements LineEvent {
}
