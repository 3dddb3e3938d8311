package org.etat.app.http;

import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.etat.ledger.batch.BatchEntry;
import org.etat.ledger.batch.RecordBatch;
import org.etat.ledger.budgetline.AmendAppropriation;
import org.etat.ledger.budgetline.BlockFunds;
import org.etat.ledger.budgetline.BudgetLineId;
import org.etat.ledger.budgetline.CoverGroup;
import org.etat.ledger.budgetline.EnactAppropriation;
import org.etat.ledger.budgetline.GrantOverPlanConsent;
import org.etat.ledger.budgetline.LineKind;
import org.etat.ledger.budgetline.OpenLine;
import org.etat.ledger.budgetline.RecordExpenditure;
import org.etat.ledger.budgetline.RecordRevenue;
import org.etat.ledger.budgetline.ReleaseFunds;
import org.etat.ledger.budgetline.TitleKey;
import org.etat.ledger.carryover.CarryOverRemainder;
import org.etat.ledger.common.Limits;
import org.etat.ledger.correction.ReverseEntry;
import org.etat.ledger.reallocation.LegalBasis;
import org.etat.ledger.reallocation.Reallocate;
import org.etat.ledger.yearclose.CloseYear;
import tools.jackson.databind.JsonNode;

/**
 * The write requests: each record documents one body (OpenAPI schema) and its {@code parse} turns a
 * JSON body into a ledger command, checking shapes only. Budget law stays in the ledger.
 */
public final class WriteRequests {

    private static final int TEXT = Limits.MAX_TEXT_LENGTH;
    private static final int REF = Limits.MAX_REFERENCE_LENGTH;

    private WriteRequests() {
    }

