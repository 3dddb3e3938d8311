package org.etat.projection;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.etat.ledger.budgetline.LineBalance;
import org.etat.ledger.budgetline.LineKind;
import org.etat.ledger.conservation.YearTotals;
import org.postgresql.PGConnection;

/**
 * Projects a whole log into an empty generation (a rebuild's bulk phase) without reading anything
 * back: the fold of every line, every reallocation and every carry-over is kept in memory for the
 * whole run and written once at the end ({@link #finish}); the append-only rows (applied events,
 * history, expenditures, consents) are streamed to PostgreSQL with COPY by a writer thread while the
 * next batch is folded.
 *
 * <p>Same rows as {@link Projector} fed the same batches: it folds with {@link Projector.Fold}, merges
 * the two legs of a move within a batch with {@link Projector#mergeSameKey} and across batches as the
 * upsert does (the first row stays, the legs' event ids are filled in), and applies reversals as the
 * UPDATEs do (flows and carry-overs in memory; expenditures and consents by one joined UPDATE at the
 * end, before their secondary indexes exist).
 *
 * <p>Expects every event once, in global order (strictly increasing positions; anything else is
 * refused), into tables that are empty when it starts. After every batch the conservation identity of
 * {@link Projector#checkConservation} is checked over the in-memory totals of the years the batch
 * touched, with the same three equations. Not thread-safe: one caller thread.
 *
 * <p>Memory: one entry per line, reallocation and carry-over, plus the ids of reversed expenditures
 * and consents; the append-only rows are not kept.
 */
public final class BulkProjector implements AutoCloseable {

    /** COPY payloads queued for the writer thread; beyond that the folding side waits. */
    private static final int WRITES_AHEAD = 16;

    static final String APPLIED = " (event_id, global_sequence)";
    static final String HISTORY = " (line_id, global_sequence, event_id, event_type, year, effective_date, recorded_at, principal, "
            + Columns.list("") + ")";
    static final String EXPENDITURE = " (event_id, global_sequence, line_id, year, project_id, amount_cents, effective_date, purpose,"
            + " document_reference)";
    static final String CONSENT = " (event_id, global_sequence, line_id, year, amount_cents, consent_reference, justification, unplanned,"
            + " effective_date)";
    static final String LINE = " (line_id, year, einzelplan, kapitel, titel, titelgruppe, funktion, purpose, kind, transferable, closed, "
            + Columns.list("") + ", available_cents, planned_cents, execution_rate_percent, soll_rate_percent, last_global_sequence)";
    static final String FLOW = " (reallocation_id, year, from_line_id, to_line_id, amount_cents, legal_basis_kind, legal_basis_reference,"
            + " justification, effective_date, out_event_id, in_event_id, out_reversed, in_reversed)";
    static final String CARRY = " (carry_over_id, from_year, from_line_id, to_line_id, amount_cents, consent_reference, justification,"
            + " effective_date, out_event_id, in_event_id, out_reversed, in_reversed)";

    private final DataSource dataSource;
    private final ReadModelSchema schema;
    private final Map<String, Projector.LineState> lines = new HashMap<>();
    private final Map<Integer, List<Projector.LineState>> linesByYear = new TreeMap<>();
    /** reallocation id -> row in {@link #FLOW} order; the same for carry-overs in {@link #CARRY} order. */
    private final Map<String, Object[]> flows = new LinkedHashMap<>();
    private final Map<String, Object[]> carries = new LinkedHashMap<>();
    /** A leg's event id -> its row, for reversals. */
    private final Map<String, Object[]> flowByLeg = new HashMap<>();
    private final Map<String, Object[]> carryByLeg = new HashMap<>();
    /** Given minus received, per year, of the moves whose legs are not both projected (the transit sums of the check). */
    private final Map<Integer, Long> flowTransit = new HashMap<>();
    private final Map<Integer, Long> carryTransit = new HashMap<>();
    /** Reversed expenditures and consents: event id -> reversal's recording instant (a later reversal wins, as a later UPDATE would). */
    private final Map<String, java.time.Instant> reversedExpenditures = new LinkedHashMap<>();
    private final Map<String, java.time.Instant> reversedConsents = new LinkedHashMap<>();
    private final java.util.Set<String> indexed = new java.util.HashSet<>();
    private final Writer writer;
    private long lastGlobalSequence = Long.MIN_VALUE;
    private long projected;

