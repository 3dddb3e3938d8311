package org.etat.ledger.carryover;

import java.time.LocalDate;

/**
 * Forms a remainder (Ausgaberest, § 19, § 45): unspent money of a transferable line in year N stays
 * available on the same title in year N+1. Forming it needs consent, named by its reference.
 * The out-leg takes effect on {@code effectiveDate} (in year N), the in-leg on 1 January of N+1.
 */
public record CarryOverRemainder(
        String fromLineId,
        long amountCents,
        String consentReference,
        String justification,
        LocalDate effectiveDate) {
}
