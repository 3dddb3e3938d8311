package org.etat.ledger.budgetline;

import java.time.LocalDate;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Releases blocked funds. */
public record ReleaseFunds(
        @TargetAggregateIdentifier String lineId,
        long amountCents,
        String legalBasis,
        LocalDate effectiveDate) {
}
