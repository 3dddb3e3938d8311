package org.etat.ledger.carryover;

import java.time.LocalDate;
import java.util.SortedMap;
import org.etat.ledger.budgetline.Remainders;
import org.etat.ledger.common.LineEvent;

/**
 * A remainder left year N for the same title in year N+1. Twin of {@link RemainderCarriedIn}.
 * {@code grantYearCents} splits {@code amountCents} by the year the money was granted in (§ 45: it
 * lives at most until the end of the second year after its grant). Events stored before the field
 * existed read as money granted in year N.
 */
public record RemainderCarriedOut(
        String lineId,
        String carryOverId,
        String toLineId,
        long amountCents,
        String consentReference,
        String justification,
        LocalDate effectiveDate,
        SortedMap<Integer, Long> grantYearCents) implements LineEvent {

    public RemainderCarriedOut {
        grantYearCents = Remainders.vintagesOrDefault(grantYearCents, lineId, amountCents);
    }

    /** Money granted in this line's own year. */
    public RemainderCarriedOut(String lineId, String carryOverId, String toLineId, long amountCents, String consentReference,
            String justification, LocalDate effectiveDate) {
        this(lineId, carryOverId, toLineId, amountCents, consentReference, justification, effectiveDate, null);
    }
}
