package org.etat.ledger.reallocation;

import java.time.LocalDate;

/** Moves money from one expenditure line to another of the same year, on a legal basis. */
public record Reallocate(
        String fromLineId,
        String toLineId,
        long amountCents,
        LegalBasis legalBasis,
        String justification,
        LocalDate effectiveDate) {
}
