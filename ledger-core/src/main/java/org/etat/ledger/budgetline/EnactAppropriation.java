package org.etat.ledger.budgetline;

import java.time.LocalDate;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Enacts the appropriation (Ansatz/Soll) that the budget law grants a line. */
public record EnactAppropriation(
        @TargetAggregateIdentifier String lineId,
        long amountCents,
        String legalBasis,
        LocalDate effectiveDate) {
}
