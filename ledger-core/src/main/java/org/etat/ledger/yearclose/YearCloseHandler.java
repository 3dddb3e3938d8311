package org.etat.ledger.yearclose;

import static org.etat.ledger.common.LedgerRejection.check;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.modelling.command.Aggregate;
import org.etat.ledger.budgetline.BudgetLine;
import org.etat.ledger.budgetline.FiscalYear;
import org.etat.ledger.budgetline.LineLoader;
import org.etat.ledger.common.Limits;
import org.etat.ledger.common.Receipt;
import org.etat.ledger.common.Rule;

/**
 * Closes a fiscal year (Jahresabschluss) in one transaction: every line's unspent rest lapses and
 * every line is closed. The year's exclusive lock keeps new lines out while it runs.
 */
public class YearCloseHandler {

    private final LineLoader lines;
    private final YearDirectory years;

    public YearCloseHandler(LineLoader lines, YearDirectory years) {
        this.lines = lines;
        this.years = years;
    }

    @CommandHandler
    public Receipt handle(CloseYear cmd) {
        FiscalYear year = FiscalYear.of(cmd.year());
        Limits.requireText(cmd.justification(), "justification", false, Limits.MAX_TEXT_LENGTH);
        years.lockExclusive(year.value());
        check(!years.isClosed(year.value()), Rule.YEAR_CLOSED, "fiscal year " + year + " is already closed");
        List<String> ids = years.lineIdsOf(year.value());
        check(!ids.isEmpty(), Rule.YEAR_HAS_NO_LINES, "fiscal year " + year + " has no budget lines to close");
        Map<String, Aggregate<BudgetLine>> loaded = lines.loadInOrder(ids);
        List<String> eventIds = new ArrayList<>();
        Map<String, Long> available = new LinkedHashMap<>();
        for (Map.Entry<String, Aggregate<BudgetLine>> e : loaded.entrySet()) {
            if (e.getValue().invoke(l -> l.view().closed())) {
                // Closed on its own by a CloseLine command: already lapsed, must not block the year's close.
                available.put(e.getKey(), e.getValue().invoke(BudgetLine::availableCents));
                continue;
            }
            eventIds.addAll(e.getValue().invoke(l -> l.handle(new CloseLine(e.getKey(), cmd.justification())).eventIds()));
            available.put(e.getKey(), e.getValue().invoke(BudgetLine::availableCents));
        }
        return new Receipt(eventIds, available);
    }
}
