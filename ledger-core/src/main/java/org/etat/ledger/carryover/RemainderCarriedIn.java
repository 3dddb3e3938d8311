package org.etat.ledger.carryover;

import java.time.LocalDate;
import org.etat.ledger.common.LineEvent;

/** A remainder arrived from the same title in year N-1. Twin of {@link RemainderCarriedOut}. */
public record RemainderCarriedIn(
        String lineId,
        String carryOverId,
        String fromLineId,
        long amountCents,
        String consentReference,
        String justification,
        LocalDate effectiveDate) implements LineEvent {
}
