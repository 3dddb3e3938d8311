package org.etat.ledger.carryover;

import java.time.LocalDate;
import org.etat.ledger.common.LineEvent;

/** A remainder left year N for the same title in year N+1. Twin of {@link RemainderCarriedIn}. */
public record RemainderCarriedOut(
        String lineId,
        String carryOverId,
        String toLineId,
        long amountCents,
        String consentReference,
        String justification,
        LocalDate effectiveDate) implements LineEvent {
}