    @Schema(description = "Opens a budget line: one title in one fiscal year.")
    public record OpenLineBody(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "2024-08030-54669", description = "year-Kapitel-Titel") String lineId,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "Ruhrkonferenz: sächliche Verwaltungsausgaben") String purpose,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "EXPENDITURE", allowableValues = {"REVENUE", "EXPENDITURE"},
                    description = "Gruppierungsnummer 0-3 is revenue, 4-9 expenditure") String kind,
            @Schema(example = "true", defaultValue = "false", description = "Whether unspent money may be carried over (§ 19, § 45)") Boolean transferable,
            @Schema(example = "69", description = "Titelgruppe, 2 digits") String titelgruppe,
            @Schema(example = "011", description = "Funktionskennziffer, 3 digits") String funktion,
            @Schema(description = "Cover groups (§ 20) the line belongs to") List<CoverGroupBody> coverGroups,
            @Schema(example = "2024-01-01", description = "Defaults to 1 January of the line's year") LocalDate effectiveDate) {

        static final Set<String> FIELDS = Set.of("lineId", "purpose", "kind", "transferable", "titelgruppe", "funktion",
                "coverGroups", "effectiveDate");

        static OpenLine parse(JsonNode body) {
            Fields f = Fields.body(body, FIELDS);
            String lineId = f.lineId("lineId");
            String purpose = f.text("purpose", true, TEXT);
            LineKind kind = f.enumValue("kind", LineKind.class, true, null);
            boolean transferable = f.bool("transferable", false);
            String titelgruppe = f.text("titelgruppe", false, 2);
            String funktion = f.text("funktion", false, 3);
            List<CoverGroup> groups = new ArrayList<>();
            List<Fields> groupFields = f.objects("coverGroups", false, 0, Limits.MAX_COVER_GROUPS, CoverGroupBody.FIELDS);
            for (Fields g : groupFields) {
                if (g != null) {
                    String id = g.text("id", true, 64);
                    CoverGroup.CoverRole role = g.enumValue("role", CoverGroup.CoverRole.class, false, CoverGroup.CoverRole.MUTUAL);
                    CoverGroup group = id == null ? null : g.construct("id", () -> new CoverGroup(id, role));
                    if (group != null) {
                        groups.add(group);
                    }
                }
            }
            LocalDate effective = f.date("effectiveDate", false);
            TitleKey key = null;
            if (lineId != null) {
                BudgetLineId id = BudgetLineId.parse(lineId);
                key = f.construct("lineId", () -> new TitleKey(id.kapitel().substring(0, 2), id.kapitel(), id.titel(), titelgruppe, funktion));
            }
            f.done();
            return new OpenLine(lineId, key, purpose, kind, transferable, groups, effective);
        }
    }

    @Schema(description = "Membership in a cover group (Deckungskreis, § 20)")
    public record CoverGroupBody(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "TG69") String id,
            @Schema(example = "MUTUAL", allowableValues = {"MUTUAL", "GIVES", "RECEIVES"}, defaultValue = "MUTUAL") String role) {
        static final Set<String> FIELDS = Set.of("id", "role");
    }

    @Schema(description = "An amount with its legal basis: appropriation (Ansatz), block (Sperre) or release.")
    public record AmountBody(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "700000.00", description = "Decimal string, at most two decimals, not negative") String amount,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "Haushaltsgesetz 2024") String legalBasis,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "2024-01-01") LocalDate effectiveDate) {

        static final Set<String> FIELDS = Set.of("amount", "legalBasis", "effectiveDate");

        static EnactAppropriation appropriation(String lineId, JsonNode body) {
            Fields f = Fields.body(body, FIELDS);
            EnactAppropriation c = new EnactAppropriation(lineId, f.amount("amount"), f.text("legalBasis", true, REF), f.date("effectiveDate", true));
            f.done();
            return c;
        }

        static BlockFunds block(String lineId, JsonNode body) {
            Fields f = Fields.body(body, FIELDS);
            BlockFunds c = new BlockFunds(lineId, f.amount("amount"), f.text("legalBasis", true, REF), f.date("effectiveDate", true));
            f.done();
            return c;
        }

        static ReleaseFunds release(String lineId, JsonNode body) {
            Fields f = Fields.body(body, FIELDS);
            ReleaseFunds c = new ReleaseFunds(lineId, f.amount("amount"), f.text("legalBasis", true, REF), f.date("effectiveDate", true));
            f.done();
            return c;
        }
    }

    @Schema(description = "A supplementary budget (Nachtragshaushalt) raises or cuts the appropriation.")
    public record AmendmentBody(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "-250000.00", description = "Signed decimal string: + raises, - cuts") String delta,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "Nachtragshaushaltsgesetz 2024") String legalBasis,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "2024-06-30") LocalDate effectiveDate) {

        static final Set<String> FIELDS = Set.of("delta", "legalBasis", "effectiveDate");

        static AmendAppropriation parse(String lineId, JsonNode body) {
            Fields f = Fields.body(body, FIELDS);
            AmendAppropriation c = new AmendAppropriation(lineId, f.signedAmount("delta"), f.text("legalBasis", true, REF), f.date("effectiveDate", true));
            f.done();
            return c;
        }
    }

    @Schema(description = "A § 37 consent to over-plan or unplanned spending.")
    public record ConsentBody(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "25000.00") String amount,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "FM-II-37-2024-0815") String consentReference,
            @Schema(example = "Unforeseeable and indispensable (§ 37 Abs. 1)") String justification,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "2024-09-01") LocalDate effectiveDate) {

        static final Set<String> FIELDS = Set.of("amount", "consentReference", "justification", "effectiveDate");

        static GrantOverPlanConsent parse(String lineId, JsonNode body) {
            Fields f = Fields.body(body, FIELDS);
            GrantOverPlanConsent c = new GrantOverPlanConsent(lineId, f.amount("amount"), f.text("consentReference", true, REF),
                    f.text("justification", false, TEXT), f.date("effectiveDate", true));
            f.done();
            return c;
        }
    }

    @Schema(description = "Money paid out of an expenditure line (or received on a revenue line).")
    public record ExpenditureBody(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "196270.47") String amount,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "2023-11-14") LocalDate effectiveDate,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "Ruhrkonferenz: Fachforum Mobilität") String purpose,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "AO-2023-004711") String documentReference,
            @Schema(example = "RK-2019-17") String projectId) {

        static final Set<String> FIELDS = Set.of("amount", "effectiveDate", "purpose", "documentReference", "projectId");

        static RecordExpenditure expenditure(String lineId, JsonNode body) {
            Fields f = Fields.body(body, FIELDS);
            RecordExpenditure c = new RecordExpenditure(lineId, f.amount("amount"), f.date("effectiveDate", true), f.text("purpose", true, TEXT),
                    f.text("documentReference", true, REF), f.text("projectId", false, REF));
            f.done();
            return c;
        }

        static RecordRevenue revenue(String lineId, JsonNode body) {
            Fields f = Fields.body(body, FIELDS);
            RecordRevenue c = new RecordRevenue(lineId, f.amount("amount"), f.date("effectiveDate", true), f.text("purpose", true, TEXT),
                    f.text("documentReference", true, REF), f.text("projectId", false, REF));
            f.done();
            return c;
        }
    }

    @Schema(description = "Up to 10,000 expenditures and revenues across lines, recorded all or nothing.")
    public record BatchBody(@Schema(requiredMode = RequiredMode.REQUIRED) List<BatchEntryBody> entries) {

        static final Set<String> FIELDS = Set.of("entries");

        static RecordBatch parse(JsonNode body) {
            Fields f = Fields.body(body, FIELDS);
            List<Fields> entries = f.objects("entries", true, 1, Limits.MAX_BATCH_ENTRIES, BatchEntryBody.FIELDS);
            List<BatchEntry> out = new ArrayList<>(entries.size());
            for (Fields e : entries) {
                if (e == null) {
                    continue;
                }
                out.add(new BatchEntry(e.enumValue("kind", BatchEntry.Kind.class, false, BatchEntry.Kind.EXPENDITURE), e.lineId("lineId"),
                        e.amount("amount"), e.date("effectiveDate", true), e.text("purpose", true, TEXT), e.text("documentReference", true, REF),
                        e.text("projectId", false, REF), Map.of()));
            }
            f.done();
            return new RecordBatch(out);
        }
    }

    @Schema(description = "One entry of a batch")
    public record BatchEntryBody(
            @Schema(example = "EXPENDITURE", allowableValues = {"EXPENDITURE", "REVENUE"}, defaultValue = "EXPENDITURE") String kind,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "2024-08030-54669") String lineId,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "397.64") String amount,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "2024-04-02") LocalDate effectiveDate,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "Catering Fachforum") String purpose,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "AO-2024-000123") String documentReference,
            @Schema(example = "RK-2019-17") String projectId) {
        static final Set<String> FIELDS = Set.of("kind", "lineId", "amount", "effectiveDate", "purpose", "documentReference", "projectId");
    }

    @Schema(description = "Moves money between two expenditure lines of one year (§ 20 Deckungsfähigkeit or a consent).")
    public record ReallocationBody(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "2024-08030-54669") String fromLineId,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "2024-08030-68469") String toLineId,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "500000.00") String amount,
            @Schema(requiredMode = RequiredMode.REQUIRED) LegalBasisBody legalBasis,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "Umschichtung zugunsten Fördermaßnahmen") String justification,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "2024-10-15") LocalDate effectiveDate) {

        static final Set<String> FIELDS = Set.of("fromLineId", "toLineId", "amount", "legalBasis", "justification", "effectiveDate");

        static Reallocate parse(JsonNode body) {
            Fields f = Fields.body(body, FIELDS);
            String from = f.lineId("fromLineId");
            String to = f.lineId("toLineId");
            long amount = f.amount("amount");
            Fields basis = f.object("legalBasis", true, LegalBasisBody.FIELDS);
            LegalBasis.Kind kind = basis == null ? null : basis.enumValue("kind", LegalBasis.Kind.class, true, null);
            String reference = basis == null ? null : basis.text("reference", true, REF);
            String justification = f.text("justification", true, TEXT);
            LocalDate effective = f.date("effectiveDate", true);
            LegalBasis legalBasis = kind == null || reference == null ? null : basis.construct("reference", () -> new LegalBasis(kind, reference));
            f.done();
            return new Reallocate(from, to, amount, legalBasis, justification, effective);
        }
    }

    @Schema(description = "Why money may move: a shared cover group, a § 37 consent or a budget note")
    public record LegalBasisBody(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "COVER_GROUP", allowableValues = {"COVER_GROUP", "CONSENT", "BUDGET_NOTE"}) String kind,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "TG69") String reference) {
        static final Set<String> FIELDS = Set.of("kind", "reference");
    }

    @Schema(description = "Forms a remainder (Ausgaberest, § 19, § 45) on the same title in the next year.")
    public record CarryOverBody(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "2023-08030-54669") String fromLineId,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "300000.00") String amount,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "FM-45-2023-0042") String consentReference,
            @Schema(example = "Projekte verzögert") String justification,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "2023-12-31") LocalDate effectiveDate) {

        static final Set<String> FIELDS = Set.of("fromLineId", "amount", "consentReference", "justification", "effectiveDate");

        static CarryOverRemainder parse(JsonNode body) {
            Fields f = Fields.body(body, FIELDS);
            CarryOverRemainder c = new CarryOverRemainder(f.lineId("fromLineId"), f.amount("amount"), f.text("consentReference", true, REF),
                    f.text("justification", false, TEXT), f.date("effectiveDate", true));
            f.done();
            return c;
        }
    }

    @Schema(description = "Closes a fiscal year: unspent money lapses, no entries afterwards.")
    public record ClosingBody(@Schema(example = "Jahresabschluss 2023") String justification) {

        static final Set<String> FIELDS = Set.of("justification");

        static CloseYear parse(int year, JsonNode body) {
            Fields f = Fields.body(body, FIELDS);
            CloseYear c = new CloseYear(year, f.text("justification", false, TEXT));
            f.done();
            return c;
        }
    }

    @Schema(description = "Reverses an earlier entry (Storno): a new entry names the one it reverses.")
    public record ReversalBody(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "Doppelt gebucht") String reason,
            @Schema(example = "2024-05-02", description = "Defaults to the reversed entry's date") LocalDate effectiveDate) {

        static final Set<String> FIELDS = Set.of("reason", "effectiveDate");

        static ReverseEntry parse(String eventId, JsonNode body) {
            Fields f = Fields.body(body, FIELDS);
            ReverseEntry c = new ReverseEntry(eventId, f.text("reason", true, TEXT), f.date("effectiveDate", false));
            f.done();
            return c;
        }
    }
}
