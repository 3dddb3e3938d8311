package org.etat.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.etat.projection.Fixtures.*;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** Projecting twice changes nothing; batch boundaries do not matter; a rebuild yields the same digests. */
class IdempotencyAndRebuildTest {

    private final EventLog log = ruhrkonferenz();

    @Test
    void projectingTheLogTwiceChangesNothing() {
        DataSource db = freshDatabase();
        Projector projector = new Projector(db);
        projectAll(projector, log.events, 5);
        Map<String, String> once = Digest.of(db, ReadModelSchema.LIVE);

        Projector.BatchResult again = projector.project(log.events);

        assertThat(again.projected()).isZero();
        assertThat(again.skippedAsDuplicates()).isEqualTo(log.events.size());
        assertThat(Digest.of(db, ReadModelSchema.LIVE)).isEqualTo(once);
    }

    @Test
    void anotherEventAtAnAppliedPositionIsRefusedAndChangesNothing() {
        DataSource db = freshDatabase();
        Projector projector = new Projector(db);
        projector.project(log.events);
        Map<String, String> before = Digest.of(db, ReadModelSchema.LIVE);
        ProjectedEvent applied = log.events.get(3);
        ProjectedEvent impostor = new ProjectedEvent(applied.globalSequence(), "not-" + applied.eventId(), applied.payload(),
                applied.recordedAt(), applied.effectiveDate(), applied.principal(), applied.metadata());

        assertThatThrownBy(() -> projector.project(List.of(impostor)))
                .hasMessageContaining("global sequence " + applied.globalSequence() + " is event " + applied.eventId() + ", not not-");
        assertThat(Digest.of(db, ReadModelSchema.LIVE)).isEqualTo(before);
    }

    @Test
    void twoEventsAtOnePositionInOneBatchAreRefused() throws Exception {
        DataSource db = freshDatabase();
        ProjectedEvent first = log.events.get(0);
        ProjectedEvent second = log.events.get(1);
        ProjectedEvent clash = new ProjectedEvent(first.globalSequence(), second.eventId(), second.payload(), second.recordedAt(),
                second.effectiveDate(), second.principal(), second.metadata());

        assertThatThrownBy(() -> new Projector(db).project(List.of(first, clash))).hasMessageContaining("two events cannot hold one position");
        assertThat(appliedEvents(db, log.events)).isZero();
    }

    @Test
    void batchBoundariesAndOverlappingRedeliveryDoNotChangeTheModels() {
        DataSource whole = freshDatabase();
        new Projector(whole).project(log.events);

        DataSource single = freshDatabase();
        projectAll(new Projector(single), log.events, 1); // every leg of every move in its own batch

        DataSource overlapping = freshDatabase();
        Projector p = new Projector(overlapping);
        for (int i = 0; i < log.events.size(); i += 4) {
            p.project(log.events.subList(Math.max(0, i - 3), Math.min(log.events.size(), i + 6)));
        }

        Map<String, String> expected = Digest.of(whole, ReadModelSchema.LIVE);
        assertThat(Digest.of(single, ReadModelSchema.LIVE)).isEqualTo(expected);
        assertThat(Digest.of(overlapping, ReadModelSchema.LIVE)).isEqualTo(expected);
    }

