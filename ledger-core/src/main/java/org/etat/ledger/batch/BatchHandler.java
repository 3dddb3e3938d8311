package org.etat.ledger.batch;

import static org.etat.ledger.common.LedgerRejection.check;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.modelling.command.Aggregate;
import org.etat.ledger.budgetline.BudgetLine;
import org.etat.ledger.budgetline.LineLoader;
import org.etat.ledger.common.LedgerRejection;
import org.etat.ledger.common.LedgerRejection.EntryError;
import org.etat.ledger.common.LineEvent;
import org.etat.ledger.common.Limits;
import org.etat.ledger.common.Receipt;
import org.etat.ledger.common.Rule;

/**
 * Records a batch of expenditures and revenues in one transaction. Every entry is decided in batch
 * order against the balance left by the entries before it; if any entry breaks a rule, nothing is
 * recorded and the refusal lists every broken entry.
 */
public class BatchHandler {

    private final LineLoader lines;

    public BatchHandler(LineLoader lines) {
        this.lines = lines;
    }

    @CommandHandler
    public Receipt handle(RecordBatch cmd) {
        check(cmd.entries() != null && !cmd.entries().isEmpty(), Rule.BATCH_REJECTED, "a batch needs at least one entry");
        check(cmd.entries().size() <= Limits.MAX_BATCH_ENTRIES, Rule.LIMIT_EXCEEDED,
                "a batch holds at most " + Limits.MAX_BATCH_ENTRIES + " entries, got " + cmd.entries().size());
        List<EntryError> errors = new ArrayList<>();
        Set<String> ids = new LinkedHashSet<>();
        for (int i = 0; i < cmd.entries().size(); i++) {
            BatchEntry entry = cmd.entries().get(i);
            if (entry == null || entry.lineId() == null || entry.kind() == null) {
                errors.add(new EntryError(i, Rule.INVALID_LINE_ID, "entry needs a kind and a line id"));
            } else {
                ids.add(entry.lineId());
            }
        }
        Map<String, Aggregate<BudgetLine>> loaded = new LinkedHashMap<>();
        for (String id : LineLoader.order(ids)) {
            try {
                loaded.put(id, lines.load(id));
            } catch (LedgerRejection e) {
                // reported per entry below
            }
        }
        // Decide and apply in batch order; later entries see the balance left by earlier ones.
        List<String> eventIds = new ArrayList<>(cmd.entries().size());
        for (int i = 0; i < cmd.entries().size(); i++) {
            BatchEntry entry = cmd.entries().get(i);
            if (entry == null || entry.lineId() == null || entry.kind() == null) {
                continue;
            }
            Aggregate<BudgetLine> line = loaded.get(entry.lineId());
            if (line == null) {
                errors.add(new EntryError(i, Rule.LINE_NOT_OPEN, "budget line " + entry.lineId() + " does not exist"));
                continue;
            }
            try {
                // Decided and applied in one call into the aggregate; applied even after an error, so later
                // entries are judged on the true running balance; the refusal below rolls the whole unit of work back.
                eventIds.add(line.invoke(l -> {
                    LineEvent decided = entry.kind() == BatchEntry.Kind.EXPENDITURE
                            ? l.decideExpenditure(entry.amountCents(), entry.effectiveDate(), entry.purpose(), entry.documentReference(), entry.projectId())
                            : l.decideRevenue(entry.amountCents(), entry.effectiveDate(), entry.purpose(), entry.documentReference(), entry.projectId());
                    return l.record(decided, entry.metadata());
                }));
            } catch (LedgerRejection e) {
                errors.add(new EntryError(i, e.rule(), e.getMessage()));
            }
            if (errors.size() >= 1_000) {
                break; // enough to act on; the batch is refused anyway
            }
        }
        if (!errors.isEmpty()) {
            // Throwing rolls back the unit of work: events applied before the first error are discarded.
            throw new LedgerRejection(Rule.BATCH_REJECTED, errors.size() + " of " + cmd.entries().size()
                    + " entries break a rule; nothing was recorded. First: entry " + errors.get(0).index() + ": " + errors.get(0).detail(),
                    errors);
        }
        Map<String, Long> available = new LinkedHashMap<>();
        loaded.forEach((id, line) -> available.put(id, line.invoke(BudgetLine::availableCents)));
        return new Receipt(eventIds, available);
    }
}
