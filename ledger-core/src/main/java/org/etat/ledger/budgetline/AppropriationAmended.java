package org.etat.ledger.budgetline;

import java.time.LocalDate;
import org.etat.ledger.common.LineEvent;

/** A supplementary budget changed the appropriation by {@code deltaCents} (signed). */
public record AppropriationAmended(String lineId, long deltaCents, String legalBasis, LocalDate effectiveDate)
        implements LineEvent {
}
