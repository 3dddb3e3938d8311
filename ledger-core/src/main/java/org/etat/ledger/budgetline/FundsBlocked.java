package org.etat.ledger.budgetline;

import java.time.LocalDate;
import org.etat.ledger.common.LineEvent;

/** Funds were blocked (Sperre): they stay on the line but may not be used. */
public record FundsBlocked(String lineId, long amountCents, String legalBasis, LocalDate effectiveDate)
        implements LineEvent {
}
