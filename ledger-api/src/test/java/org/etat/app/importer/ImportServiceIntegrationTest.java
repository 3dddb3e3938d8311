package org.etat.app.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.etat.app.ledger.EventLog;
import org.etat.app.testsupport.EtatIntegrationTest;
import org.etat.ledger.budgetline.ExpenditureRecorded;
import org.etat.ledger.budgetline.LineBalance;
import org.etat.ledger.budgetline.LineKind;
import org.etat.ledger.common.LedgerMetadata;
import org.etat.ledger.conservation.ConservationCheck;
import org.etat.ledger.conservation.ConservationReport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Imports the real 2022 federal budget (Soll and Ist spreadsheet) into PostgreSQL through the ledger. */
class ImportServiceIntegrationTest extends EtatIntegrationTest {

    @Autowired
    ImportService importer;

    @Autowired
    EventLog log;

    @Test
    void givenTheFederalBudget2022_whenImportedTwice_thenTheLedgerHoldsThePublishedTotalsOnce() {
        SourceFile istFile = BundFiles.istXlsx(2022);
        ImportPlan plan = new ImportPlanner().plan(2022, new SollCsvParser().parse(BundFiles.soll(2022)), new IstXlsxParser().parse(istFile));
        ImportReport r = plan.report();

        ImportService.ImportResult first = importer.execute(plan, ImportProgress.NONE);
        List<EventLog.StoredEvent> events = log.all();
        System.out.printf("imported 2022: %d commands, %d events in %d ms, by phase %s%n", first.commandsSent(), events.size(),
                first.elapsed().toMillis(), first.byPhase());

        // The class's tests share one database; this one owns the 2022 lines.
        Map<String, LineBalance> balances = lines2022(log.balances());
        assertThat(balances).hasSize(r.linesOpened());
        assertThat(sum(balances, LineKind.EXPENDITURE, LineBalance::appropriatedCents) + r.negativeSollCents(LineKind.EXPENDITURE))
                .isEqualTo(BundFiles.SOLL_EXPENDITURE_2022);
        assertThat(sum(balances, LineKind.REVENUE, LineBalance::appropriatedCents) + r.negativeSollCents(LineKind.REVENUE))
                .isEqualTo(BundFiles.SOLL_EXPENDITURE_2022);
        assertThat(sum(balances, LineKind.EXPENDITURE, LineBalance::spentCents) + r.negativeIstCents(LineKind.EXPENDITURE))
                .isEqualTo(BundFiles.IST_EXPENDITURE_2022);
        assertThat(sum(balances, LineKind.REVENUE, LineBalance::revenueCents) + r.negativeIstCents(LineKind.REVENUE))
                .isEqualTo(BundFiles.IST_EXPENDITURE_2022);
        assertThat(sum(balances, LineKind.EXPENDITURE, LineBalance::consentedCents)).isEqualTo(r.overPlanConsentCents() + r.unplannedConsentCents());
        assertThat(balances.values()).allMatch(b -> b.availableCents() >= 0);

        ConservationReport conservation = ConservationCheck.check(events.stream().map(EventLog.StoredEvent::recorded).toList());
        assertThat(conservation.balanced()).as("%s", conservation.firstViolation()).isTrue();

        EventLog.StoredEvent firstExpenditure = events.stream()
                .filter(e -> e.payload() instanceof ExpenditureRecorded x && x.lineId().startsWith("2022-")).findFirst().orElseThrow();
        assertThat(firstExpenditure.metaData()).containsEntry(LedgerMetadata.SOURCE_FILE, "bund_ist_2022.xlsx")
                .containsEntry(LedgerMetadata.SOURCE_SHA256, istFile.sha256())
                .containsKey(LedgerMetadata.SOURCE_ROW);

        // Provenance on every event of the year: file name, its SHA-256 and the row.
        SourceFile sollFile = BundFiles.soll(2022);
        assertThat(events.stream().filter(e -> ((org.etat.ledger.common.LineEvent) e.payload()).lineId().startsWith("2022-")))
                .hasSizeGreaterThan(balances.size())
                .allSatisfy(e -> assertThat(e.metaData()).containsKey(LedgerMetadata.SOURCE_ROW)
                        .hasEntrySatisfying(LedgerMetadata.SOURCE_FILE, f -> assertThat(f).isIn("bund_soll_2022.csv", "bund_ist_2022.xlsx"))
                        .hasEntrySatisfying(LedgerMetadata.SOURCE_SHA256, h -> assertThat(h).isIn(sollFile.sha256(), istFile.sha256())));

        ImportService.ImportResult second = importer.execute(plan, ImportProgress.NONE);
        System.out.printf("re-imported 2022: %d commands in %d ms%n", second.commandsSent(), second.elapsed().toMillis());
        assertThat(log.all()).hasSize(events.size());
        assertThat(lines2022(log.balances())).isEqualTo(balances);
    }

