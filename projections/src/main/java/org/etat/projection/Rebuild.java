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
                    // No autovacuum while it is loaded (it would scan half-loaded tables); analyze() and switchOver() turn it back on.
                    st.execute("CREATE TABLE " + shadow.table(t) + " (LIKE " + live.table(t) + " INCLUDING ALL) WITH (autovacuum_enabled = false)");
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
        return deferIndexes(false);
    }

    /**
     * {@link #deferIndexes()}; with {@code keys}, every index and primary key of every table: for a
     * load that writes each row once ({@link BulkProjector}), never looks a row up and is checked by
     * the keys when they are added back ({@link #complete}).
     */
    public List<String> deferIndexes(boolean keys) {
        List<String> definitions = new ArrayList<>();
        if (keys) {
            inTransaction(c -> {
                List<String[]> found = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT t.relname, k.conname, pg_get_constraintdef(k.oid) FROM pg_constraint k"
                        + " JOIN pg_class t ON t.oid = k.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace"
                        + " WHERE n.nspname = ? AND k.contype = 'p' AND t.relname = ANY(?) ORDER BY t.relname")) {
                    ps.setString(1, target.name());
                    ps.setArray(2, c.createArrayOf("text", ReadModelSchema.TABLES.toArray()));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            found.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
                        }
                    }
                }
                try (Statement st = c.createStatement()) {
                    for (String[] k : found) {
                        st.execute("ALTER TABLE " + target.table(k[0]) + " DROP CONSTRAINT " + k[1]);
                        definitions.add("ALTER TABLE " + target.table(k[0]) + " ADD CONSTRAINT " + k[1] + " " + k[2]);
                    }
                }
            });
        }
        inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT i.indexname, i.indexdef FROM pg_indexes i"
                    + " WHERE i.schemaname = ? AND i.tablename = ANY(?) AND NOT EXISTS (SELECT 1 FROM pg_constraint k"
                    + " JOIN pg_namespace n ON n.oid = k.connamespace WHERE n.nspname = i.schemaname AND k.conname = i.indexname)"
                    + " ORDER BY i.indexname")) {
                ps.setString(1, target.name());
                ps.setArray(2, c.createArrayOf("text", (keys ? ReadModelSchema.TABLES : DEFERRED_INDEX_TABLES).toArray()));
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

    /** How many bytes already in a table weigh as one byte a job still loads into it (measured at 1M events, bench/README.md). */
    static final long LOADED_BYTES_WEIGHT = 4;

    /** Connections building indexes side by side (each one sort; PostgreSQL runs them in parallel backends). */
    static final int INDEX_BUILDERS = 2;
    /** Sort memory per index build, so a million-row sort stays in memory. */
    static final String INDEX_SORT_MEMORY = "256MB";

    /**
     * Creates indexes from {@link #deferIndexes}'s statements, {@value #INDEX_BUILDERS} at a time,
     * each in its own transaction. Keys first: a key added back also checks the load.
     */
    public void createIndexes(List<String> definitions) {
        List<String> keysFirst = new ArrayList<>(definitions);
        keysFirst.sort(java.util.Comparator.comparing(d -> d.startsWith("ALTER TABLE") ? 0 : 1));
        java.util.concurrent.ConcurrentLinkedQueue<List<Step>> todo = new java.util.concurrent.ConcurrentLinkedQueue<>();
        for (String d : keysFirst) {
            todo.add(List.of(c -> {
                try (Statement st = c.createStatement()) {
                    st.execute(d);
                }
            }));
        }
        runOnBuilders(todo);
    }

    /** One step of work on a table of the target, inside the transaction of its table's job (see {@link #complete}). */
    @FunctionalInterface
    public interface Step {
        void run(Connection c) throws SQLException;

        /** About how many bytes the step loads into its table (0: none), so {@link #complete} starts the largest jobs first. */
        default long loadBytes() {
            return 0;
        }

        /** {@code step}, announcing that it loads about {@code bytes}. */
        static Step load(long bytes, Step step) {
            return new Step() {
                @Override
                public void run(Connection c) throws SQLException {
                    step.run(c);
                }

                @Override
                public long loadBytes() {
                    return bytes;
                }
            };
        }
    }

    /**
     * Completes a bulk-loaded target: per table, first its {@code before} steps (loading it, or
     * flagging reversed rows, before any index exists to maintain), then its keys and indexes from
     * {@link #deferIndexes}'s statements, then {@code ANALYZE} of the columns queries use
     * ({@link #STATISTICS_COLUMNS}), in one transaction per table. {@value #INDEX_BUILDERS}
     * connections take whole tables, the largest first (by size, plus what its steps load), so the
     * two backends stay busy together and never wait for each other's locks.
     */
    public void complete(List<String> definitions, Map<String, List<Step>> before) {
        Map<String, List<Step>> jobs = new java.util.LinkedHashMap<>();
        for (String t : ReadModelSchema.TABLES) {
            jobs.put(t, new ArrayList<>(before.getOrDefault(t, List.of())));
        }
        List<String> keysFirst = new ArrayList<>(definitions);
        keysFirst.sort(java.util.Comparator.comparing(d -> d.startsWith("ALTER TABLE") ? 0 : 1));
        for (String d : keysFirst) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(?:ALTER TABLE|CREATE (?:UNIQUE )?INDEX \\S+ ON) (?:ONLY )?"
                    + java.util.regex.Pattern.quote(target.name()) + "\\.(\\w+) ").matcher(d);
            if (!m.find() || !jobs.containsKey(m.group(1))) {
                throw new IllegalArgumentException("not a key or index of a table of " + target.name() + ": " + d);
            }
            jobs.get(m.group(1)).add(c -> {
                try (Statement st = c.createStatement()) {
                    st.execute(d);
                }
            });
        }
        for (Map.Entry<String, List<Step>> job : jobs.entrySet()) {
            String table = target.table(job.getKey());
            job.getValue().add(c -> {
                try (Statement st = c.createStatement()) {
                    st.execute(analyze(table, job.getKey()));
                    st.execute("ALTER TABLE " + table + " RESET (autovacuum_enabled)");
                }
            });
        }
        // Largest first (longest job first keeps two builders evenly loaded).
        Map<String, Long> bytes = new HashMap<>();
        inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_relation_size(?::regclass)")) {
                for (String t : ReadModelSchema.TABLES) {
                    ps.setString(1, target.table(t));
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        bytes.put(t, rs.getLong(1));
                    }
                }
            }
        });
        // A table already loaded only gets its keys and indexes (about a quarter of the work of loading
        // the same bytes and then indexing them): weigh the two so the longest job starts first.
        bytes.replaceAll((t, b) -> b / LOADED_BYTES_WEIGHT);
        for (Map.Entry<String, List<Step>> b : before.entrySet()) {
            for (Step step : b.getValue()) {
                bytes.merge(b.getKey(), step.loadBytes(), Long::sum);
            }
        }
        List<String> order = new ArrayList<>(jobs.keySet());
        order.sort(java.util.Comparator.comparing((String t) -> bytes.get(t)).reversed());
        java.util.concurrent.ConcurrentLinkedQueue<List<Step>> todo = new java.util.concurrent.ConcurrentLinkedQueue<>();
        for (String t : order) {
            todo.add(jobs.get(t));
        }
        runOnBuilders(todo);
    }

    /** Each job (a list of steps) in one transaction, on {@value #INDEX_BUILDERS} connections side by side. */
    private void runOnBuilders(java.util.concurrent.ConcurrentLinkedQueue<List<Step>> todo) {
        List<java.util.concurrent.CompletableFuture<Void>> builders = new ArrayList<>();
        for (int i = 0; i < Math.min(INDEX_BUILDERS, todo.size()); i++) {
            builders.add(java.util.concurrent.CompletableFuture.runAsync(() -> {
                for (List<Step> job = todo.poll(); job != null; job = todo.poll()) {
                    List<Step> steps = job;
                    inTransaction(c -> {
                        try (Statement st = c.createStatement()) {
                            st.execute("SET LOCAL maintenance_work_mem = '" + INDEX_SORT_MEMORY + "'");
                            // The builders are the parallelism: with them side by side, PostgreSQL's own workers for one
                            // index only add a merge of their sorts and compete for the same cores (measured: about
                            // 0.6 s more CPU over a million-event rebuild's indexes, bench/README.md, projections).
                            st.execute("SET LOCAL max_parallel_maintenance_workers = 0");
                        }
                        for (Step step : steps) {
                            step.run(c);
                        }
                    });
                }
            }, r -> {
                Thread t = new Thread(r, "etat-index-builder");
                t.setDaemon(true);
                t.start();
            }));
        }
        try {
            java.util.concurrent.CompletableFuture.allOf(builders.toArray(java.util.concurrent.CompletableFuture[]::new)).join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new ProjectionException("building indexes failed", e.getCause());
        }
    }

    /**
     * Planner statistics for the target's tables (a freshly loaded table has none), and autovacuum
     * back on for them. No VACUUM: a bulk load ({@link BulkProjector}) writes its rows frozen and
     * marked all-visible, so there is nothing for it to do.
     */
    public void analyze() {
        inTransaction(c -> {
            try (Statement st = c.createStatement()) {
                for (String t : ReadModelSchema.TABLES) {
                    st.execute(analyze(target.table(t), t));
                    st.execute("ALTER TABLE " + target.table(t) + " RESET (autovacuum_enabled)");
                }
            }
        });
    }

    /**
     * Per table, the columns queries filter, join or group on ({@link ReadModels}, {@link AnnualAccount},
     * {@link MoneyTrail}, {@link Projector}'s lookups, the rebuild's joins with the log): the only
     * statistics a plan over them uses. A loaded generation gets statistics of these alone (of a
     * million history rows, the eleven amount columns cost most of an ANALYZE); autovacuum's
     * ANALYZE later covers every column.
     */
    static final Map<String, List<String>> STATISTICS_COLUMNS = Map.of(
            "line_balance", List.of("line_id", "year", "kind", "einzelplan", "kapitel", "titelgruppe", "funktion"),
            "line_history", List.of("line_id", "global_sequence", "year", "effective_date", "recorded_at"),
            "reallocation_flow", List.of("reallocation_id", "year", "from_line_id", "to_line_id", "out_event_id", "in_event_id", "out_reversed",
                    "in_reversed"),
            "carry_over", List.of("carry_over_id", "from_year", "from_line_id", "to_line_id", "out_event_id", "in_event_id", "out_reversed",
                    "in_reversed"),
            "expenditure", List.of("event_id", "line_id", "global_sequence", "year", "effective_date", "recorded_at", "project_id", "reversed"),
            "overplan_consent", List.of("event_id", "global_sequence", "line_id", "year"));

    private static String analyze(String qualifiedTable, String table) {
        List<String> columns = STATISTICS_COLUMNS.get(table);
        return "ANALYZE " + qualifiedTable + (columns == null ? "" : " (" + String.join(", ", columns) + ")");
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
                for (String t : ReadModelSchema.TABLES) {
                    st.execute("ALTER TABLE " + target.table(t) + " RESET (autovacuum_enabled)");
                }
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
