package org.etat.ledger.reallocation;

import java.time.LocalDate;
import org.etat.ledger.common.LineEvent;

/** The receiving leg of a reallocation. Its twin {@link ReallocatedOut} shares the reallocation id. */
public record ReallocatedIn(
        String lineId,
        String reallocationId,
        String fromLineId,
        long amountCents,
        LegalBasis legalBasis,
        String justification,
        LocalDate effectiveDate) implements LineEvent {
}