    @Test
    void givenAnImportRefusedHalfway_whenRunAgainWithTheCorrectPlan_thenItResumesWithoutRecordingAnythingTwice() {
        String soll = "einzelplan;einzelplan-text;einnahmen-ausgaben;einnahmen-ausgaben-art;kapitel;kapitel-text;titel;funktion;titel-text;flex;seite;soll;titelgruppe;tgr-text\n"
                + "04;BK;A;x;0411;K;42101;011;Bezüge;ja;1;100;;\n"
                + "04;BK;A;x;0411;K;52601;011;Gutachten;nein;1;100;;\n";
        String ist = "Epl.;Kap.;Tit.;Zweckbestimmung;Ist 2021;Seite\n4;11;42101;Bezüge;150000;1\n4;11;52601;Gutachten;99.99;1\n";
        ImportPlan plan = new ImportPlanner().plan(2021, new SollCsvParser().parse(BundFiles.text("s21.csv", soll)),
                new IstCsvParser().parse(BundFiles.text("i21.csv", ist)));
        // The same plan with a batch the ledger refuses at the start of the consent phase.
        List<PlannedCommand> broken = new java.util.ArrayList<>(plan.commands(PlannedCommand.Phase.OPEN_LINE));
        broken.add(new PlannedCommand("test:refused", PlannedCommand.Phase.GRANT_CONSENT, new org.etat.ledger.batch.BudgetBatch(List.of(
                org.etat.ledger.batch.BudgetEntry.consent(new org.etat.ledger.budgetline.GrantOverPlanConsent("2021-0411-99999", 100,
                        "historical import", "test", java.time.LocalDate.of(2021, 12, 31)), Map.of(LedgerMetadata.SOURCE_FILE, "i21.csv",
                        LedgerMetadata.SOURCE_ROW, "9"))))));
        broken.addAll(plan.commands().subList(broken.size() - 1, plan.commands().size()));
        long before = log.all().size();

        assertThatThrownBy(() -> importer.execute(new ImportPlan(2021, broken, plan.report()), ImportProgress.NONE))
                .isInstanceOfSatisfying(ImportService.ImportRefusedException.class, e -> {
                    assertThat(e.command().requestId()).isEqualTo("test:refused");
                    assertThat(e.rejection().rule()).isEqualTo(org.etat.ledger.common.Rule.BATCH_REJECTED);
                    assertThat(e.rejection().entryErrors().get(0).rule()).isEqualTo(org.etat.ledger.common.Rule.LINE_NOT_OPEN);
                    assertThat(e.getMessage()).contains("at i21.csv row 9: ");
                });
        assertThat(log.all().size() - before).as("the two lines were opened and funded before the refusal").isEqualTo(4);

        importer.execute(plan, ImportProgress.NONE);

        // 2 opened + 2 enacted + 1 consent + 2 actuals: the openings of the first run were not repeated.
        assertThat(log.all().size() - before).isEqualTo(7);
        assertThat(log.balances().get("2021-0411-42101").spentCents()).isEqualTo(15_000_000L);
        assertThat(log.balances().get("2021-0411-52601").spentCents()).isEqualTo(9_999L);
    }

    private static Map<String, LineBalance> lines2022(Map<String, LineBalance> all) {
        Map<String, LineBalance> lines = new java.util.TreeMap<>(all);
        lines.keySet().removeIf(id -> !id.startsWith("2022-"));
        return lines;
    }

    private static long sum(Map<String, LineBalance> balances, LineKind kind, java.util.function.ToLongFunction<LineBalance> component) {
        return balances.entrySet().stream()
                .filter(e -> LineKind.ofTitel(e.getKey().substring(e.getKey().lastIndexOf('-') + 1)) == kind)
                .mapToLong(e -> component.applyAsLong(e.getValue()))
                .reduce(0L, Math::addExact);
    }
}
