package org.etat.app.axon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.etat.app.ledger.LedgerGateway;
import org.etat.app.testsupport.EtatIntegrationTest;
import org.etat.ledger.batch.BatchEntry;
import org.etat.ledger.batch.RecordBatch;
import org.etat.ledger.budgetline.EnactAppropriation;
import org.etat.ledger.budgetline.LineKind;
import org.etat.ledger.budgetline.OpenLine;
import org.etat.ledger.budgetline.RecordExpenditure;
import org.etat.ledger.budgetline.TitleKey;
import org.etat.ledger.common.LedgerRejection;
import org.etat.ledger.common.Receipt;
import org.etat.ledger.common.Rule;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/** Axon runs on PostgreSQL for real: JDBC engine, JDBC token store, Spring transactions, snapshots. */
@TestPropertySource(properties = {"etat.ledger.snapshot.every-events=3"})
class AxonOnPostgresTest extends EtatIntegrationTest {

    @Autowired
    EventStorageEngine engine;
    @Autowired
    TokenStore tokenStore;
    @Autowired
    TransactionManager transactionManager;
    @Autowired
    LedgerGateway ledger;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    LruCache budgetLineCache;

    @Autowired
    org.axonframework.eventsourcing.Snapshotter snapshotter;

    @Test
    void axonUsesTheJdbcEngineTheJdbcTokenStoreAndSpringTransactions() {
        assertThat(engine).isInstanceOf(JdbcEventStorageEngine.class);
        assertThat(tokenStore).isInstanceOf(JdbcTokenStore.class);
        assertThat(transactionManager).isInstanceOf(SpringTransactionManager.class);
    }

    @Test
    void flywayCreatedTheSnakeCaseTables() {
        List<String> tables = jdbc.queryForList(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name", String.class);
        assertThat(tables).contains("dead_letter_entry", "domain_event_entry", "request_log", "snapshot_event_entry", "token_entry");
    }

    @Test
    void givenAnOpenLine_whenARefusedBatchAppliedEventsBeforeFailing_thenNoRowIsLeftAndTheCacheIsClean() {
        open("2024-06010-53101");
        ledger.send(new EnactAppropriation("2024-06010-53101", 100_00, "Haushaltsgesetz 2024", LocalDate.of(2024, 1, 1)),
                "tester", "axon-enact-1");
        long rowsBefore = count();

        // The first entry is applied to the aggregate before the second breaks a rule.
        RecordBatch batch = new RecordBatch(List.of(
                BatchEntry.expenditure("2024-06010-53101", 60_00, LocalDate.of(2024, 3, 1), "Material", "R-1", null),
                BatchEntry.expenditure("2024-06010-53101", 60_00, LocalDate.of(2024, 3, 2), "Material", "R-2", null)));
        assertThatThrownBy(() -> ledger.send(batch, "tester", "axon-batch-1"))
                .isInstanceOfSatisfying(LedgerRejection.class, r -> assertThat(r.rule()).isEqualTo(Rule.BATCH_REJECTED));

        assertThat(count()).isEqualTo(rowsBefore);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM request_log WHERE request_id = 'axon-batch-1'", Long.class)).isZero();
        // Had the rolled-back entry stayed in the cached line, only 40.00 would be left.
        Receipt spent = ledger.send(new RecordExpenditure("2024-06010-53101", 100_00, LocalDate.of(2024, 3, 3), "Material", "R-3", null),
                "tester", "axon-spend-1");
        assertThat(spent.availableCentsByLine()).isEqualTo(Map.of("2024-06010-53101", 0L));
    }

    @Test
    void givenEnoughEventsForASnapshot_whenTheLineIsReloadedFromTheStore_thenItsStateRoundTrips() {
        String line = "2024-06010-53102";
        open(line);
        ledger.send(new EnactAppropriation(line, 1_000_00, "Haushaltsgesetz 2024", LocalDate.of(2024, 1, 1)), "tester", "snap-enact");
        for (int i = 1; i <= 4; i++) {
            ledger.send(new RecordExpenditure(line, 10_00, LocalDate.of(2024, 2, i), "Material", "S-" + i, null), "tester", "snap-" + i);
        }
        awaitSnapshotOf(line);
        budgetLineCache.removeAll();

        Receipt r = ledger.send(new RecordExpenditure(line, 10_00, LocalDate.of(2024, 2, 9), "Material", "S-9", null), "tester", "snap-9");

        assertThat(r.availableCentsByLine()).isEqualTo(Map.of(line, 950_00L));
        assertThat(((CommittedStateSnapshotter) snapshotter).takenFromMemory()).as("snapshots from the committed state, not replayed")
                .isPositive();
        assertThatThrownBy(() -> ledger.send(new EnactAppropriation(line, 1_00, "again", LocalDate.of(2024, 1, 1)), "tester", "snap-again"))
                .isInstanceOfSatisfying(LedgerRejection.class, e -> assertThat(e.rule()).isEqualTo(Rule.APPROPRIATION_ALREADY_ENACTED));
    }

    @Test
    void givenALineOpenedOnThisNodeAndKeptInTheCache_whenItReachesTheSnapshotThreshold_thenTheSnapshotIsTakenFromMemory() {
        CommittedStateSnapshotter committed = (CommittedStateSnapshotter) snapshotter;
        String line = "2024-06010-53103";
        open(line);
        ledger.send(new EnactAppropriation(line, 1_000_00, "Haushaltsgesetz 2024", LocalDate.of(2024, 1, 1)), "tester", "live-enact");
        long fromMemoryBefore = committed.takenFromMemory();
        long replayedBefore = committed.handedToReplay();

        for (int i = 1; i <= 4; i++) {
            ledger.send(new RecordExpenditure(line, 10_00, LocalDate.of(2024, 3, i), "Material", "L-" + i, null), "tester", "live-" + i);
        }
        awaitSnapshotOf(line);

        assertThat(committed.takenFromMemory()).as("from the committed state").isGreaterThan(fromMemoryBefore);
        assertThat(committed.handedToReplay()).as("no event re-read for it").isEqualTo(replayedBefore);
    }

    private void awaitSnapshotOf(String line) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (jdbc.queryForObject("SELECT count(*) FROM snapshot_event_entry WHERE aggregate_identifier = ?", Long.class, line) == 0) {
            assertThat(System.nanoTime()).as("snapshot of " + line + " within 20 s").isLessThan(deadline);
            LockSupport.parkNanos(20_000_000L);
        }
    }

    private void open(String lineId) {
        String[] parts = lineId.split("-");
        ledger.send(new OpenLine(lineId, TitleKey.of(parts[1], parts[2]), "Test line", LineKind.EXPENDITURE, false, List.of(), null),
                "tester", "open-" + lineId);
    }

    private long count() {
        return jdbc.queryForObject("SELECT count(*) FROM domain_event_entry", Long.class);
    }
}
