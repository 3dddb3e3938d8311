package org.etat.ledger.batch;

import static org.etat.ledger.common.LedgerRejection.check;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.modelling.command.Aggregate;
import org.etat.ledger.budgetline.BudgetLine;
import org.etat.ledger.budgetline.BudgetLineId;
import org.etat.ledger.budgetline.LineLoader;
import org.etat.ledger.budgetline.LineOpened;
import org.etat.ledger.common.LedgerRejection;
import org.etat.ledger.common.LedgerRejection.EntryError;
import org.etat.ledger.common.LineEvent;
import org.etat.ledger.common.Limits;
import org.etat.ledger.common.Receipt;
import org.etat.ledger.common.Rule;
import org.etat.ledger.yearclose.YearDirectory;

/**
 * Decides a {@link BudgetBatch} in one unit of work with the same rules as the single commands
 * (OpenLine, EnactAppropriation, GrantOverPlanConsent). Each year that gets new lines is locked
 * shared once and its existing lines are read once, instead of once per line: that is what makes
 * opening thousands of lines cheap. If any entry breaks a rule, nothing is recorded.
 */
public class BudgetBatchHandler {

    /** Enough errors to act on; the batch is refused anyway. */
    static final int MAX_REPORTED_ERRORS = 1_000;

    private final LineLoader lines;
    private final YearDirectory years;

    public BudgetBatchHandler(LineLoader lines, YearDirectory years) {
        this.lines = lines;
        this.years = years;
    }

    @CommandHandler
    public Receipt handle(BudgetBatch cmd) {
        check(cmd.entries() != null && !cmd.entries().isEmpty(), Rule.BATCH_REJECTED, "a batch needs at least one entry");
        check(cmd.entries().size() <= Limits.MAX_BATCH_ENTRIES, Rule.LIMIT_EXCEEDED,
                "a batch holds at most " + Limits.MAX_BATCH_ENTRIES + " entries, got " + cmd.entries().size());
        List<EntryError> errors = new ArrayList<>();
        String[] lineIds = new String[cmd.entries().size()];
        Set<Integer> openedYears = new TreeSet<>();
        Set<String> toLoad = new HashSet<>();
        for (int i = 0; i < lineIds.length; i++) {
            BudgetEntry entry = cmd.entries().get(i);
            String id = entry == null ? null : entry.lineId();
            if (id == null) {
                errors.add(new EntryError(i, Rule.INVALID_LINE_ID, "entry needs at least one part, and every part the same line id"));
                continue;
            }
            try {
                int year = BudgetLineId.parse(id).year().value();
                lineIds[i] = id;
                if (entry.open() != null) {
                    openedYears.add(year);
                } else {
                    toLoad.add(id);
                }
            } catch (LedgerRejection e) {
                errors.add(new EntryError(i, e.rule(), e.getMessage()));
            }
        }
        // Years in ascending order, like lines: two batches cannot wait for each other's year locks.
        Set<String> existing = new HashSet<>();
        Map<Integer, Boolean> closed = new HashMap<>();
        for (int year : openedYears) {
            years.lockShared(year);
            closed.put(year, years.isClosed(year));
            existing.addAll(years.lineIdsOf(year));
        }
        Map<String, Aggregate<BudgetLine>> loaded = new LinkedHashMap<>();
        for (String id : LineLoader.order(toLoad)) {
            try {
                loaded.put(id, lines.load(id));
            } catch (LedgerRejection e) {
                // reported per entry below, unless an earlier entry of this batch opens the line
            }
        }

        List<String> eventIds = new ArrayList<>();
        for (int i = 0; i < lineIds.length && errors.size() < MAX_REPORTED_ERRORS; i++) {
            String id = lineIds[i];
            if (id == null) {
                continue;
            }
            BudgetEntry entry = cmd.entries().get(i);
            try {
                Aggregate<BudgetLine> line;
                if (entry.open() != null) {
                    check(!existing.contains(id) && !loaded.containsKey(id), Rule.LINE_ALREADY_OPEN, "budget line " + id + " is already open");
                    LineOpened opened = BudgetLine.decideOpening(entry.open());
                    check(!closed.get(opened.year()), Rule.YEAR_CLOSED, "fiscal year " + opened.year() + " is closed");
                    line = lines.create(opened, entry.metadata());
                    loaded.put(id, line);
                    eventIds.add(line.invoke(BudgetLine::lastEventId));
                } else {
                    line = loaded.get(id);
                    check(line != null, Rule.LINE_NOT_OPEN, "budget line " + id + " does not exist");
                }
                if (entry.appropriation() != null) {
                    eventIds.add(record(line, l -> l.decideEnactment(entry.appropriation()), entry));
                }
                if (entry.consent() != null) {
                    eventIds.add(record(line, l -> l.decideConsent(entry.consent()), entry));
                }
            } catch (LedgerRejection e) {
                // Earlier parts of this entry stay applied so later entries see the true state;
                // the refusal below rolls the whole unit of work back.
                errors.add(new EntryError(i, e.rule(), e.getMessage()));
            }
        }
        if (!errors.isEmpty()) {
            throw new LedgerRejection(Rule.BATCH_REJECTED, errors.size() + " of " + cmd.entries().size()
                    + " entries break a rule; nothing was recorded. First: entry " + errors.get(0).index() + ": " + errors.get(0).detail(),
                    errors);
        }
        Map<String, Long> available = new LinkedHashMap<>();
        loaded.forEach((id, line) -> available.put(id, line.invoke(BudgetLine::availableCents)));
        return new Receipt(eventIds, available);
    }

    private static String record(Aggregate<BudgetLine> line, java.util.function.Function<BudgetLine, LineEvent> decide, BudgetEntry entry) {
        LineEvent decided = line.invoke(decide);
        return line.invoke(l -> l.record(decided, entry.metadata()));
    }
}
