package org.etat.ledger.budgetline;

import java.time.LocalDate;
import java.util.List;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Opens a budget line: one title in one fiscal year. */
public record OpenLine(
        @TargetAggregateIdentifier String lineId,
        TitleKey key,
        String purpose,
        LineKind kind,
        boolean transferable,
        List<CoverGroup> coverGroups,
        LocalDate effectiveDate) {
}
