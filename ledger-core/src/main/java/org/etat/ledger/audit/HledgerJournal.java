package org.etat.ledger.audit;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.etat.ledger.budgetline.BudgetLineId;
import org.etat.ledger.budgetline.Component;
import org.etat.ledger.budgetline.LineBalance;
import org.etat.ledger.budgetline.LineOpened;
import org.etat.ledger.common.LedgerMetadata;
import org.etat.ledger.common.LineEvent;
import org.etat.ledger.money.Money;

/**
 * Exports the log as an hledger journal, so that a tool Etat did not write can recompute the
 * balances. One balanced transaction per money-moving event, in log order, dated by its effective
 * date, with the global sequence as transaction code and the event id as a tag.
 *
 * <p>Line account {@code budget:2024:08030:54669} carries the line's available amount: its hledger
 * balance equals {@link LineBalance#availableCents()}. Each balance component has a counter-account
 * and a sign (its effect on available):
 *
 * <pre>
 * APPROPRIATED    +  law:appropriation       AMENDED       +  law:amendment
 * CONSENTED       +  law:consent37           (§ 37 LHO)
 * REALLOCATED_IN  +  clearing:reallocation   REALLOCATED_OUT -  clearing:reallocation
 * CARRIED_IN      +  clearing:carryover      CARRIED_OUT     -  clearing:carryover
 * BLOCKED         -  blocked:Y:K:T           SPENT           -  outflow:expenditure
 * LAPSED          -  lapse
 * REVENUE         0  revenue:Y:K:T against inflow:revenue (revenue does not change available)
 * </pre>
 *
 * The clearing accounts net to zero once both legs of every reallocation or carry-over are in.
 * A reversal posts the opposite delta of the component it reverses against the same accounts.
 * Which components an event moves is taken from {@link LineBalance#apply}, the one fold of the domain.
 */
public final class HledgerJournal {
    public static final String COMMODITY = "EUR";

    private HledgerJournal() {
    }

    /** Effect of one cent of the component on available: +1, -1, or 0 (revenue). */
    static int availableSign(Component c) {
        return switch (c) {
            case APPROPRIATED, AMENDED, CONSENTED, REALLOCATED_IN, CARRIED_IN -> 1;
            case REALLOCATED_OUT, CARRIED_OUT, BLOCKED, SPENT, LAPSED -> -1;
            case REVENUE -> 0;
        };
    }

    static String counterAccount(Component c, BudgetLineId line) {
        return switch (c) {
            case APPROPRIATED -> "law:appropriation";
            case AMENDED -> "law:amendment";
            case CONSENTED -> "law:consent37";
            case REALLOCATED_IN, REALLOCATED_OUT -> "clearing:reallocation";
            case CARRIED_IN, CARRIED_OUT -> "clearing:carryover";
            case BLOCKED -> "blocked:" + path(line);
            case SPENT -> "outflow:expenditure";
            case LAPSED -> "lapse";
            case REVENUE -> "inflow:revenue";
        };
    }

    public static String lineAccount(String lineId) {
        return "budget:" + path(BudgetLineId.parse(lineId));
    }

    static String revenueAccount(BudgetLineId line) {
        return "revenue:" + path(line);
    }

    private static String path(BudgetLineId line) {
        return line.year() + ":" + line.kapitel() + ":" + line.titel();
    }

