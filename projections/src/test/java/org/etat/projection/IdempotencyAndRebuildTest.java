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
        assertThat(appliedEvents(db)).isZero();
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
        assertThat(appliedEvents(db)).isEqualTo(consent);
    }

    private static int appliedEvents(DataSource db) throws Exception {
        try (Connection c = db.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM projection.applied_event")) {
            rs.next();
            return rs.getInt(1);
        }
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
