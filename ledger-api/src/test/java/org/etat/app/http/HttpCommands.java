package org.etat.app.http;

import java.util.LinkedHashMap;
import java.util.Map;
import org.etat.ledger.budgetline.AmendAppropriation;
import org.etat.ledger.budgetline.BlockFunds;
import org.etat.ledger.budgetline.EnactAppropriation;
import org.etat.ledger.budgetline.GrantOverPlanConsent;
import org.etat.ledger.budgetline.OpenLine;
import org.etat.ledger.budgetline.RecordExpenditure;
import org.etat.ledger.budgetline.ReleaseFunds;
import org.etat.ledger.carryover.CarryOverRemainder;
import org.etat.ledger.money.Money;
import org.etat.ledger.reallocation.Reallocate;
import org.etat.ledger.yearclose.CloseYear;

/** Test helper: a ledger command as the HTTP request a client would send for it (path, user, JSON body). */
final class HttpCommands {

    record HttpWrite(String path, String user, String body) {
    }

    private HttpCommands() {
    }

    static HttpWrite of(Object command) {
        Map<String, Object> b = new LinkedHashMap<>();
        if (command instanceof OpenLine c) {
            b.put("lineId", c.lineId());
            b.put("purpose", c.purpose());
            b.put("kind", c.kind().name());
            b.put("transferable", c.transferable());
            putIf(b, "titelgruppe", c.key().titelgruppe());
            putIf(b, "funktion", c.key().funktion());
            b.put("coverGroups", c.coverGroups().stream().map(g -> Map.of("id", g.id(), "role", g.role().name())).toList());
            putIf(b, "effectiveDate", c.effectiveDate());
            return write("/api/v1/lines", "budget", b);
        } else if (command instanceof EnactAppropriation c) {
            return amount("/api/v1/lines/" + c.lineId() + "/appropriations", c.amountCents(), c.legalBasis(), c.effectiveDate());
        } else if (command instanceof BlockFunds c) {
            return amount("/api/v1/lines/" + c.lineId() + "/blocks", c.amountCents(), c.legalBasis(), c.effectiveDate());
        } else if (command instanceof ReleaseFunds c) {
            return amount("/api/v1/lines/" + c.lineId() + "/releases", c.amountCents(), c.legalBasis(), c.effectiveDate());
        } else if (command instanceof AmendAppropriation c) {
            b.put("delta", Money.format(c.deltaCents()));
            b.put("legalBasis", c.legalBasis());
            b.put("effectiveDate", c.effectiveDate().toString());
            return write("/api/v1/lines/" + c.lineId() + "/amendments", "budget", b);
        } else if (command instanceof GrantOverPlanConsent c) {
            b.put("amount", Money.format(c.amountCents()));
            b.put("consentReference", c.consentReference());
            putIf(b, "justification", c.justification());
            b.put("effectiveDate", c.effectiveDate().toString());
            return write("/api/v1/lines/" + c.lineId() + "/over-plan-consents", "budget", b);
        } else if (command instanceof RecordExpenditure c) {
            b.put("amount", Money.format(c.amountCents()));
            b.put("effectiveDate", c.effectiveDate().toString());
            b.put("purpose", c.purpose());
            b.put("documentReference", c.documentReference());
            putIf(b, "projectId", c.projectId());
            return write("/api/v1/lines/" + c.lineId() + "/expenditures", "finance", b);
        } else if (command instanceof Reallocate c) {
            b.put("fromLineId", c.fromLineId());
            b.put("toLineId", c.toLineId());
            b.put("amount", Money.format(c.amountCents()));
            b.put("legalBasis", Map.of("kind", c.legalBasis().kind().name(), "reference", c.legalBasis().reference()));
            b.put("justification", c.justification());
            b.put("effectiveDate", c.effectiveDate().toString());
            return write("/api/v1/reallocations", "finance", b);
        } else if (command instanceof CarryOverRemainder c) {
            b.put("fromLineId", c.fromLineId());
            b.put("amount", Money.format(c.amountCents()));
            b.put("consentReference", c.consentReference());
            putIf(b, "justification", c.justification());
            b.put("effectiveDate", c.effectiveDate().toString());
            return write("/api/v1/carry-overs", "finance", b);
        } else if (command instanceof CloseYear c) {
            putIf(b, "justification", c.justification());
            return write("/api/v1/years/" + c.year() + "/closing", "budget", b);
        }
        throw new IllegalArgumentException("no HTTP form for " + command.getClass().getSimpleName());
    }

    private static HttpWrite amount(String path, long cents, String legalBasis, java.time.LocalDate date) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("amount", Money.format(cents));
        b.put("legalBasis", legalBasis);
        b.put("effectiveDate", date.toString());
        return write(path, "budget", b);
    }

    private static void putIf(Map<String, Object> b, String name, Object value) {
        if (value != null) {
            b.put(name, value.toString());
        }
    }

    private static HttpWrite write(String path, String user, Map<String, Object> body) {
        return new HttpWrite(path, user, Api.JSON.writeValueAsString(body));
    }

}
