package org.etat.ledger.budgetline;

import java.time.LocalDate;
import java.util.List;
import org.etat.ledger.common.LineEvent;

/** A budget line was opened: its title, purpose, kind, transferability and cover groups. */
public record LineOpened(
        String lineId,
        int year,
        TitleKey key,
        String purpose,
        LineKind kind,
        boolean transferable,
        List<CoverGroup> coverGroups,
        LocalDate effectiveDate) implements LineEvent {
    public LineOpened {
        coverGroups = coverGroups == null ? List.of() : List.copyOf(coverGroups);
    }
}
