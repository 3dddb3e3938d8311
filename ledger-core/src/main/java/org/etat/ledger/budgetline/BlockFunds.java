package org.etat.ledger.budgetline;

import java.time.LocalDate;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Blocks part of the available funds (Sperre, § 22, § 41) until released. */
public record BlockFunds(
        @TargetAggregateIdentifier String lineId,
        long amountCents,
        String legalBasis,
        LocalDate effectiveDate) {
}
