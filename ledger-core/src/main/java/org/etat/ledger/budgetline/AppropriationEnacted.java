package org.etat.ledger.budgetline;

import java.time.LocalDate;
import org.etat.ledger.common.LineEvent;

/** The budget law granted this line an appropriation. For a revenue line it is the estimate. */
public record AppropriationEnacted(String lineId, long amountCents, String legalBasis, LocalDate effectiveDate)
        implements LineEvent {
}
