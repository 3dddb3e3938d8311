package org.etat.projection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Rebuilds every read model from the log into a shadow schema, then swaps it in atomically.
 *
 * <p>{@link #prepare} creates {@code projection_rebuild} with tables shaped like the live ones
 * ({@code LIKE ... INCLUDING ALL}, index names made equal to the live ones); {@link #projector}
 * fills it; {@link #switchOver} renames the live schema away, renames the shadow to
 * {@code projection} and drops the old one, in one transaction, so a reader sees either the old
 * or the new generation. The caller feeds the shadow up to the head of the log and stops the live
 * projector before switching, so no event lands in the generation being retired.
 */
public final class Rebuild {

    private static final String RETIRED = "projection_retired";

    private final DataSource dataSource;
    private final ReadModelSchema target;

    public Rebuild(DataSource dataSource) {
        this(dataSource, ReadModelSchema.SHADOW);
    }

    /** A rebuild into {@code target} (not the live schema), e.g. a scratch schema that is only compared, never swapped in. */
    public Rebuild(DataSource dataSource, ReadModelSchema target) {
        if (target.equals(ReadModelSchema.LIVE) || target.name().equals(RETIRED)) {
            throw new IllegalArgumentException("a rebuild cannot write into " + target.name());
        }
        this.dataSource = dataSource;
        this.target = target;
    }

    public ReadModelSchema target() {
        return target;
    }

    /** Creates an empty shadow generation, dropping a leftover one. */
    public Projector prepare() {
        ReadModelSchema live = ReadModelSchema.LIVE;
        ReadModelSchema shadow = target;
        inTransaction(c -> {
            try (Statement st = c.createStatement()) {
                st.execute("DROP SCHEMA IF EXISTS " + shadow.name() + " CASCADE");
                st.execute("CREATE SCHEMA " + shadow.name());
                for (String t : ReadModelSchema.TABLES) {
                    st.execute("CREATE TABLE " + shadow.table(t) + " (LIKE " + live.table(t) + " INCLUDING ALL)");
                }
            }
            renameIndexesLikeLive(c, shadow);
        });
        return projector();
    }

    public Projector projector() {
        return new Projector(dataSource, target);
    }

    /** A projector into the target that writes the append-only tables with COPY (same rows as {@link #projector}). */
    public Projector bulkProjector() {
        return new Projector(dataSource, target, true);
    }

    /** Tables whose secondary indexes a bulk load builds afterwards: only reads use them, and they grow with every event. */
    static final List<String> DEFERRED_INDEX_TABLES = List.of("line_history", "expenditure");

    /**
     * Drops the target's secondary indexes of {@link #DEFERRED_INDEX_TABLES} (not primary keys) and
     * returns the statements that create them again, for {@link #createIndexes} once the bulk of the
     * log is in: one sort per index instead of one insert per row and index.
     */
    public List<String> deferIndexes() {
        List<String> definitions = new ArrayList<>();
        inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT i.indexname, i.indexdef FROM pg_indexes i"
                    + " WHERE i.schemaname = ? AND i.tablename = ANY(?) AND NOT EXISTS (SELECT 1 FROM pg_constraint k"
                    + " JOIN pg_namespace n ON n.oid = k.connamespace WHERE n.nspname = i.schemaname AND k.conname = i.indexname)"
                    + " ORDER BY i.indexname")) {
                ps.setString(1, target.name());
                ps.setArray(2, c.createArrayOf("text", DEFERRED_INDEX_TABLES.toArray()));
                List<String> names = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        names.add(rs.getString(1));
                        definitions.add(rs.getString(2));
                    }
                }
                try (Statement st = c.createStatement()) {
                    for (String name : names) {
                        st.execute("DROP INDEX " + target.table(name));
                    }
                }
            }
        });
        return definitions;
    }

    /** Creates indexes from {@link #deferIndexes}'s statements. */
    public void createIndexes(List<String> definitions) {
        inTransaction(c -> {
            try (Statement st = c.createStatement()) {
                for (String definition : definitions) {
                    st.execute(definition);
                }
            }
        });
    }

    /** Drops the target schema (a scratch generation that was only compared). */
    public void drop() {
        inTransaction(c -> {
            try (Statement st = c.createStatement()) {
                st.execute("DROP SCHEMA IF EXISTS " + target.name() + " CASCADE");
            }
        });
    }

    /** Projects a whole log into the shadow in batches of {@code batchSize}. */
    public void feed(Iterable<ProjectedEvent> log, int batchSize) {
        Projector p = projector();
        List<ProjectedEvent> batch = new ArrayList<>(batchSize);
        for (ProjectedEvent e : log) {
            batch.add(e);
            if (batch.size() == batchSize) {
                p.project(batch);
                batch.clear();
            }
        }
        p.project(batch);
    }

    /** Swaps the shadow generation in, in one transaction. */
    public void switchOver() {
        inTransaction(c -> {
            try (Statement st = c.createStatement()) {
                st.execute("DROP SCHEMA IF EXISTS " + RETIRED + " CASCADE");
                st.execute("ALTER SCHEMA " + ReadModelSchema.LIVE.name() + " RENAME TO " + RETIRED);
                st.execute("ALTER SCHEMA " + target.name() + " RENAME TO " + ReadModelSchema.LIVE.name());
                st.execute("DROP SCHEMA " + RETIRED + " CASCADE");
            }
        });
    }

    /** LIKE names indexes itself; give each the live index's name so later migrations can name them. */
    private static void renameIndexesLikeLive(Connection c, ReadModelSchema shadow) throws SQLException {
        String sql = "SELECT indexname, tablename, regexp_replace(indexdef, '^CREATE (UNIQUE )?INDEX \\S+ ON \\S+ ', '') AS shape"
                + " FROM pg_indexes WHERE schemaname = ?";
        Map<String, String> liveByShape = new HashMap<>();
        Map<String, String> shadowByShape = new HashMap<>();
        for (var entry : List.of(Map.entry(ReadModelSchema.LIVE.name(), liveByShape), Map.entry(shadow.name(), shadowByShape))) {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, entry.getKey());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        entry.getValue().put(rs.getString("tablename") + " " + rs.getString("shape"), rs.getString("indexname"));
                    }
                }
            }
        }
        try (Statement st = c.createStatement()) {
            for (Map.Entry<String, String> e : shadowByShape.entrySet()) {
                String liveName = liveByShape.get(e.getKey());
                if (liveName != null && !liveName.equals(e.getValue())) {
                    st.execute("ALTER INDEX " + shadow.table(e.getValue()) + " RENAME TO " + liveName);
                }
            }
        }
    }

    @FunctionalInterface
    private interface SqlWork {
        void run(Connection c) throws SQLException;
    }

    private void inTransaction(SqlWork work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                work.run(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new ProjectionException("rebuild step failed", e);
        }
    }
}
