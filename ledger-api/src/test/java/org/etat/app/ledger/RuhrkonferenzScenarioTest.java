package org.etat.app.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.etat.ledger.scenario.Ruhrkonferenz.*;

import java.util.List;
import java.util.Map;
import org.axonframework.config.Configuration;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.etat.app.axon.LruCache;
import org.etat.ledger.scenario.Ruhrkonferenz;
import org.etat.app.demo.RuhrkonferenzDemo;
import org.etat.app.testsupport.EtatIntegrationTest;
import org.etat.ledger.budgetline.BudgetLine;
import org.etat.ledger.budgetline.Component;
import org.etat.ledger.budgetline.LineBalance;
import org.etat.ledger.common.Receipt;
import org.etat.ledger.conservation.ConservationCheck;
import org.etat.ledger.conservation.ConservationReport;
import org.etat.ledger.money.Percent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The Ruhrkonferenz case (EP 08, TG 69; Kapitel and Titel numbers illustrative, see
 * {@link Ruhrkonferenz}) recorded through the LedgerGateway and read back from PostgreSQL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RuhrkonferenzScenarioTest extends EtatIntegrationTest {

    @Autowired
    LedgerGateway ledger;
    @Autowired
    EventLog log;
    @Autowired
    LruCache budgetLineCache;
    @Autowired
    Configuration axon;
    @Autowired
    JdbcTemplate jdbc;

    List<Receipt> firstRun;

    @BeforeAll
    void recordTheScenarioAndForgetTheCache() {
        firstRun = RuhrkonferenzDemo.record(ledger);
        budgetLineCache.removeAll();
    }

    @Test
    void balancesFoldedFromTheStoredLog() {
        Map<String, LineBalance> b = log.balances();

        LineBalance y2023 = b.get(LINE_2023);
        assertThat(y2023.appropriatedCents()).isEqualTo(700_000_00L);
        assertThat(y2023.spentCents()).isEqualTo(196_270_47L);
        assertThat(y2023.lapsedCents()).isEqualTo(503_729_53L);
        assertThat(y2023.availableCents()).isZero();

        LineBalance y2024 = b.get(LINE_2024);
        assertThat(y2024.appropriatedCents()).isEqualTo(700_000_00L);
        assertThat(y2024.spentCents()).isEqualTo(397_64L);
        assertThat(y2024.reallocatedOutCents()).isEqualTo(699_602_36L);
        assertThat(y2024.availableCents()).isZero();
        assertThat(b.get(LINE_2024_GRANTS).reallocatedInCents()).isEqualTo(400_000_00L);
        assertThat(b.get(LINE_2024_SERVICES).reallocatedInCents()).isEqualTo(299_602_36L);
        assertThat(b.get(LINE_2024_GRANTS).availableCents()).isEqualTo(1_900_000_00L);
        assertThat(b.get(LINE_2024_SERVICES).availableCents()).isEqualTo(599_602_36L);

        assertThat(b.get(LINE_2025).availableCents()).isEqualTo(450_000_00L);
        assertThat(b.get(LINE_2026).availableCents()).isEqualTo(450_000_00L);
    }

    @Test
    void executionRatesAreSpentOverAppropriation() {
        Map<String, LineBalance> b = log.balances();
        // Execution as the Landtag reads it: actual (Ist) over appropriation (Soll).
        assertThat(rate(b.get(LINE_2023))).isEqualTo("28.04");
        assertThat(rate(b.get(LINE_2024))).isEqualTo("0.06");
        assertThat(rate(b.get(LINE_2025))).isEqualTo("0.00");
    }

    @Test
    void aggregatesReloadedFromTheStoreAgreeWithTheLog() throws Exception {
        Map<String, LineBalance> folded = log.balances();
        for (String line : List.of(LINE_2023, LINE_2024, LINE_2024_GRANTS, LINE_2024_SERVICES, LINE_2025, LINE_2026)) {
            budgetLineCache.removeAll();
            BudgetLine.LineView view = load(line);
            assertThat(view.balance()).as(line).isEqualTo(folded.get(line));
        }
        assertThat(load(LINE_2023).closed()).isTrue();
        assertThat(load(LINE_2024).closed()).isFalse();
    }

    @Test
    void theRawLogConserves() {
        ConservationReport report = ConservationCheck.check(log.all().stream().map(EventLog.StoredEvent::recorded).toList());

        assertThat(report.balanced()).as(String.valueOf(report.firstViolation())).isTrue();
        assertThat(ConservationCheck.total(report, 2023, Component.LAPSED)).isEqualTo(503_729_53L);
        assertThat(ConservationCheck.total(report, 2024, Component.REALLOCATED_OUT)).isEqualTo(699_602_36L);
        assertThat(ConservationCheck.total(report, 2024, Component.REALLOCATED_IN)).isEqualTo(699_602_36L);
    }

    @Test
    void recordingTheScenarioAgainChangesNothing() {
        long events = jdbc.queryForObject("SELECT count(*) FROM domain_event_entry", Long.class);

        List<Receipt> secondRun = RuhrkonferenzDemo.record(ledger);

        assertThat(secondRun).isEqualTo(firstRun);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM domain_event_entry", Long.class)).isEqualTo(events);
    }

    private static String rate(LineBalance b) {
        return Percent.format(b.spentCents(), b.appropriatedCents() + b.amendedCents());
    }

    private BudgetLine.LineView load(String lineId) throws Exception {
        UnitOfWork<?> uow = DefaultUnitOfWork.startAndGet(null);
        try {
            return axon.repository(BudgetLine.class).load(lineId).invoke(BudgetLine::view);
        } finally {
            uow.rollback();
        }
    }
}
