package org.etat.app.projection;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.axonframework.common.DateTimeUtils;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.etat.app.ledger.LedgerGateway;
import org.etat.app.testsupport.EtatIntegrationTest;
import org.etat.ledger.budgetline.EnactAppropriation;
import org.etat.ledger.budgetline.LineKind;
import org.etat.ledger.budgetline.LineOpened;
import org.etat.ledger.budgetline.OpenLine;
import org.etat.ledger.budgetline.RecordExpenditure;
import org.etat.ledger.budgetline.TitleKey;
import org.etat.ledger.common.LedgerMetadata;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * An event whose transaction took its position in the log, then stayed open longer than Axon's gap
 * timeout (shortened here to {@value #GAP_TIMEOUT_MS} ms, with gap cleaning from two gaps on) while
 * later events committed and were projected, is still projected once it commits: both when the
 * processor saw the later events while the gap was young, and when it only read them after the gap
 * timeout had passed (a lagging processor).
 */
@TestPropertySource(properties = {"etat.axon.gap-timeout-ms=" + GapSafetyIntegrationTest.GAP_TIMEOUT_MS,
        "etat.axon.gap-cleaning-threshold=1", "etat.projection.segments=1", "etat.projection.batch-size=10"})
class GapSafetyIntegrationTest extends EtatIntegrationTest {

    static final int GAP_TIMEOUT_MS = 300;
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String LINE = "2024-07010-68101";

    @Autowired
    LedgerGateway ledger;
    @Autowired
    DataSource dataSource;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    @Qualifier("eventSerializer")
    Serializer serializer;
    @Autowired
    EventProcessingConfiguration processing;
    @Autowired
    org.axonframework.eventhandling.tokenstore.TokenStore tokenStore;
    @Value("${etat.axon.gap-timeout-ms}")
    int configuredGapTimeoutMs;

    @Test
    void anEventCommittedAfterTheGapTimeoutWhileLaterEventsWereProjectedIsStillProjected() throws Exception {
        assertThat(configuredGapTimeoutMs).isEqualTo(GAP_TIMEOUT_MS);
        openLine(LINE);
        try (Connection slow = dataSource.getConnection()) {
            slow.setAutoCommit(false);
            String held = insertLineOpened(slow, "2024-07010-68111");
            String heldToo = insertLineOpened(slow, "2024-07010-68121"); // two gaps: more than the cleaning threshold

            String later = spend(LINE, "gap-young-1");
            awaitProjected(later);
            awaitGapOlderThanTimeout(later);
            String afterTimeout = spend(LINE, "gap-young-2"); // the processor fetches (and cleans gaps) again
            awaitProjected(afterTimeout);

            slow.commit();
            String last = spend(LINE, "gap-young-3");
            awaitProjected(last);
            awaitProjected(held);
            awaitProjected(heldToo);
        }
    }

    @Test
    void anEventCommittedAfterTheGapTimeoutIsProjectedByAProcessorThatReadsTheLaterEventsLate() throws Exception {
        String line = "2024-07010-68102";
        openLine(line);
        EventProcessor processor = processing.eventProcessor(ProjectionConfiguration.PROCESSING_GROUP).orElseThrow();
        try (Connection slow = dataSource.getConnection()) {
            slow.setAutoCommit(false);
            processor.shutDown();
            String held;
            String later;
            try {
                held = insertLineOpened(slow, "2024-07010-68112");
                later = spend(line, "gap-late-1");
                awaitGapOlderThanTimeout(later);
            } finally {
                processor.start();
            }
            awaitProjected(later);

            slow.commit();
            String last = spend(line, "gap-late-2");
            awaitProjected(last);
            awaitProjected(held);
        }
    }

    @Test
    void gapsLeftByRolledBackTransactionsAreStillCleanedFromTheToken() throws Exception {
        String line = "2024-07010-68103";
        openLine(line);
        long first;
        try (Connection rolledBack = dataSource.getConnection()) {
            rolledBack.setAutoCommit(false);
            insertLineOpened(rolledBack, "2024-07010-68113");
            insertLineOpened(rolledBack, "2024-07010-68123");
            first = jdbc.queryForObject("SELECT last_value FROM domain_event_entry_global_index_seq", Long.class) - 1;
            rolledBack.rollback();
        }
        String later = spend(line, "gap-rollback-1");
        awaitProjected(later);
        awaitGapOlderThanTimeout(later);
        long[] round = {0};
        await(() -> {
            awaitProjected(spend(line, "gap-rollback-next-" + round[0]++)); // each fetch may clean
            org.axonframework.eventhandling.TrackingToken token = tokenStore.fetchToken(ProjectionConfiguration.PROCESSING_GROUP, 0);
            return token instanceof org.axonframework.eventhandling.GapAwareTrackingToken g
                    && !g.getGaps().contains(first) && !g.getGaps().contains(first + 1);
        }, "the rolled-back positions " + first + " and " + (first + 1) + " leave the token");
    }

    private void openLine(String line) {
        String[] p = line.split("-");
        ledger.send(new OpenLine(line, TitleKey.of(p[1], p[2]), "Zuweisungen", LineKind.EXPENDITURE, false, List.of(), null), "t", "open-" + line);
        String enacted = ledger.send(new EnactAppropriation(line, 1_000_000_00L, "HG 2024", LocalDate.of(2024, 1, 1)), "t", "enact-" + line)
                .eventIds().get(0);
        awaitProjected(enacted);
    }

    private String spend(String line, String requestId) {
        return ledger.send(new RecordExpenditure(line, 100_00L, LocalDate.of(2024, 3, 1), "Zahlung", requestId, null), "t", requestId)
                .eventIds().get(0);
    }

    /**
     * Inserts, without committing, the first event of a new line exactly as the ledger stores it
     * (same serializer, metadata and columns): the transaction holds its global index open.
     */
    private String insertLineOpened(Connection c, String lineId) throws Exception {
        String[] p = lineId.split("-");
        LineOpened event = new LineOpened(lineId, 2024, TitleKey.of(p[1], p[2]), "Zuweisungen", LineKind.EXPENDITURE, false, List.of(),
                LocalDate.of(2024, 1, 1));
        String eventId = UUID.randomUUID().toString();
        Instant now = Instant.now();
        SerializedObject<byte[]> payload = serializer.serialize(event, byte[].class);
        SerializedObject<byte[]> meta = serializer.serialize(MetaData.from(Map.of(LedgerMetadata.PRINCIPAL, "t",
                LedgerMetadata.REQUEST_ID, "held-" + lineId, LedgerMetadata.RECORDED_AT, now.toString(),
                LedgerMetadata.EFFECTIVE_DATE, "2024-01-01")), byte[].class);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO domain_event_entry (aggregate_identifier, sequence_number, type,"
                + " event_identifier, meta_data, payload, payload_revision, payload_type, time_stamp) VALUES (?, 0, 'BudgetLine', ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, lineId);
            ps.setString(2, eventId);
            ps.setBytes(3, meta.getData());
            ps.setBytes(4, payload.getData());
            ps.setString(5, payload.getType().getRevision());
            ps.setString(6, payload.getType().getName());
            ps.setString(7, DateTimeUtils.formatInstant(now));
            ps.executeUpdate();
        }
        return eventId;
    }

    /** Until the event after the held position is older than the gap timeout (three times, for clock resolution). */
    private void awaitGapOlderThanTimeout(String laterEventId) {
        Instant stored = DateTimeUtils.parseInstant(jdbc.queryForObject("SELECT time_stamp FROM domain_event_entry WHERE event_identifier = ?",
                String.class, laterEventId));
        Instant old = stored.plusMillis(3L * GAP_TIMEOUT_MS);
        await(() -> Instant.now().isAfter(old), "the gap is older than the gap timeout");
    }

    private void awaitProjected(String eventId) {
        // Its line's balance holds it: the line's last applied position has reached the event's.
        await(() -> jdbc.queryForObject("SELECT count(*) FROM domain_event_entry e JOIN projection.line_balance l ON " + RebuildService.applied("l")
                + " WHERE e.event_identifier = ?", Integer.class, eventId) == 1, "event " + eventId + " is projected");
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + DEADLINE + ": " + what);
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }
}