    public BulkProjector(DataSource dataSource, ReadModelSchema schema) {
        if (schema.equals(ReadModelSchema.LIVE)) {
            throw new IllegalArgumentException("a bulk projection writes only into an empty generation, not the live one");
        }
        this.dataSource = dataSource;
        this.schema = schema;
        this.writer = new Writer();
    }

    public long projected() {
        return projected;
    }

    /** Folds one batch (in global order, after every earlier one) and queues its append-only rows. */
    public void project(List<ProjectedEvent> batch) {
        if (batch.isEmpty()) {
            return;
        }
        writer.rethrow();
        Projector.Fold fold = new Projector.Fold(lines);
        StringBuilder applied = new StringBuilder(batch.size() * 52);
        for (ProjectedEvent e : batch) {
            if (e.globalSequence() <= lastGlobalSequence) {
                throw new ProjectionException("bulk projection needs strictly increasing positions: " + e.globalSequence() + " after "
                        + lastGlobalSequence, null);
            }
            lastGlobalSequence = e.globalSequence();
            fold.accept(e);
            Copy.row(applied, e.eventId(), e.globalSequence());
        }
        indexNewLines(fold);
        StringBuilder history = new StringBuilder(fold.history.size() * 160);
        for (Projector.HistoryRow r : fold.history) {
            Copy.row(history, Projector.historyCopyRow(r));
        }
        writer.copy(schema.table("applied_event") + APPLIED, applied);
        writer.copy(schema.table("line_history") + HISTORY, history);
        writer.copy(schema.table("expenditure") + EXPENDITURE, Copy.rows(fold.expenditures));
        writer.copy(schema.table("overplan_consent") + CONSENT, Copy.rows(fold.consents));
        fold.flows.sort(Comparator.comparing(r -> (String) r[0]));
        fold.carries.sort(Comparator.comparing(r -> (String) r[0]));
        Projector.mergeSameKey(fold.flows);
        Projector.mergeSameKey(fold.carries);
        for (Object[] row : fold.flows) {
            upsert(flows, flowByLeg, flowTransit, row, false);
        }
        for (Object[] row : fold.carries) {
            upsert(carries, carryByLeg, carryTransit, row, true);
        }
        for (Projector.Reversal r : fold.reversals) {
            reverse(r);
        }
        checkConservation(fold.touchedYears);
        projected += batch.size();
    }

    /** Lines seen for the first time join their year's list (the conservation sums). */
    private void indexNewLines(Projector.Fold fold) {
        for (String id : fold.touched) {
            if (indexed.add(id)) {
                Projector.LineState s = lines.get(id);
                linesByYear.computeIfAbsent(s.year, y -> new ArrayList<>()).add(s);
            }
        }
    }

    /**
     * The upsert of {@link Projector#write}: a new key is inserted; a known one keeps its row and
     * gains the legs' event ids it lacked (a carry-over also its effective date).
     */
    private static void upsert(Map<String, Object[]> rows, Map<String, Object[]> byLeg, Map<Integer, Long> transit, Object[] row,
            boolean carry) {
        int out = carry ? 8 : 9;
        int in = out + 1;
        Object[] stored = rows.get((String) row[0]);
        if (stored == null) {
            stored = new Object[row.length + 2];
            System.arraycopy(row, 0, stored, 0, row.length);
            stored[row.length] = Boolean.FALSE;
            stored[row.length + 1] = Boolean.FALSE;
            rows.put((String) row[0], stored);
        } else {
            addTransit(transit, stored, out, -1);
            if (stored[out] == null) {
                stored[out] = row[out];
            }
            if (stored[in] == null) {
                stored[in] = row[in];
            }
            if (carry && stored[7] == null) {
                stored[7] = row[7];
            }
        }
        addTransit(transit, stored, out, 1);
        if (stored[out] != null) {
            byLeg.put((String) stored[out], stored);
        }
        if (stored[in] != null) {
            byLeg.put((String) stored[in], stored);
        }
    }

    /** A row's share of its year's transit: its giving leg if projected and not reversed, minus its receiving leg likewise. */
    private static void addTransit(Map<Integer, Long> transit, Object[] row, int out, int sign) {
        int in = out + 1;
        long amount = (Long) row[4];
        long share = 0;
        if (row[out] != null && !(Boolean) row[row.length - 2]) {
            share += amount;
        }
        if (row[in] != null && !(Boolean) row[row.length - 1]) {
            share -= amount;
        }
        if (share != 0) {
            transit.merge((Integer) row[1], sign * share, Long::sum);
        }
    }

