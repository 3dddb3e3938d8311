package org.etat.app.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.etat.ledger.scenario.Ruhrkonferenz.LINE_2023;
import static org.etat.ledger.scenario.Ruhrkonferenz.LINE_2024;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.etat.ledger.scenario.Ruhrkonferenz;
import org.etat.app.demo.RuhrkonferenzDemo;
import org.etat.app.ledger.EventLog;
import org.etat.app.ledger.LedgerGateway;
import org.etat.app.testsupport.EtatIntegrationTest;
import org.etat.ledger.budgetline.LineBalance;
import org.etat.projection.Digest;
import org.etat.projection.MoneyTrail;
import org.etat.projection.ProjectedEvent;
import org.etat.projection.ReadModelSchema;
import org.etat.projection.ReadModels;
import org.etat.projection.Rebuild;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * Given the Ruhrkonferenz case recorded through the LedgerGateway, the pooled streaming processor
 * (here 2 segments, batches of 7) brings every read model up to the log: each projected line equals
 * the fold of the stored log, and a rebuild straight from the stored log gives the same digests.
 */
@TestPropertySource(properties = {"etat.projection.segments=2", "etat.projection.batch-size=7"})
class ProjectionIntegrationTest extends EtatIntegrationTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @Autowired
    LedgerGateway ledger;
    @Autowired
    EventLog log;
    @Autowired
    ReadModels models;
    @Autowired
    DataSource dataSource;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void readModelsFollowTheLedgerAndEqualARebuildFromTheStoredLog() {
        RuhrkonferenzDemo.record(ledger);
        List<EventLog.StoredEvent> stored = log.all();
        awaitProjected(stored.size());

        Map<String, LineBalance> folded = log.balances();
        assertThat(folded).isNotEmpty();
        folded.forEach((lineId, balance) -> assertThat(models.line(lineId).orElseThrow().balance()).as(lineId).isEqualTo(balance));
        assertThat(models.line(LINE_2023).orElseThrow().executionRatePercent()).isEqualTo("28.04");
        assertThat(models.line(LINE_2024).orElseThrow().sollRatePercent()).isEqualTo("0.06");
        MoneyTrail.Trail trail = new MoneyTrail(models).of(LINE_2024);
        assertThat(trail.leftCents()).isEqualTo(699_602_36L);
        assertThat(trail.endedCents()).isEqualTo(699_602_36L);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM token_entry WHERE processor_name = ?", Integer.class,
                ProjectionConfiguration.PROCESSING_GROUP)).isEqualTo(2);

        List<ProjectedEvent> replay = stored.stream()
                .map(e -> ReadModelProjection.toProjected(e.globalIndex(), e.eventId(), e.payload(), e.metaData(), null))
                .toList();
        Rebuild rebuild = new Rebuild(dataSource);
        rebuild.prepare();
        rebuild.feed(replay, 500);
        assertThat(Digest.of(dataSource, ReadModelSchema.SHADOW)).isEqualTo(Digest.of(dataSource, ReadModelSchema.LIVE));
    }

    /** Waits, with a deadline, until the processor has projected every stored event. */
    private void awaitProjected(int events) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        int projected = 0;
        while (System.nanoTime() < deadline) {
            projected = (int) Projected.events(dataSource);
            if (projected == events) {
                return;
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
        assertThat(projected).as("events projected within %s", DEADLINE).isEqualTo(events);
    }
}
