package org.etat.ledger.reallocation;

import java.time.LocalDate;
import org.etat.ledger.common.LineEvent;

/** The giving leg of a reallocation. Its twin {@link ReallocatedIn} shares the reallocation id. */
public record ReallocatedOut(
        String lineId,
        String reallocationId,
        String toLineId,
        long amountCents,
        LegalBasis legalBasis,
        String justification,
        LocalDate effectiveDate) implements LineEvent {
}
