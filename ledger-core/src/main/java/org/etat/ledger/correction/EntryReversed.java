package org.etat.ledger.correction;

import java.time.LocalDate;
import org.etat.ledger.budgetline.Component;
import org.etat.ledger.common.LineEvent;

/**
 * An earlier entry on this line was reversed. {@code deltaCents} is what the reversal changes in
 * the named balance component (the opposite of the original entry's effect). For a two-leg entry
 * each line gets its own EntryReversed, sharing {@code reversalId}.
 */
public record EntryReversed(
        String lineId,
        String reversalId,
        String reversedEventId,
        String reversedType,
        Component component,
        long deltaCents,
        String reason,
        LocalDate effectiveDate) implements LineEvent {
}
