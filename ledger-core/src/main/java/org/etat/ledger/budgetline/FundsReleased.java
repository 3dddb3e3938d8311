package org.etat.ledger.budgetline;

import java.time.LocalDate;
import org.etat.ledger.common.LineEvent;

/** Blocked funds were released and are available again. */
public record FundsReleased(String lineId, long amountCents, String legalBasis, LocalDate effectiveDate)
        implements LineEvent {
}
