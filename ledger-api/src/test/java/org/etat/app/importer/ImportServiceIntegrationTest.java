package org.etat.app.importer;

import static org.assertj.core.api.Assertions.assertThat;

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

        Map<String, LineBalance> balances = log.balances();
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

        EventLog.StoredEvent firstExpenditure = events.stream().filter(e -> e.payload() instanceof ExpenditureRecorded).findFirst().orElseThrow();
        assertThat(firstExpenditure.metaData()).containsEntry(LedgerMetadata.SOURCE_FILE, "bund_ist_2022.xlsx")
                .containsEntry(LedgerMetadata.SOURCE_SHA256, istFile.sha256())
                .containsKey(LedgerMetadata.SOURCE_ROW);

        ImportService.ImportResult second = importer.execute(plan, ImportProgress.NONE);
        System.out.printf("re-imported 2022: %d commands in %d ms%n", second.commandsSent(), second.elapsed().toMillis());
        assertThat(log.all()).hasSize(events.size());
        assertThat(log.balances()).isEqualTo(balances);
    }

    private static long sum(Map<String, LineBalance> balances, LineKind kind, java.util.function.ToLongFunction<LineBalance> component) {
        return balances.entrySet().stream()
                .filter(e -> LineKind.ofTitel(e.getKey().substring(e.getKey().lastIndexOf('-') + 1)) == kind)
                .mapToLong(e -> component.applyAsLong(e.getValue()))
                .reduce(0L, Math::addExact);
    }
}