    @Test
    void aRedeliveryRacingTheFirstDeliveryWaitsForItAndSkipsWhatItApplied() throws Exception {
        DataSource db = freshDatabase();
        Projector projector = new Projector(db);
        int k = 0;
        while (!(log.events.get(k).payload() instanceof org.etat.ledger.budgetline.ExpenditureRecorded)) {
            k++;
        }
        projector.project(log.events.subList(0, k));
        ProjectedEvent payment = log.events.get(k);
        try (Connection first = db.getConnection()) {
            first.setAutoCommit(false);
            assertThat(projector.project(first, List.of(payment)).projected()).isEqualTo(1); // applied, not committed yet
            var second = java.util.concurrent.CompletableFuture.supplyAsync(() -> projector.project(List.of(payment)));
            awaitABackendWaitingForALock(db);
            assertThat(second).as("the second delivery waits for the line the first one holds").isNotDone();
            first.commit();
            assertThat(second.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(new Projector.BatchResult(0, 1));
        }
        DataSource once = freshDatabase();
        new Projector(once).project(log.events.subList(0, k + 1));
        assertThat(Digest.of(db, ReadModelSchema.LIVE)).isEqualTo(Digest.of(once, ReadModelSchema.LIVE));
    }

    @Test
    void overlappingDeliveriesAtTheSameTimeApplyEveryEventOnce() throws Exception {
        DataSource expected = freshDatabase();
        new Projector(expected).project(log.events);
        int size = log.events.size();
        for (int round = 0; round < 10; round++) {
            DataSource db = freshDatabase();
            // Given the first events applied (as a committed token says), deliveries that each start at or before the first
            // event not applied yet, overlapping one another, as redeliveries and two nodes during a claim handover do.
            int applied = 2 + round;
            new Projector(db).project(log.events.subList(0, applied));
            List<List<ProjectedEvent>> deliveries = List.of(log.events.subList(applied, size / 2 + 3), log.events.subList(applied - 2, size),
                    log.events.subList(applied, size - 2), log.events);
            java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(deliveries.size());
            List<Thread> threads = new ArrayList<>();
            for (List<ProjectedEvent> batch : deliveries) {
                Thread thread = new Thread(() -> {
                    Projector p = new Projector(db);
                    try {
                        start.await();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    // As a processor does: a batch that failed (a key taken by the other delivery, a year that did not
                    // balance mid-way) is rolled back and delivered again.
                    for (int attempt = 0; ; attempt++) {
                        try {
                            p.project(batch);
                            return;
                        } catch (RuntimeException e) {
                            if (attempt > 20) {
                                throw e;
                            }
                        }
                    }
                });
                thread.start();
                threads.add(thread);
            }
            for (Thread t : threads) {
                t.join();
            }
            assertThat(Digest.of(db, ReadModelSchema.LIVE)).as("round %d", round).isEqualTo(Digest.of(expected, ReadModelSchema.LIVE));
            assertThat(appliedEvents(db, log.events)).isEqualTo(log.events.size());
        }
    }

    @Test
    void digestsDifferWhenAModelDiffers() {
        DataSource a = freshDatabase();
        new Projector(a).project(log.events);
        DataSource b = freshDatabase();
        new Projector(b).project(log.events.subList(0, log.events.size() - 1));
        Map<String, String> da = Digest.of(a, ReadModelSchema.LIVE);
        Map<String, String> db = Digest.of(b, ReadModelSchema.LIVE);
        assertThat(db.get("line_balance")).isNotEqualTo(da.get("line_balance"));
        assertThat(db.get("reallocation_flow")).isEqualTo(da.get("reallocation_flow"));
        assertThat(da.values()).allMatch(d -> d.matches("[0-9a-f]{64}"));
    }

    @Test
    void rebuildIntoAShadowAndSwitchOverGivesEqualDigests() throws Exception {
        DataSource db = freshDatabase();
        projectAll(new Projector(db), log.events, 9);
        Map<String, String> live = Digest.of(db, ReadModelSchema.LIVE);
        TreeSet<String> liveIndexes = indexes(db, "projection");

        Rebuild rebuild = new Rebuild(db);
        rebuild.prepare();
        rebuild.feed(log.events, 500);
        assertThat(Digest.of(db, ReadModelSchema.SHADOW)).isEqualTo(live);
        assertThat(indexes(db, "projection_rebuild")).isEqualTo(liveIndexes);

        rebuild.switchOver();

        assertThat(Digest.of(db, ReadModelSchema.LIVE)).isEqualTo(live);
        assertThat(indexes(db, "projection")).isEqualTo(liveIndexes);
        assertThat(indexes(db, "projection_rebuild")).isEmpty();
        assertThat(new ReadModels(db).line(RK_2023).orElseThrow().executionRatePercent()).isEqualTo("28.04");
        // the live projector keeps working on the swapped-in generation
        assertThat(new Projector(db).project(log.events).projected()).isZero();
    }

    @Test
    void aBatchAfterWhichTheFlowsNoLongerMatchTheBalancesIsRolledBack() throws Exception {
        DataSource db = freshDatabase();
        int consent = 0;
        while (!(log.events.get(consent).payload() instanceof org.etat.ledger.budgetline.OverPlanConsentGranted)) {
            consent++;
        }
        new Projector(db).project(log.events.subList(0, consent));
        // Given a flow table that lost the receiving leg of a move the balances already count...
        try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE projection.reallocation_flow SET in_event_id = NULL WHERE to_line_id = '" + ADMIN_2024 + "'");
        }
        List<ProjectedEvent> rest = new ArrayList<>(log.events.subList(consent, log.events.size()));

        // ...the next batch on that year fails the conservation check and writes nothing.
        assertThatThrownBy(() -> new Projector(db).project(rest)).isInstanceOf(Projector.ConservationViolation.class)
                .hasMessageContaining("fiscal year 2024").hasMessageContaining("in transit 5000000");
        assertThat(appliedEvents(db, log.events)).isEqualTo(consent);
    }

    /** Until a session of this database waits for a row lock (the second delivery, on the line the first holds). */
    private static void awaitABackendWaitingForALock(DataSource db) throws Exception {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
            while (true) {
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                        + " AND wait_event_type = 'Lock'")) {
                    rs.next();
                    if (rs.getInt(1) > 0) {
                        return;
                    }
                }
                assertThat(System.nanoTime()).as("a delivery waits for a lock within 10 s").isLessThan(deadline);
                java.util.concurrent.locks.LockSupport.parkNanos(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(10));
            }
        }
    }

    /** How many of {@code events} the read models hold: those at or below their line's last applied position. */
    static int appliedEvents(DataSource db, List<ProjectedEvent> events) throws Exception {
        Map<String, Long> last = new java.util.HashMap<>();
        try (Connection c = db.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT line_id, last_global_sequence FROM projection.line_balance")) {
            while (rs.next()) {
                last.put(rs.getString(1), rs.getLong(2));
            }
        }
        int applied = 0;
        for (ProjectedEvent e : events) {
            String line = ((org.etat.ledger.common.LineEvent) e.payload()).lineId();
            applied += e.globalSequence() <= last.getOrDefault(line, Long.MIN_VALUE) ? 1 : 0;
        }
        return applied;
    }

    private static TreeSet<String> indexes(DataSource db, String schema) throws Exception {
        TreeSet<String> names = new TreeSet<>();
        try (Connection c = db.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT indexname FROM pg_indexes WHERE schemaname = '" + schema + "'")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }
}
