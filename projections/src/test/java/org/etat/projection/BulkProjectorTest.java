package org.etat.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.etat.projection.Fixtures.*;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.etat.ledger.reallocation.ReallocatedIn;
import org.junit.jupiter.api.Test;

/**
 * The bulk path of a rebuild ({@link BulkProjector}: everything folded in memory, append-only rows
 * by COPY, keys and indexes built afterwards) gives the same digests as the live {@link Projector},
 * over randomized histories with reversals (of payments, moves and § 37 consents), carry-overs and
 * lapses, in random batch sizes on both sides. Seeded: {@code -Detat.seed=N} replays one history.
 */
class BulkProjectorTest {

    private static final int HISTORIES = 4;

    @Test
    void bulkRebuildEqualsTheLiveProjectorOnRandomHistories() throws Exception {
        long base = Long.getLong("etat.seed", new Random().nextLong());
        int runs = System.getProperty("etat.seed") != null ? 1 : HISTORIES;
        for (int run = 0; run < runs; run++) {
            long seed = base + run;
            String replay = "seed " + seed + " (replay with -Detat.seed=" + seed + ")";
            Random random = new Random(seed);
            EventLog log = MoneyTrailRandomizedTest.history(random);
            // § 37 consents in the open year, some reversed.
            for (int t = 0; t < 3; t++) {
                String line = "2025-08030-5460" + t;
                String consent = log.consent(line, 1 + random.nextInt(1_000_000), "FM-" + t, random.nextBoolean(), LocalDate.of(2025, 11, 2));
                if (random.nextBoolean()) {
                    log.reverse(consent, LocalDate.of(2025, 11, 20));
                }
            }
            DataSource db = freshDatabase();
            Projector live = new Projector(db);
            for (int i = 0; i < log.events.size();) {
                int size = 1 + random.nextInt(40);
                live.project(log.events.subList(i, Math.min(log.events.size(), i + size)));
                i += size;
            }

            // Rows kept for the end (the default), none kept, or some kept and the rest, beyond the budget, streamed.
            long keep = new long[] {BulkProjector.KEEP_BYTES, 0, 1 + random.nextInt(20_000)}[run % 3];
            bulkRebuild(db, log.events, 1 + random.nextInt(300), random, run % 2 == 0, keep);

            assertThat(Digest.of(db, ReadModelSchema.SHADOW)).as(replay).isEqualTo(Digest.of(db, ReadModelSchema.LIVE));
            assertThat(indexes(db, "projection_rebuild")).as(replay).isEqualTo(indexes(db, "projection"));
        }
    }

    @Test
    void theRuhrkonferenzRebuiltInBulkIsTheLiveModelAndTheProjectorContinuesOnIt() throws Exception {
        EventLog log = ruhrkonferenz();
        DataSource db = freshDatabase();
        projectAll(new Projector(db), log.events, 3);
        Map<String, String> live = Digest.of(db, ReadModelSchema.LIVE);

        Rebuild rebuild = bulkRebuild(db, log.events.subList(0, log.events.size() - 4), 5, new Random(1), true);
        // the rest through the regular projector on the rebuilt generation, as the final catch-up does
        rebuild.bulkProjector().project(log.events);
        rebuild.switchOver();

        assertThat(Digest.of(db, ReadModelSchema.LIVE)).isEqualTo(live);
        assertThat(new ReadModels(db).line(RK_2023).orElseThrow().executionRatePercent()).isEqualTo("28.04");
        assertThat(new Projector(db).project(log.events).projected()).isZero();
    }

    @Test
    void eventsOutOfOrderAreRefused() {
        EventLog log = ruhrkonferenz();
        DataSource db = freshDatabase();
        new Rebuild(db).prepare();
        try (BulkProjector bulk = new BulkProjector(db, ReadModelSchema.SHADOW)) {
            bulk.project(log.events.subList(0, 5));
            assertThatThrownBy(() -> bulk.project(log.events.subList(4, 6))).isInstanceOf(ProjectionException.class)
                    .hasMessageContaining("strictly increasing");
        }
    }

    @Test
    void aBatchAfterWhichTheBooksNoLongerBalanceIsRefusedByBothPaths() {
        // Given a log whose receiving leg of a move carries less than its giving leg...
        EventLog log = ruhrkonferenz();
        List<ProjectedEvent> tampered = new ArrayList<>();
        boolean done = false;
        for (ProjectedEvent e : log.events) {
            if (!done && e.payload() instanceof ReallocatedIn in) {
                done = true;
                e = new ProjectedEvent(e.globalSequence(), e.eventId(), new ReallocatedIn(in.lineId(), in.reallocationId(), in.fromLineId(),
                        in.amountCents() - 1, in.legalBasis(), in.justification(), in.effectiveDate()), e.recordedAt(), e.effectiveDate(),
                        e.principal(), e.metadata());
            }
            tampered.add(e);
        }
        assertThat(done).isTrue();
        DataSource db = freshDatabase();

        // ...both the live projector and the bulk path refuse it.
        assertThatThrownBy(() -> new Projector(db).project(tampered)).isInstanceOf(Projector.ConservationViolation.class);
        new Rebuild(db).prepare();
        try (BulkProjector bulk = new BulkProjector(db, ReadModelSchema.SHADOW)) {
            assertThatThrownBy(() -> bulk.project(tampered)).isInstanceOf(Projector.ConservationViolation.class)
                    .hasMessageContaining("in transit");
        }
    }

    /**
     * prepare, defer keys and indexes, bulk-project in batches around {@code size}, then either
     * {@code complete} (what a rebuild does: flags, keys, indexes and statistics per table on two
     * connections) or {@code finish}, {@code createIndexes} and {@code analyze} one after another.
     */
    private static Rebuild bulkRebuild(DataSource db, List<ProjectedEvent> events, int size, Random random, boolean complete) {
        return bulkRebuild(db, events, size, random, complete, BulkProjector.KEEP_BYTES);
    }

    /** {@code keep}: bytes of history and expenditure rows the bulk path keeps for the end (0: it streams them all). */
    private static Rebuild bulkRebuild(DataSource db, List<ProjectedEvent> events, int size, Random random, boolean complete, long keep) {
        Rebuild rebuild = new Rebuild(db);
        rebuild.prepare();
        List<String> deferred = rebuild.deferIndexes(true);
        assertThat(deferred).anyMatch(d -> d.contains("PRIMARY KEY")).anyMatch(d -> d.startsWith("CREATE INDEX"));
        try (BulkProjector bulk = new BulkProjector(db, rebuild.target(), keep)) {
            for (int i = 0; i < events.size();) {
                int n = 1 + random.nextInt(size);
                bulk.project(events.subList(i, Math.min(events.size(), i + n)));
                i += n;
            }
            if (complete) {
                rebuild.complete(deferred, bulk.finishLoad());
            } else {
                bulk.finish();
                rebuild.createIndexes(deferred);
                rebuild.analyze();
            }
            assertThat(bulk.projected()).isEqualTo(events.size());
        }
        return rebuild;
    }

    private static TreeSet<String> indexes(DataSource db, String schema) throws Exception {
        TreeSet<String> names = new TreeSet<>();
        try (Connection c = db.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT indexname || ' ' || regexp_replace(indexdef, ' ON \\S+', '') FROM pg_indexes"
                        + " WHERE schemaname = '" + schema + "'")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }
}
