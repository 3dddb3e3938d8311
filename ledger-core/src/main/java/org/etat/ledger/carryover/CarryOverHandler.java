package org.etat.ledger.carryover;

import static org.etat.ledger.common.LedgerRejection.check;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.UUID;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.modelling.command.Aggregate;
import org.etat.ledger.budgetline.BudgetLine;
import org.etat.ledger.budgetline.BudgetLineId;
import org.etat.ledger.budgetline.LineLoader;
import org.etat.ledger.common.LedgerRejection;
import org.etat.ledger.common.Limits;
import org.etat.ledger.common.Receipt;
import org.etat.ledger.common.Rule;

/** Carries a remainder of year N into the same title in year N+1, both legs in one transaction. */
public class CarryOverHandler {

    private final LineLoader lines;

    public CarryOverHandler(LineLoader lines) {
        this.lines = lines;
    }

    @CommandHandler
    public Receipt handle(CarryOverRemainder cmd) {
        BudgetLineId from = BudgetLineId.parse(cmd.fromLineId());
        BudgetLineId to = from.inYear(from.year().next());
        Limits.requireText(cmd.consentReference(), "consent reference", true, Limits.MAX_REFERENCE_LENGTH);
        Limits.requireText(cmd.justification(), "justification", false, Limits.MAX_TEXT_LENGTH);
        Map<String, Aggregate<BudgetLine>> loaded;
        try {
            loaded = lines.loadInOrder(List.of(from.toString(), to.toString()));
        } catch (LedgerRejection e) {
            if (e.rule() == Rule.LINE_NOT_OPEN && e.getMessage().contains(to.toString())) {
                throw new LedgerRejection(Rule.CARRY_OVER_TARGET_INVALID,
                        "a remainder of " + from + " goes to " + to + ", which is not open; open it first");
            }
            throw e;
        }
        // Both legs are checked before either is applied.
        loaded.get(from.toString()).execute(l -> l.checkCarryOut(cmd.amountCents(), cmd.effectiveDate()));
        // § 45: the legs carry the money's grant years, oldest carryable money first.
        SortedMap<Integer, Long> grantYearCents = loaded.get(from.toString()).invoke(l -> l.carryOutSplit(cmd.amountCents()));
        loaded.get(to.toString()).execute(l -> l.checkCarryIn(cmd.amountCents(), grantYearCents));
        String carryOverId = UUID.randomUUID().toString();
        // Out-leg (year N) first: the ids are in ascending order, so this is also the load order.
        List<String> eventIds = new ArrayList<>();
        eventIds.add(loaded.get(from.toString()).invoke(l -> l.carryOut(carryOverId, to.toString(), cmd.amountCents(),
                cmd.consentReference(), cmd.justification(), cmd.effectiveDate(), grantYearCents)));
        eventIds.add(loaded.get(to.toString()).invoke(l -> l.carryIn(carryOverId, from.toString(), cmd.amountCents(),
                cmd.consentReference(), cmd.justification(), grantYearCents)));
        check(eventIds.size() == 2, Rule.CARRY_OVER_TARGET_INVALID, "both legs are recorded");
        Map<String, Long> available = new LinkedHashMap<>();
        loaded.forEach((id, line) -> available.put(id, line.invoke(BudgetLine::availableCents)));
        return new Receipt(eventIds, available);
    }
}
