package org.etat.ledger.budgetline;

import java.time.LocalDate;
import org.etat.ledger.common.LineEvent;

/** Money left the line: paid on a date, for a purpose, against a document, optionally for a project. */
public record ExpenditureRecorded(
        String lineId,
        long amountCents,
        LocalDate effectiveDate,
        String purpose,
        String documentReference,
        String projectId) implements LineEvent {
}
