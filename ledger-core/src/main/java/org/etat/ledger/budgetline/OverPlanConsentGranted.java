package org.etat.ledger.budgetline;

import java.time.LocalDate;
import org.etat.ledger.common.LineEvent;

/**
 * A § 37 consent raised the spending limit. {@code unplanned} is true when the line had no
 * appropriation at the time (außerplanmäßig) and false when it exceeded one (überplanmäßig).
 */
public record OverPlanConsentGranted(
        String lineId,
        long amountCents,
        String consentReference,
        String justification,
        boolean unplanned,
        LocalDate effectiveDate) implements LineEvent {
}
