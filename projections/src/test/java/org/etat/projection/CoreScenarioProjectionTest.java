package org.etat.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.etat.ledger.scenario.Ruhrkonferenz.*;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.etat.ledger.budgetline.LineBalance;
import org.etat.ledger.common.LineEvent;
import org.etat.ledger.conservation.RecordedEvent;
import org.etat.ledger.scenario.Ruhrkonferenz;
import org.etat.ledger.testing.InMemoryLedger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Given the core's Ruhrkonferenz script run through the real BudgetLine aggregate and handlers (in
 * memory), its recorded log projected in batches of 4: the published figures, each line equal to
 * the fold of its events, and the 2024 trail adding up to the 699,602.36 that were moved.
 */
class CoreScenarioProjectionTest {

    static InMemoryLedger ledger;
    static List<RecordedEvent> log;
    static ReadModels models;

    @BeforeAll
    static void recordAndProject() {
        ledger = new InMemoryLedger();
        Ruhrkonferenz.commands().forEach(ledger::send);
        log = ledger.log();
        assertThat(ledger.conservation().balanced()).isTrue();
        Instant start = Instant.parse("2023-01-02T08:00:00Z");
        List<ProjectedEvent> events = log.stream()
                .map(e -> new ProjectedEvent(e.globalSequence(), e.eventId(), e.payload(), start.plusSeconds(60 * e.globalSequence()),
                        e.payload() instanceof LineEvent le ? le.effectiveDate() : null, "core-test", Map.of()))
                .toList();
        DataSource db = Fixtures.freshDatabase();
        Fixtures.projectAll(new Projector(db), events, 4);
        models = new ReadModels(db);
    }

    @Test
    void publishedRatesAndLapse() {
        ReadModels.LineView y2023 = models.line(LINE_2023).orElseThrow();
        assertThat(y2023.executionRatePercent()).isEqualTo(EXECUTION_RATE_2023);
        assertThat(y2023.balance().lapsedCents()).isEqualTo(LAPSED_2023_CENTS);
        ReadModels.LineView y2024 = models.line(LINE_2024).orElseThrow();
        assertThat(y2024.executionRatePercent()).isEqualTo(EXECUTION_RATE_2024);
        assertThat(y2024.balance().reallocatedOutCents()).isEqualTo(REALLOCATED_2024_CENTS);
    }

    @Test
    void everyProjectedLineEqualsTheFoldOfItsEvents() {
        for (int year = 2023; year <= 2026; year++) {
            for (ReadModels.LineView line : models.lines(year)) {
                LineBalance folded = LineBalance.ZERO;
                for (Object e : ledger.eventsOf(line.lineId())) {
                    folded = folded.apply((LineEvent) e);
                }
                assertThat(line.balance()).as(line.lineId()).isEqualTo(folded);
            }
        }
    }

    @Test
    void trailOf2024EndsOnTheReceivingTitles() {
        MoneyTrail.Trail trail = new MoneyTrail(models).of(LINE_2024);
        assertThat(trail.leftCents()).isEqualTo(REALLOCATED_2024_CENTS);
        assertThat(trail.endedCents()).isEqualTo(REALLOCATED_2024_CENTS);
        // nothing was spent on the receiving titles yet: the moved money is still available there
        assertThat(trail.ends()).containsExactly(
                new MoneyTrail.End(LINE_2024_SERVICES, 2024, MoneyTrail.EndKind.AVAILABLE, null, MOVED_TO_SERVICES_2024_CENTS),
                new MoneyTrail.End(LINE_2024_GRANTS, 2024, MoneyTrail.EndKind.AVAILABLE, null, MOVED_TO_GRANTS_2024_CENTS));
    }

    @Test
    void annualAccountOf2024ShowsTheMoves() {
        AnnualAccount.Row admin = new AnnualAccount(models).of(2024).rows().stream().filter(r -> r.lineId().equals(LINE_2024))
                .findFirst().orElseThrow();
        assertThat(admin.istCents()).isEqualTo(SPENT_2024_CENTS);
        assertThat(admin.reallocatedOutCents()).isEqualTo(REALLOCATED_2024_CENTS);
        assertThat(admin.differenceCents()).isEqualTo(SPENT_2024_CENTS - APPROPRIATED_2024_CENTS);
        assertThat(models.pairSums(2024)).extracting(ReadModels.PairSum::amountCents).containsExactly(MOVED_TO_SERVICES_2024_CENTS,
                MOVED_TO_GRANTS_2024_CENTS);
    }
}
