package org.etat.ledger.budgetline;

import java.time.LocalDate;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Records money paid out of an expenditure line (Ist / Mittelabfluss). */
public record RecordExpenditure(
        @TargetAggregateIdentifier String lineId,
        long amountCents,
        LocalDate effectiveDate,
        String purpose,
        String documentReference,
        String projectId) {
}
