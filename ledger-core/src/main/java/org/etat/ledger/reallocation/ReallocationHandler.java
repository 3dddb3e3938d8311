package org.etat.ledger.reallocation;

import static org.etat.ledger.common.LedgerRejection.check;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.modelling.command.Aggregate;
import org.etat.ledger.budgetline.BudgetLine;
import org.etat.ledger.budgetline.BudgetLine.LineView;
import org.etat.ledger.budgetline.CoverGroup;
import org.etat.ledger.budgetline.LineKind;
import org.etat.ledger.budgetline.LineLoader;
import org.etat.ledger.common.Limits;
import org.etat.ledger.common.Receipt;
import org.etat.ledger.common.Rule;

/**
 * Decides a reallocation across two lines in one unit of work: both legs commit in one database
 * transaction or neither does, so no money is ever in transit.
 */
public class ReallocationHandler {

    private final LineLoader lines;

    public ReallocationHandler(LineLoader lines) {
        this.lines = lines;
    }

    @CommandHandler
    public Receipt handle(Reallocate cmd) {
        check(cmd.fromLineId() != null && cmd.toLineId() != null, Rule.INVALID_LINE_ID, "fromLineId and toLineId are required");
        check(!cmd.fromLineId().equals(cmd.toLineId()), Rule.REALLOCATION_WITHIN_ONE_LINE,
                "a reallocation needs two different lines, got " + cmd.fromLineId() + " twice");
        check(cmd.legalBasis() != null, Rule.REALLOCATION_NEEDS_COVER, "legal basis is required");
        Limits.requireText(cmd.justification(), "justification", true, Limits.MAX_TEXT_LENGTH);
        Map<String, Aggregate<BudgetLine>> loaded = lines.loadInOrder(List.of(cmd.fromLineId(), cmd.toLineId()));
        LineView from = loaded.get(cmd.fromLineId()).invoke(BudgetLine::view);
        LineView to = loaded.get(cmd.toLineId()).invoke(BudgetLine::view);
        check(from.year() == to.year(), Rule.REALLOCATION_ACROSS_YEARS,
                "a reallocation stays within one fiscal year: " + from.lineId() + " is " + from.year() + ", " + to.lineId() + " is " + to.year());
        check(from.kind() == LineKind.EXPENDITURE && to.kind() == LineKind.EXPENDITURE, Rule.REVENUE_LINE_HAS_NO_FUNDS,
                "a reallocation goes between expenditure lines only");
        checkCover(cmd.legalBasis(), from, to);

        // Both legs are checked before either is applied: nothing half-moved even without a rollback.
        loaded.get(cmd.fromLineId()).execute(l -> l.checkReallocateOut(cmd.amountCents(), cmd.effectiveDate()));
        loaded.get(cmd.toLineId()).execute(l -> l.checkReallocateIn(cmd.amountCents(), cmd.effectiveDate()));
        String reallocationId = UUID.randomUUID().toString();
        List<String> eventIds = new ArrayList<>();
        // Legs in ascending line order, the order the lines were loaded.
        for (String id : loaded.keySet()) {
            Aggregate<BudgetLine> line = loaded.get(id);
            if (id.equals(cmd.fromLineId())) {
                eventIds.add(line.invoke(l -> l.reallocateOut(reallocationId, cmd.toLineId(), cmd.amountCents(), cmd.legalBasis(),
                        cmd.justification(), cmd.effectiveDate())));
            } else {
                eventIds.add(line.invoke(l -> l.reallocateIn(reallocationId, cmd.fromLineId(), cmd.amountCents(), cmd.legalBasis(),
                        cmd.justification(), cmd.effectiveDate())));
            }
        }
        Map<String, Long> available = new LinkedHashMap<>();
        loaded.forEach((id, line) -> available.put(id, line.invoke(BudgetLine::availableCents)));
        return new Receipt(eventIds, available);
    }

    /** § 20: a shared cover group in which the giver may give and the receiver may receive, or an explicit reference. */
    static void checkCover(LegalBasis basis, LineView from, LineView to) {
        if (basis.kind() != LegalBasis.Kind.COVER_GROUP) {
            return; // an explicit consent or budget note reference is the legal basis itself
        }
        boolean gives = from.coverGroups().stream().anyMatch(g -> g.id().equals(basis.reference()) && g.mayGive());
        boolean receives = to.coverGroups().stream().anyMatch(g -> g.id().equals(basis.reference()) && g.mayReceive());
        check(gives && receives, Rule.REALLOCATION_NEEDS_COVER,
                "lines " + from.lineId() + " and " + to.lineId() + " do not share cover group \"" + basis.reference()
                        + "\" with " + from.lineId() + " giving and " + to.lineId() + " receiving (§ 20); name a consent or budget note instead"
                        + describe(from) + describe(to));
    }

    private static String describe(LineView line) {
        if (line.coverGroups().isEmpty()) {
            return "; " + line.lineId() + " is in no cover group";
        }
        return "; " + line.lineId() + " is in " + line.coverGroups().stream().map(CoverGroup::toString).toList();
    }
}