    private void reverse(Projector.Reversal r) {
        switch (r.component()) {
            case SPENT -> reversedExpenditures.put(r.reversedEventId(), r.recordedAt());
            case CONSENTED -> reversedConsents.put(r.reversedEventId(), r.recordedAt());
            case REALLOCATED_OUT -> flag(flowByLeg, flowTransit, r.reversedEventId(), 9, true);
            case REALLOCATED_IN -> flag(flowByLeg, flowTransit, r.reversedEventId(), 9, false);
            case CARRIED_OUT -> flag(carryByLeg, carryTransit, r.reversedEventId(), 8, true);
            case CARRIED_IN -> flag(carryByLeg, carryTransit, r.reversedEventId(), 8, false);
            default -> {
                // appropriations, blocks, revenue: the history and balance carry them
            }
        }
    }

    /** {@code UPDATE ... SET out_reversed = TRUE WHERE out_event_id = ?} (or the receiving leg's). */
    private static void flag(Map<String, Object[]> byLeg, Map<Integer, Long> transit, String eventId, int out, boolean givingLeg) {
        Object[] row = byLeg.get(eventId);
        if (row == null || !eventId.equals(row[givingLeg ? out : out + 1])) {
            return; // the UPDATE would match no row
        }
        addTransit(transit, row, out, -1);
        row[givingLeg ? row.length - 2 : row.length - 1] = Boolean.TRUE;
        addTransit(transit, row, out, 1);
    }

    /** {@link Projector#checkConservation}'s three equations over the in-memory totals. */
    private void checkConservation(java.util.Set<Integer> years) {
        for (int year : years) {
            LineBalance b = sum(year);
            long available = 0;
            for (Projector.LineState s : linesByYear.getOrDefault(year, List.of())) {
                if (LineKind.EXPENDITURE.name().equals(s.kind)) {
                    available = Math.addExact(available, s.balance.availableCents());
                }
            }
            YearTotals t = new YearTotals(year, b.appropriatedCents(), b.amendedCents(), b.consentedCents(), b.carriedInCents(),
                    b.reallocatedInCents(), b.reallocatedOutCents(), b.spentCents(), b.carriedOutCents(), b.lapsedCents(),
                    b.blockedCents(), available);
            long nextCarriedIn = sum(year + 1).carriedInCents();
            long inTransit = flowTransit.getOrDefault(year, 0L);
            long carryInTransit = carryTransit.getOrDefault(year, 0L);
            long moving = t.reallocatedOutCents() - t.reallocatedInCents();
            if (t.sourcesCents() - t.usesCents() != moving) {
                throw new Projector.ConservationViolation(year, "sources " + t.sourcesCents() + " - uses " + t.usesCents()
                        + " != reallocated out " + t.reallocatedOutCents() + " - in " + t.reallocatedInCents() + " cents");
            }
            if (moving != inTransit) {
                throw new Projector.ConservationViolation(year, "reallocated out " + t.reallocatedOutCents() + " - in "
                        + t.reallocatedInCents() + " != in transit " + inTransit + " cents");
            }
            if (t.carriedOutCents() - nextCarriedIn != carryInTransit) {
                throw new Projector.ConservationViolation(year, "carried out " + t.carriedOutCents() + " - carried into " + (year + 1) + " "
                        + nextCarriedIn + " != in transit " + carryInTransit + " cents");
            }
        }
    }

