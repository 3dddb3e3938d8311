package org.etat.ledger.budgetline;

import java.time.LocalDate;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A supplementary budget (Nachtragshaushalt) raises (+) or cuts (-) the appropriation. */
public record AmendAppropriation(
        @TargetAggregateIdentifier String lineId,
        long deltaCents,
        String legalBasis,
        LocalDate effectiveDate) {
}
