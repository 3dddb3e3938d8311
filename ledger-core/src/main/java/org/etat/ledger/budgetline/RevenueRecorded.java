package org.etat.ledger.budgetline;

import java.time.LocalDate;
import org.etat.ledger.common.LineEvent;

/** Revenue was received. It may exceed the estimate. */
public record RevenueRecorded(
        String lineId,
        long amountCents,
        LocalDate effectiveDate,
        String purpose,
        String documentReference,
        String projectId) implements LineEvent {
}
