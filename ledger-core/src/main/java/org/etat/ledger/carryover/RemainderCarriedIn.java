package org.etat.ledger.carryover;

import java.time.LocalDate;
import java.util.SortedMap;
import org.etat.ledger.budgetline.Remainders;
import org.etat.ledger.common.LineEvent;

/**
 * A remainder arrived from the same title in year N-1. Twin of {@link RemainderCarriedOut}, with the
 * same {@code grantYearCents}. Events stored before the field existed read as money granted in N-1.
 */
public record RemainderCarriedIn(
        String lineId,
        String carryOverId,
        String fromLineId,
        long amountCents,
        String consentReference,
        String justification,
        LocalDate effectiveDate,
        SortedMap<Integer, Long> grantYearCents) implements LineEvent {

    public RemainderCarriedIn {
        grantYearCents = Remainders.vintagesOrDefault(grantYearCents, fromLineId, amountCents);
    }

    /** Money granted in the year it came from. */
    public RemainderCarriedIn(String lineId, String carryOverId, String fromLineId, long amountCents, String consentReference,
            String justification, LocalDate effectiveDate) {
        this(lineId, carryOverId, fromLineId, amountCents, consentReference, justification, effectiveDate, null);
    }
}