    public static String export(List<LedgerEntry> entries) {
        TreeSet<String> accounts = new TreeSet<>();
        List<String> transactions = new ArrayList<>();
        for (LedgerEntry entry : entries) {
            if (!(entry.payload() instanceof LineEvent event)) {
                continue;
            }
            BudgetLineId line = BudgetLineId.parse(event.lineId());
            String lineAccount = "budget:" + path(line);
            if (event instanceof LineOpened) {
                accounts.add(lineAccount);
                continue;
            }
            Map<String, Long> postings = postings(event, line, lineAccount);
            if (postings.isEmpty()) {
                continue;
            }
            accounts.addAll(postings.keySet());
            transactions.add(transaction(entry, event, postings));
        }
        StringBuilder out = new StringBuilder();
        out.append("; Etat ledger, exported as an hledger journal (one transaction per event, in log order).\n");
        out.append("; budget:<year>:<Kapitel>:<Titel> holds the amount available on that budget line.\n\n");
        out.append("commodity 1000.00 ").append(COMMODITY).append("\n\n");
        for (String account : accounts) {
            out.append("account ").append(account).append('\n');
        }
        for (String t : transactions) {
            out.append('\n').append(t);
        }
        return out.toString();
    }

    /** Account -> cents, in a stable order (line account first), zero postings left out. */
    static Map<String, Long> postings(LineEvent event, BudgetLineId line, String lineAccount) {
        LineBalance delta = LineBalance.ZERO.apply(event);
        Map<Component, Long> moved = new EnumMap<>(Component.class);
        for (Component c : Component.values()) {
            if (delta.component(c) != 0) {
                moved.put(c, delta.component(c));
            }
        }
        Map<String, Long> postings = new LinkedHashMap<>();
        postings.put(lineAccount, 0L);
        for (Map.Entry<Component, Long> m : moved.entrySet()) {
            Component c = m.getKey();
            long cents = m.getValue();
            if (c == Component.REVENUE) {
                postings.merge(revenueAccount(line), cents, Math::addExact);
                postings.merge(counterAccount(c, line), -cents, Math::addExact);
            } else {
                long effect = Math.multiplyExact(availableSign(c), cents);
                postings.merge(lineAccount, effect, Math::addExact);
                postings.merge(counterAccount(c, line), -effect, Math::addExact);
            }
        }
        postings.values().removeIf(v -> v == 0L);
        return postings;
    }

    private static String transaction(LedgerEntry entry, LineEvent event, Map<String, Long> postings) {
        LocalDate date = event.effectiveDate() != null ? event.effectiveDate() : metadataDate(entry);
        StringBuilder t = new StringBuilder();
        t.append(date).append(" (").append(entry.globalSequence()).append(") ")
                .append(event.getClass().getSimpleName()).append(' ').append(event.lineId())
                .append("  ; event:").append(tagValue(entry.eventId()));
        Object principal = entry.metadata().get(LedgerMetadata.PRINCIPAL);
        if (principal != null) {
            t.append(", principal:").append(tagValue(principal.toString()));
        }
        Object recordedAt = entry.metadata().get(LedgerMetadata.RECORDED_AT);
        if (recordedAt != null) {
            t.append(", recorded:").append(tagValue(recordedAt.toString()));
        }
        t.append('\n');
        int width = postings.keySet().stream().mapToInt(String::length).max().orElse(0) + 2;
        for (Map.Entry<String, Long> p : postings.entrySet()) {
            String amount = Money.format(p.getValue()) + " " + COMMODITY;
            t.append("    ").append(p.getKey()).append(" ".repeat(width - p.getKey().length()))
                    .append(" ".repeat(Math.max(0, 20 - amount.length()))).append(amount).append('\n');
        }
        return t.toString();
    }

    private static LocalDate metadataDate(LedgerEntry entry) {
        Object date = entry.metadata().get(LedgerMetadata.EFFECTIVE_DATE);
        if (date == null) {
            throw new IllegalArgumentException("event " + entry.eventId() + " has no effective date");
        }
        return LocalDate.parse(date.toString());
    }

    /** Tag values end at a comma or line end in hledger; keep them to one safe token. */
    static String tagValue(String raw) {
        StringBuilder b = new StringBuilder(Math.min(raw.length(), 200));
        for (int i = 0; i < raw.length() && b.length() < 200; i++) {
            char ch = raw.charAt(i);
            b.append(ch < 0x20 || ch == ',' || ch == ';' || ch == 0x7f ? '_' : ch);
        }
        return b.toString();
    }
}
