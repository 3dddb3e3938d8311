package org.etat.ledger.budgetline;

import java.time.LocalDate;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Records revenue received on a revenue line. */
public record RecordRevenue(
        @TargetAggregateIdentifier String lineId,
        long amountCents,
        LocalDate effectiveDate,
        String purpose,
        String documentReference,
        String projectId) {
}
