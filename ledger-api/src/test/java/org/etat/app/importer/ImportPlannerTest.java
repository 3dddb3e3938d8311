package org.etat.app.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.etat.ledger.batch.BatchEntry;
import org.etat.ledger.batch.BudgetBatch;
import org.etat.ledger.batch.BudgetEntry;
import org.etat.ledger.batch.RecordBatch;
import org.etat.ledger.budgetline.AppropriationEnacted;
import org.etat.ledger.budgetline.BudgetLineId;
import org.etat.ledger.budgetline.EnactAppropriation;
import org.etat.ledger.budgetline.ExpenditureRecorded;
import org.etat.ledger.budgetline.GrantOverPlanConsent;
import org.etat.ledger.budgetline.LineBalance;
import org.etat.ledger.budgetline.LineKind;
import org.etat.ledger.budgetline.OpenLine;
import org.etat.ledger.budgetline.OverPlanConsentGranted;
import org.etat.ledger.budgetline.RevenueRecorded;
import org.etat.ledger.common.LedgerMetadata;
import org.etat.ledger.common.Limits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImportPlannerTest {

    private final ImportPlanner planner = new ImportPlanner();

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "2019, 35640000000000, 35712142160586",
        "2020, 36200000000000, 44343197405150",
        "2021, 49862000000000, 55709304619706",
        "2022, 49579147500000, 48130431103589"})
    void a_years_plan_reconciles_to_the_published_totals(int year, long sollCents, long istCents) {
        ImportPlan plan = planner.plan(year, new SollCsvParser().parse(BundFiles.soll(year)), new IstCsvParser().parse(BundFiles.istCsv(year)));
        ImportReport r = plan.report();

        assertThat(r.coreSollExpenditureCents()).isEqualTo(sollCents);
        assertThat(r.coreSollRevenueCents()).isEqualTo(sollCents);
        assertThat(r.coreIstExpenditureCents()).isEqualTo(istCents);
        assertThat(r.coreIstRevenueCents()).isEqualTo(istCents);
        // What reaches the ledger plus what is reported as skipped equals the published total.
        assertThat(r.appropriatedExpenditureCents() + r.negativeSollCents(LineKind.EXPENDITURE)).isEqualTo(sollCents);
        assertThat(r.appropriatedRevenueCents() + r.negativeSollCents(LineKind.REVENUE)).isEqualTo(sollCents);
        assertThat(r.recordedExpenditureCents() + r.negativeIstCents(LineKind.EXPENDITURE)).isEqualTo(istCents);
        assertThat(r.recordedRevenueCents() + r.negativeIstCents(LineKind.REVENUE)).isEqualTo(istCents);
        assertThat(r.negativeSoll()).isNotEmpty().allMatch(s -> s.cents() < 0);
        assertThat(r.negativeIst()).isNotEmpty().allMatch(s -> s.cents() < 0);

        // The commands themselves carry exactly the reported amounts.
        Map<String, LineBalance> balances = fold(plan);
        assertThat(sum(balances, LineKind.EXPENDITURE, LineBalance::appropriatedCents)).isEqualTo(r.appropriatedExpenditureCents());
        assertThat(sum(balances, LineKind.REVENUE, LineBalance::appropriatedCents)).isEqualTo(r.appropriatedRevenueCents());
        assertThat(sum(balances, LineKind.EXPENDITURE, LineBalance::spentCents)).isEqualTo(r.recordedExpenditureCents());
        assertThat(sum(balances, LineKind.REVENUE, LineBalance::revenueCents)).isEqualTo(r.recordedRevenueCents());
        assertThat(sum(balances, LineKind.EXPENDITURE, LineBalance::consentedCents))
                .isEqualTo(r.overPlanConsentCents() + r.unplannedConsentCents());
        // No line is overspent: every excess is covered by a consent, so the ledger will accept the batches.
        assertThat(balances.values()).allMatch(b -> b.availableCents() >= 0);
        assertThat(r.overPlanConsents()).isPositive();
        assertThat(r.unplannedConsents()).isPositive();
    }

    @Test
    void every_command_is_one_the_ledger_accepts_by_shape() {
        ImportPlan plan = planner.plan(2020, new SollCsvParser().parse(BundFiles.soll(2020)), new IstCsvParser().parse(BundFiles.istCsv(2020)));

        Set<String> requestIds = new HashSet<>();
        for (PlannedCommand c : plan.commands()) {
            assertThat(requestIds.add(c.requestId())).as("request id %s is unique", c.requestId()).isTrue();
            assertThat(c.requestId().length()).isLessThanOrEqualTo(Limits.MAX_REFERENCE_LENGTH);
            assertThat(c.entries()).isBetween(1, ImportPlanner.BATCH_ENTRIES);
            if (c.command() instanceof BudgetBatch b) {
                String file = c.phase() == PlannedCommand.Phase.GRANT_CONSENT || c.requestId().contains(BundFiles.istCsv(2020).sha256())
                        ? "bund_ist_2020.csv" : "bund_soll_2020.csv";
                assertThat(b.entries()).allSatisfy(entry -> assertThat(entry.metadata())
                        .containsEntry(LedgerMetadata.SOURCE_FILE, file).containsKey(LedgerMetadata.SOURCE_ROW).containsKey(LedgerMetadata.SOURCE_SHA256));
            }
        }
        for (Object c : singles(plan)) {
            if (c instanceof OpenLine o) {
                assertThat(BudgetLineId.parse(o.lineId())).isEqualTo(BudgetLineId.of(BudgetLineId.parse(o.lineId()).year(), o.key()));
                assertThat(o.kind()).isEqualTo(o.key().kindByLaw());
                assertThat(o.purpose()).isNotBlank().hasSizeLessThanOrEqualTo(Limits.MAX_TEXT_LENGTH);
                assertThat(o.effectiveDate()).isEqualTo(LocalDate.of(2020, 1, 1));
                assertThat(o.transferable() && o.kind() == LineKind.REVENUE).isFalse();
            } else if (c instanceof EnactAppropriation e) {
                assertThat(e.amountCents()).isPositive();
                assertThat(e.legalBasis()).startsWith("Haushaltsgesetz 2020 (bund_soll_2020.csv row ").hasSizeLessThanOrEqualTo(Limits.MAX_REFERENCE_LENGTH);
            } else if (c instanceof GrantOverPlanConsent g) {
                assertThat(g.amountCents()).isPositive();
                assertThat(g.consentReference()).isEqualTo("historical import");
                assertThat(g.effectiveDate()).isEqualTo(LocalDate.of(2020, 12, 31));
            } else if (c instanceof RecordBatch b) {
                assertThat(b.entries()).hasSizeBetween(1, ImportPlanner.BATCH_ENTRIES);
                assertThat(b.entries()).allSatisfy(entry -> {
                    assertThat(entry.amountCents()).isPositive();
                    assertThat(entry.effectiveDate()).isEqualTo(LocalDate.of(2020, 12, 31));
                    assertThat(entry.documentReference()).hasSizeLessThanOrEqualTo(Limits.MAX_REFERENCE_LENGTH);
                    assertThat(entry.metadata()).containsEntry(LedgerMetadata.SOURCE_FILE, "bund_ist_2020.csv")
                            .containsEntry(LedgerMetadata.SOURCE_SHA256, BundFiles.istCsv(2020).sha256())
                            .containsKey(LedgerMetadata.SOURCE_ROW);
                });
            }
        }
        // Phases in order: open (with appropriations), consent, actuals.
        List<PlannedCommand.Phase> phases = plan.commands().stream().map(PlannedCommand::phase).toList();
        assertThat(phases).isSorted();
        assertThat(plan.entries(PlannedCommand.Phase.OPEN_LINE)).isEqualTo(plan.report().linesOpened());
        assertThat(singles(plan).stream().filter(OpenLine.class::isInstance)).hasSize(plan.report().linesOpened());
    }

    @Test
    void soll_2024_without_ist_enacts_the_core_budget_and_leaves_out_the_annexes() {
        ImportPlan plan = planner.plan(2024, new SollCsvParser().parse(BundFiles.soll(2024)), null);
        ImportReport r = plan.report();

        assertThat(r.coreSollExpenditureCents()).isEqualTo(BundFiles.SOLL_EXPENDITURE_2024);
        assertThat(r.appropriatedExpenditureCents() + r.negativeSollCents(LineKind.EXPENDITURE)).isEqualTo(BundFiles.SOLL_EXPENDITURE_2024);
        assertThat(r.anlageSollExpenditureCents()).isEqualTo(BundFiles.SOLL_ANLAGE_EXPENDITURE_2024);
        assertThat(singles(plan).stream().filter(OpenLine.class::isInstance).map(OpenLine.class::cast).toList()).hasSize(7282 - r.anlageSollRows())
                .noneMatch(o -> SollRow.isAnlageKapitel(o.key().kapitel()));
        assertThat(plan.commands(PlannedCommand.Phase.RECORD_ACTUALS)).isEmpty();
        assertThat(plan.commands(PlannedCommand.Phase.GRANT_CONSENT)).isEmpty();
    }

    private static final String SOLL_HEADER = "einzelplan;einzelplan-text;einnahmen-ausgaben;einnahmen-ausgaben-art;kapitel;kapitel-text;titel;funktion;titel-text;flex;seite;soll;titelgruppe;tgr-text\n";

    @Test
    void each_kind_of_value_is_handled_as_documented() {
        String soll = SOLL_HEADER
                + "04;BK;A;x;0411;K;42101;011;Bezüge;ja;1;100;;\n"           // row 2: Ist 150 > Soll 100
                + "04;BK;A;x;0411;K;52601;011;Gutachten;nein;1;100;;\n"      // row 3: Ist 40 <= Soll
                + "04;BK;A;x;0411;K;97201;011;Globale Minderausgabe;nein;1;-50;;\n" // row 4: negative Soll
                + "04;BK;A;x;0411;K;53101;011;Öffentlichkeitsarbeit;nein;1;0;;\n"  // row 5: zero Soll, no Ist
                + "04;BK;E;x;0411;K;11101;011;Gebühren;;1;10;;\n"             // row 6: revenue Ist above estimate
                + "04;BK;A;x;0490;Anlage;68101;011;Sondervermögen;nein;1;999;;\n"; // row 7: annex
        String ist = "Epl.;Kap.;Tit.;Zweckbestimmung;Ist 2021;Seite\n"
                + "4;11;42101;Bezüge;150000;1\n"            // row 2
                + "4;11;52601;Gutachten;40000;1\n"          // row 3
                + "4;11;11101;Gebühren;25000.5;1\n"         // row 4
                + "4;11;68501;Neue Hilfe;7.25;1\n"          // row 5: Ist without Soll
                + "4;11;54701;Erstattungen;-3.1;1\n"        // row 6: negative Ist without Soll
                + "4;11;97201;Globale Minderausgabe;0;1\n"; // row 7
        ImportPlan plan = planner.plan(2021, new SollCsvParser().parse(BundFiles.text("s.csv", soll)),
                new IstCsvParser().parse(BundFiles.text("i.csv", ist)));

        Map<String, OpenLine> opened = new HashMap<>();
        singles(plan).stream().filter(OpenLine.class::isInstance).map(OpenLine.class::cast).forEach(o -> opened.put(o.lineId(), o));
        assertThat(opened).containsOnlyKeys("2021-0411-42101", "2021-0411-52601", "2021-0411-97201", "2021-0411-53101",
                "2021-0411-11101", "2021-0411-68501", "2021-0411-54701");
        assertThat(opened.get("2021-0411-42101").transferable()).as("flex=ja").isTrue();
        assertThat(opened.get("2021-0411-52601").transferable()).isFalse();
        assertThat(opened.get("2021-0411-68501").transferable()).as("known from Ist only").isFalse();
        assertThat(opened.get("2021-0411-42101").key().funktion()).isEqualTo("011");

        assertThat(singles(plan).stream().filter(EnactAppropriation.class::isInstance).map(EnactAppropriation.class::cast).toList())
                .extracting(EnactAppropriation::lineId, EnactAppropriation::amountCents)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("2021-0411-42101", 10_000_000L),
                        org.assertj.core.groups.Tuple.tuple("2021-0411-52601", 10_000_000L),
                        org.assertj.core.groups.Tuple.tuple("2021-0411-11101", 1_000_000L));
        assertThat(singles(plan).stream().filter(GrantOverPlanConsent.class::isInstance).map(GrantOverPlanConsent.class::cast).toList())
                .extracting(GrantOverPlanConsent::lineId, GrantOverPlanConsent::amountCents)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("2021-0411-42101", 5_000_000L),
                        org.assertj.core.groups.Tuple.tuple("2021-0411-68501", 725L));
        List<BatchEntry> entries = ((RecordBatch) plan.commands(PlannedCommand.Phase.RECORD_ACTUALS).get(0).command()).entries();
        assertThat(entries).extracting(BatchEntry::kind, BatchEntry::lineId, BatchEntry::amountCents)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(BatchEntry.Kind.EXPENDITURE, "2021-0411-42101", 15_000_000L),
                        org.assertj.core.groups.Tuple.tuple(BatchEntry.Kind.EXPENDITURE, "2021-0411-52601", 4_000_000L),
                        org.assertj.core.groups.Tuple.tuple(BatchEntry.Kind.REVENUE, "2021-0411-11101", 2_500_050L),
                        org.assertj.core.groups.Tuple.tuple(BatchEntry.Kind.EXPENDITURE, "2021-0411-68501", 725L));
        assertThat(entries.get(0).metadata()).containsEntry(LedgerMetadata.SOURCE_ROW, "2").containsEntry(LedgerMetadata.SOURCE_FILE, "i.csv");

        ImportReport r = plan.report();
        assertThat(r.negativeSoll()).extracting(ImportReport.Skipped::lineId, ImportReport.Skipped::cents)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("2021-0411-97201", -5_000_000L));
        assertThat(r.negativeIst()).extracting(ImportReport.Skipped::lineId, ImportReport.Skipped::cents)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("2021-0411-54701", -310L));
        assertThat(r.zeroSollRows()).isEqualTo(1);
        assertThat(r.zeroIstRows()).isEqualTo(1);
        assertThat(r.anlageSollRows()).isEqualTo(1);
        assertThat(r.anlageSollExpenditureCents()).isEqualTo(99_900_000L);
        assertThat(r.istOnlyLines()).isEqualTo(2);
        assertThat(r.overPlanConsents()).isEqualTo(1);
        assertThat(r.unplannedConsents()).isEqualTo(1);
    }

    @Test
    void request_ids_depend_only_on_file_bytes_and_rows() {
        List<SollRow> soll = new SollCsvParser().parse(BundFiles.text("s.csv", SOLL_HEADER + "04;BK;A;x;0411;K;42101;011;Bezüge;ja;1;100;;\n"));
        List<SollRow> sameBytesOtherName = new SollCsvParser().parse(BundFiles.text("copy.csv", SOLL_HEADER + "04;BK;A;x;0411;K;42101;011;Bezüge;ja;1;100;;\n"));
        List<SollRow> changed = new SollCsvParser().parse(BundFiles.text("s.csv", SOLL_HEADER + "04;BK;A;x;0411;K;42101;011;Bezüge;ja;1;101;;\n"));

        List<String> first = ids(planner.plan(2021, soll, null));
        assertThat(ids(planner.plan(2021, soll, null))).isEqualTo(first);
        assertThat(ids(planner.plan(2021, sameBytesOtherName, null))).isEqualTo(first);
        assertThat(ids(planner.plan(2021, changed, null))).doesNotContainAnyElementsOf(first);
    }

    @Test
    void an_ist_sheet_of_another_year_is_refused() {
        IstSheet ist = new IstCsvParser().parse(BundFiles.text("i.csv", "Epl.;Kap.;Tit.;Zweckbestimmung;Ist 2020;Seite\n"));

        assertThatThrownBy(() -> planner.plan(2021, List.of(), ist)).hasMessage("the Ist file is for 2020, not 2021");
    }

    private static List<String> ids(ImportPlan plan) {
        return plan.commands().stream().map(PlannedCommand::requestId).toList();
    }

    /** The plan's commands with every BudgetBatch entry unfolded into the single commands it stands for, in order. */
    static List<Object> singles(ImportPlan plan) {
        List<Object> singles = new java.util.ArrayList<>();
        for (PlannedCommand c : plan.commands()) {
            if (c.command() instanceof BudgetBatch b) {
                for (BudgetEntry e : b.entries()) {
                    java.util.stream.Stream.of(e.open(), e.appropriation(), e.consent()).filter(java.util.Objects::nonNull).forEach(singles::add);
                }
            } else {
                singles.add(c.command());
            }
        }
        return singles;
    }

    /** Folds the plan's commands into line balances with the ledger's own fold. */
    private static Map<String, LineBalance> fold(ImportPlan plan) {
        Map<String, LineBalance> balances = new HashMap<>();
        Map<String, LineKind> kinds = new HashMap<>();
        for (Object c : singles(plan)) {
            if (c instanceof OpenLine o) {
                assertThat(balances.put(o.lineId(), LineBalance.ZERO)).as("opened once: %s", o.lineId()).isNull();
                kinds.put(o.lineId(), o.kind());
            } else if (c instanceof EnactAppropriation e) {
                balances.computeIfPresent(e.lineId(), (id, b) -> b.apply(new AppropriationEnacted(id, e.amountCents(), e.legalBasis(), e.effectiveDate())));
            } else if (c instanceof GrantOverPlanConsent g) {
                assertThat(kinds.get(g.lineId())).isEqualTo(LineKind.EXPENDITURE);
                balances.computeIfPresent(g.lineId(), (id, b) -> b.apply(new OverPlanConsentGranted(id, g.amountCents(), g.consentReference(),
                        g.justification(), b.appropriatedCents() == 0, g.effectiveDate())));
            } else if (c instanceof RecordBatch batch) {
                for (BatchEntry e : batch.entries()) {
                    assertThat(kinds.get(e.lineId())).isEqualTo(e.kind() == BatchEntry.Kind.EXPENDITURE ? LineKind.EXPENDITURE : LineKind.REVENUE);
                    balances.computeIfPresent(e.lineId(), (id, b) -> b.apply(e.kind() == BatchEntry.Kind.EXPENDITURE
                            ? new ExpenditureRecorded(id, e.amountCents(), e.effectiveDate(), e.purpose(), e.documentReference(), null)
                            : new RevenueRecorded(id, e.amountCents(), e.effectiveDate(), e.purpose(), e.documentReference(), null)));
                }
            }
        }
        return Map.copyOf(balances);
    }

    private static long sum(Map<String, LineBalance> balances, LineKind kind, java.util.function.ToLongFunction<LineBalance> component) {
        return balances.entrySet().stream()
                .filter(e -> LineKind.ofTitel(e.getKey().substring(e.getKey().lastIndexOf('-') + 1)) == kind)
                .mapToLong(e -> component.applyAsLong(e.getValue()))
                .reduce(0L, Math::addExact);
    }
}
