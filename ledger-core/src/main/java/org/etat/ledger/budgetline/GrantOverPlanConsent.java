package org.etat.ledger.budgetline;

import java.time.LocalDate;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * The Finance Ministry consents to spending beyond the appropriation (überplanmäßig) or without one
 * (außerplanmäßig), § 37. It raises the line's spending limit and is reported separately.
 */
public record GrantOverPlanConsent(
        @TargetAggregateIdentifier String lineId,
        long amountCents,
        String consentReference,
        String justification,
        LocalDate effectiveDate) {
}
