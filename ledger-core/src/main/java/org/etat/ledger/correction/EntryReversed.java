package org.etat.ledger.correction;

import java.time.LocalDate;
import java.util.SortedMap;
import org.etat.ledger.budgetline.Component;
import org.etat.ledger.budgetline.Remainders;
import org.etat.ledger.common.LineEvent;

/**
 * An earlier entry on this line was reversed. {@code deltaCents} is what the reversal changes in
 * the named balance component (the opposite of the original entry's effect). For a two-leg entry
 * each line gets its own EntryReversed, sharing {@code reversalId}. For a carry-over leg,
 * {@code grantYearCents} is the change by grant year (§ 45); null for every other entry. A carry-over
 * leg's reversal stored before the field existed reads as money granted in the year the remainder
 * came from (carried in) or in the line's own year (carried out).
 */
public record EntryReversed(
        String lineId,
        String reversalId,
        String reversedEventId,
        String reversedType,
        Component component,
        long deltaCents,
        String reason,
        LocalDate effectiveDate,
        SortedMap<Integer, Long> grantYearCents) implements LineEvent {

    public EntryReversed {
        if (component == Component.CARRIED_IN || component == Component.CARRIED_OUT) {
            int lineYear = Remainders.yearOf(lineId);
            grantYearCents = Remainders.vintagesOrDefault(grantYearCents,
                    component == Component.CARRIED_IN ? lineYear - 1 : lineYear, deltaCents);
        } else {
            grantYearCents = null;
        }
    }

    public EntryReversed(String lineId, String reversalId, String reversedEventId, String reversedType, Component component,
            long deltaCents, String reason, LocalDate effectiveDate) {
        this(lineId, reversalId, reversedEventId, reversedType, component, deltaCents, reason, effectiveDate, null);
    }
}
