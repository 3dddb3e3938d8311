package org.etat.ledger.correction;

import static org.etat.ledger.common.LedgerRejection.check;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.modelling.command.Aggregate;
import org.etat.ledger.budgetline.BudgetLine;
import org.etat.ledger.budgetline.BudgetLineId;
import org.etat.ledger.budgetline.LineLoader;
import org.etat.ledger.carryover.RemainderCarriedIn;
import org.etat.ledger.carryover.RemainderCarriedOut;
import org.etat.ledger.common.LedgerRejection;
import org.etat.ledger.common.Receipt;
import org.etat.ledger.common.Rule;
import org.etat.ledger.reallocation.ReallocatedIn;
import org.etat.ledger.reallocation.ReallocatedOut;

/**
 * Reverses a recorded entry. A reallocation or carry-over is reversed on both lines at once, loaded
 * in ascending id order like every multi-line command.
 */
public class ReversalHandler {

    private final LineLoader lines;
    private final EntryLocator locator;

    public ReversalHandler(LineLoader lines, EntryLocator locator) {
        this.lines = lines;
        this.locator = locator;
    }

    @CommandHandler
    public Receipt handle(ReverseEntry cmd) {
        check(cmd.eventId() != null && !cmd.eventId().isBlank(), Rule.REVERSAL_TARGET_UNKNOWN, "event id is required");
        EntryLocator.LocatedEntry entry = locator.locate(cmd.eventId())
                .orElseThrow(() -> new LedgerRejection(Rule.REVERSAL_TARGET_UNKNOWN, "no entry with event id " + cmd.eventId()));
        String reversalId = UUID.randomUUID().toString();
        Link link = Link.of(entry);
        List<String> eventIds = new ArrayList<>();
        Map<String, Aggregate<BudgetLine>> loaded;
        if (link == null) {
            loaded = lines.loadInOrder(List.of(entry.lineId()));
            eventIds.add(loaded.get(entry.lineId()).invoke(
                    l -> l.reverse(reversalId, cmd.eventId(), entry.payload(), cmd.reason(), cmd.effectiveDate())));
        } else {
            loaded = lines.loadInOrder(List.of(entry.lineId(), link.counterLineId()));
            // Every leg is checked before the first is applied.
            for (Map.Entry<String, Aggregate<BudgetLine>> line : loaded.entrySet()) {
                LocalDate effective = link.effectiveDateOn(line.getKey(), cmd.effectiveDate());
                line.getValue().execute(l -> l.checkLegReversal(link.linkId(), cmd.reason(), effective));
            }
            for (Map.Entry<String, Aggregate<BudgetLine>> line : loaded.entrySet()) {
                LocalDate effective = link.effectiveDateOn(line.getKey(), cmd.effectiveDate());
                eventIds.add(line.getValue().invoke(l -> l.reverseLeg(reversalId, link.linkId(), cmd.reason(), effective)));
            }
        }
        Map<String, Long> available = new LinkedHashMap<>();
        loaded.forEach((id, line) -> available.put(id, line.invoke(BudgetLine::availableCents)));
        return new Receipt(eventIds, available);
    }

    /** The id both legs of a two-leg entry share, the other line, and for a carry-over the receiving line. */
    private record Link(String linkId, String counterLineId, String carriedInLineId) {
        /** A carry-over's in-leg took effect on 1 January of the next year; so does its reversal. */
        LocalDate effectiveDateOn(String lineId, LocalDate requested) {
            return lineId.equals(carriedInLineId) ? BudgetLineId.parse(lineId).year().firstDay() : requested;
        }

        static Link of(EntryLocator.LocatedEntry entry) {
            Object p = entry.payload();
            if (p instanceof ReallocatedOut e) {
                return new Link(e.reallocationId(), e.toLineId(), null);
            } else if (p instanceof ReallocatedIn e) {
                return new Link(e.reallocationId(), e.fromLineId(), null);
            } else if (p instanceof RemainderCarriedOut e) {
                return new Link(e.carryOverId(), e.toLineId(), e.toLineId());
            } else if (p instanceof RemainderCarriedIn e) {
                return new Link(e.carryOverId(), e.fromLineId(), e.lineId());
            }
            return null;
        }
    }
}