    /** Component sums over the expenditure lines of a year. */
    private LineBalance sum(int year) {
        long[] v = new long[org.etat.ledger.budgetline.Component.values().length];
        for (Projector.LineState s : linesByYear.getOrDefault(year, List.of())) {
            if (LineKind.EXPENDITURE.name().equals(s.kind)) {
                for (org.etat.ledger.budgetline.Component c : org.etat.ledger.budgetline.Component.values()) {
                    v[c.ordinal()] = Math.addExact(v[c.ordinal()], s.balance.component(c));
                }
            }
        }
        return new LineBalance(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10]);
    }

    /**
     * Writes what was kept in memory (lines, flows, carry-overs), flags reversed expenditures and
     * consents, and waits until every row is in. The target's tables are then what {@link Projector}
     * would have written; its deferred indexes may be built.
     */
    public void finish() {
        List<Object[]> lineRows = new ArrayList<>(lines.size());
        lines.values().stream().sorted(Comparator.comparing(s -> s.lineId)).forEach(s -> lineRows.add(Projector.lineCopyRow(s)));
        writer.copy(schema.table("line_balance") + LINE, Copy.rows(lineRows));
        writer.copy(schema.table("reallocation_flow") + FLOW, Copy.rows(new ArrayList<>(flows.values())));
        writer.copy(schema.table("carry_over") + CARRY, Copy.rows(new ArrayList<>(carries.values())));
        writer.reversals("expenditure", reversedExpenditures);
        writer.reversals("overplan_consent", reversedConsents);
        writer.finish();
    }

    @Override
    public void close() {
        writer.close();
    }

    /** One thread and one connection (auto-commit: each COPY is its own transaction) writing what the folding side queues. */
    private final class Writer {
        private static final Runnable END = () -> {
        };

        private final BlockingQueue<Runnable> queue = new ArrayBlockingQueue<>(WRITES_AHEAD);
        private final Thread thread;
        private volatile Throwable failure;
        private Connection connection;

        Writer() {
            thread = new Thread(this::run, "etat-bulk-writer");
            thread.setDaemon(true);
            thread.start();
        }

        private void run() {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(true);
                connection = c;
                for (Runnable work = queue.take(); work != END; work = queue.take()) {
                    if (failure == null) {
                        work.run();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = failure == null ? e : failure;
            } catch (Throwable t) {
                failure = failure == null ? t : failure;
            }
        }

        void copy(String tableAndColumns, CharSequence csv) {
            if (csv.length() == 0) {
                return;
            }
            submit(() -> {
                try {
                    connection.unwrap(PGConnection.class).getCopyAPI()
                            .copyIn("COPY " + tableAndColumns + " FROM STDIN (FORMAT csv)", new StringReader(csv.toString()));
                } catch (SQLException | IOException e) {
                    failure = new ProjectionException("COPY into " + tableAndColumns + " failed", e);
                }
            });
        }

        /** Marks reversed rows with one joined UPDATE (the reversal's instant as reversed_at). */
        void reversals(String table, Map<String, java.time.Instant> reversed) {
            if (reversed.isEmpty()) {
                return;
            }
            List<Object[]> rows = new ArrayList<>(reversed.size());
            reversed.forEach((id, at) -> rows.add(new Object[] {id, at}));
            CharSequence csv = Copy.rows(rows);
            submit(() -> {
                try (Statement st = connection.createStatement()) {
                    connection.setAutoCommit(false);
                    st.execute("CREATE TEMPORARY TABLE bulk_reversed (event_id TEXT PRIMARY KEY, reversed_at TIMESTAMPTZ NOT NULL) ON COMMIT DROP");
                    connection.unwrap(PGConnection.class).getCopyAPI()
                            .copyIn("COPY bulk_reversed (event_id, reversed_at) FROM STDIN (FORMAT csv)", new StringReader(csv.toString()));
                    st.executeUpdate("UPDATE " + schema.table(table) + " t SET reversed = TRUE, reversed_at = r.reversed_at"
                            + " FROM bulk_reversed r WHERE t.event_id = r.event_id");
                    connection.commit();
                    connection.setAutoCommit(true);
                } catch (SQLException | IOException e) {
                    failure = new ProjectionException("marking reversed rows of " + table + " failed", e);
                }
            });
        }

        private void submit(Runnable work) {
            rethrow();
            try {
                while (!queue.offer(work, 100, TimeUnit.MILLISECONDS)) {
                    rethrow();
                    if (!thread.isAlive()) {
                        throw new ProjectionException("the bulk writer stopped", null);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ProjectionException("interrupted", e);
            }
        }

        void rethrow() {
            Throwable t = failure;
            if (t instanceof RuntimeException r) {
                throw r;
            }
            if (t != null) {
                throw new ProjectionException("bulk writer failed", t);
            }
        }

        void finish() {
            submit(END);
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ProjectionException("interrupted", e);
            }
            rethrow();
        }

        void close() {
            if (thread.isAlive()) {
                failure = failure == null ? new ProjectionException("closed before finish", null) : failure;
                queue.clear();
                queue.offer(END);
            }
        }
    }
}
