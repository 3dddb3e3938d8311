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
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.etat.ledger.budgetline.Component;
import org.etat.ledger.budgetline.LineBalance;
import org.etat.ledger.budgetline.LineKind;
import org.etat.ledger.conservation.YearTotals;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Projects a whole log into an empty generation (a rebuild's bulk phase) without reading anything
 * back: the fold of every line, every reallocation and every carry-over is kept in memory for the
 * whole run and written once at the end ({@link #finish}); the append-only rows (history,
 * expenditures, consents) are encoded for a binary COPY by a writer thread while the next batch is
 * folded, and streamed to PostgreSQL, except the history and the expenditures, which are kept
 * encoded up to a memory budget and written at the end in key order (see {@link #KEEP_BYTES}). The
 * writer loads everything in one transaction that starts by emptying the target's tables, so the
 * rows go in frozen (see {@link Writer}).
 *
 * <p>Same rows as {@link Projector} fed the same batches: it folds with {@link Projector.Fold}, merges
 * the two legs of a move within a batch with {@link Projector#mergeSameKey} and across batches as the
 * upsert does (the first row stays, the legs' event ids are filled in), and applies reversals as the
 * UPDATEs do (flows and carry-overs in memory; expenditures and consents by one joined UPDATE at the
 * end, before their secondary indexes exist).
 *
 * <p>Expects every event once, in global order (strictly increasing positions; anything else is
 * refused), into tables whose deferred keys and indexes are dropped before it is created (its
 * transaction locks them until {@link #finish}). After every batch the conservation identity of
 * {@link Projector#checkConservation} is checked over the in-memory totals of the years the batch
 * touched, with the same three equations. Not thread-safe: one caller thread.
 *
 * <p>Memory: one entry per line, reallocation and carry-over, plus the ids of reversed expenditures
 * and consents; of the append-only rows the history and the expenditures, encoded, up to
 * {@link #KEEP_BYTES} together (the history is given up first).
 *
 * <p>{@link #finishLoad} commits the streamed rows and hands each remaining table's load (lines,
 * moves, carry-overs, the kept history in key order, the kept expenditures with their flags) to the
 * transaction that then builds
 * its keys ({@link Rebuild#complete}), so those tables load side by side, frozen, without a
 * rewrite of rows just loaded.
 */
public final class BulkProjector implements AutoCloseable {

    /** COPY payloads queued for the writer thread; beyond that the folding side waits. */
    private static final int WRITES_AHEAD = 4;

    static final String HISTORY = " (line_id, global_sequence, event_id, event_type, year, effective_date, recorded_at, principal, "
            + Columns.list("") + ")";
    static final String EXPENDITURE = Projector.EXPENDITURE_COLUMNS;
    static final String EXPENDITURE_FLAGGED = EXPENDITURE.substring(0, EXPENDITURE.length() - 1) + ", reversed, reversed_at)";
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
    /**
     * Per year, the sums over its expenditure lines: every component (by ordinal), then the
     * available amount. Kept up to date from the lines each batch touched (each line remembers what
     * it added, {@link Projector.LineState#counted}), so the check after a batch does not sum every line.
     */
    private final Map<Integer, long[]> yearTotals = new HashMap<>();
    private static final int AVAILABLE = Component.values().length;
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
    private final Writer writer;
    private long lastGlobalSequence = Long.MIN_VALUE;
    private long projected;

    /**
     * Expenditure rows kept in memory (see {@link KeptRows}) up to this many bytes, to be written at
     * the end with their reversal flags: no UPDATE of rows just loaded (a new version of every
     * reversed row, and a table no longer all frozen). Beyond it, what was kept is written and the
     * rest streamed like the other append-only rows, and the reversed ones flagged by an UPDATE.
     */
    static final long KEEP_BYTES = Math.min(1L << 30, Runtime.getRuntime().maxMemory() / 8);
    private final long keepBytes;
    // The writer thread's until finishLoad (after it joined that thread).
    private final KeptRows keptExpenditures = new KeptRows();
    /** Each line's kept expenditures with their event ids, written at the end in key order (line, then position) like the history. */
    private final ByLine keptExpendituresByLine = new ByLine();
    private final BinaryRows scratch = new BinaryRows(512, false);
    private boolean keeping = true;
    /**
     * History rows kept the same way, with each line's addresses in log order, to be written at the
     * end in key order (line, then position): the key is then built from rows already sorted (a sort
     * of a million text keys was the longest step of the index phase). They share {@link #keepBytes}
     * with the expenditures and are given up first: beyond it, what was kept is written and the rest
     * streamed as before.
     */
    private final KeptRows keptHistory = new KeptRows();
    private final ByLine keptHistoryByLine = new ByLine();
    private boolean keepingHistory = true;

    public BulkProjector(DataSource dataSource, ReadModelSchema schema) {
        this(dataSource, schema, KEEP_BYTES);
    }

    /** @param keepBytes see {@link #KEEP_BYTES}; 0 streams every expenditure */
    BulkProjector(DataSource dataSource, ReadModelSchema schema, long keepBytes) {
        if (schema.equals(ReadModelSchema.LIVE)) {
            throw new IllegalArgumentException("a bulk projection writes only into an empty generation, not the live one");
        }
        this.dataSource = dataSource;
        this.schema = schema;
        this.keepBytes = keepBytes;
        this.keeping = keepBytes > 0;
        this.keepingHistory = keepBytes > 0;
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
        for (ProjectedEvent e : batch) {
            if (e.globalSequence() <= lastGlobalSequence) {
                throw new ProjectionException("bulk projection needs strictly increasing positions: " + e.globalSequence() + " after "
                        + lastGlobalSequence, null);
            }
            lastGlobalSequence = e.globalSequence();
            fold.accept(e);
        }
        recount(fold);
        // The writer thread encodes the rows (binary COPY) while this one folds the next batch.
        List<Projector.HistoryRow> history = fold.history;
        List<Object[]> expenditures = fold.expenditures;
        List<Projector.LineState> expenditureLines = fold.expenditureLines;
        if (!history.isEmpty() || !expenditures.isEmpty()) {
            writer.submit(() -> keepOrCopy(history, expenditures, expenditureLines));
        }
        writeRows(schema.table("overplan_consent") + CONSENT, fold.consents);
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

    private void writeRows(String tableAndColumns, List<Object[]> rows) {
        if (!rows.isEmpty()) {
            writer.copy(tableAndColumns, rows.size() * 160, out -> {
                for (Object[] row : rows) {
                    out.row(row);
                }
            });
        }
    }

    private static void history(BinaryRows out, Projector.HistoryRow r) {
        out.tuple(8 + r.deltas().length).text(r.lineId()).int8(r.event().globalSequence()).text(r.event().eventId()).text(r.type())
                .int4(r.year()).date(r.effectiveDate()).timestamptz(r.event().recordedAt()).text(r.event().principal());
        for (long d : r.deltas()) {
            out.int8(d);
        }
    }

    /** On the writer thread: copies a batch's history; keeps its expenditure rows, or, once beyond {@link #keepBytes}, copies them. */
    private void keepOrCopy(List<Projector.HistoryRow> history, List<Object[]> expenditures, List<Projector.LineState> expenditureLines) {
        if (keepingHistory && keptHistory.bytes() + keptExpenditures.bytes() > keepBytes) {
            keepingHistory = false;
            try {
                writeKeptHistory(writer.connection, true);
            } catch (SQLException e) {
                throw new ProjectionException("COPY of the kept history failed", e);
            }
        }
        if (keepingHistory) {
            for (Projector.HistoryRow r : history) {
                scratch.clear();
                history(scratch, r);
                keptHistoryByLine.of(r.line(), false).add(keptHistory.add(scratch.array(), 0, scratch.length()), null);
            }
        } else if (!history.isEmpty()) {
            writer.copyNow(schema.table("line_history") + HISTORY, history.size() * 300, out -> {
                for (Projector.HistoryRow r : history) {
                    history(out, r);
                }
            });
        }
        if (keeping && keptExpenditures.bytes() > keepBytes) {
            keeping = false;
            try {
                writeKeptExpenditures(writer.connection, true, Map.of());
            } catch (SQLException e) {
                throw new ProjectionException("COPY of the kept expenditures failed", e);
            }
        }
        if (!keeping) {
            if (!expenditures.isEmpty()) {
                writer.copyNow(schema.table("expenditure") + EXPENDITURE, expenditures.size() * 160, out -> {
                    for (Object[] row : expenditures) {
                        out.row(row);
                    }
                });
            }
            return;
        }
        for (int i = 0; i < expenditures.size(); i++) {
            Object[] row = expenditures.get(i);
            // Two fields more than kept: the reversal flags, added when written.
            scratch.clear();
            scratch.tuple(row.length + 2);
            for (Object v : row) {
                scratch.value(v);
            }
            keptExpendituresByLine.of(expenditureLines.get(i), true).add(keptExpenditures.add(scratch.array(), 0, scratch.length()), (String) row[0]);
        }
    }

    /** The kept history rows into the target's table, by line id (as "C" compares them: ASCII ids) and within a line in log order; the memory is freed. */
    private void writeKeptHistory(Connection c, boolean freeze) throws SQLException {
        if (keptHistory.count() > 0) {
            try (KeptRows.Out out = new KeptRows.Out(c, "COPY " + schema.table("line_history") + HISTORY + " FROM STDIN (FORMAT binary"
                    + (freeze ? ", FREEZE)" : ")"))) {
                for (Addresses a : keptHistoryByLine.inKeyOrder()) {
                    for (int i = 0; i < a.count; i++) {
                        out.tuple(keptHistory, a.addresses[i]);
                    }
                }
                out.end();
            }
        }
        keptHistory.clear();
        keptHistoryByLine.clear();
    }

    /** A line's kept rows, in the order they were kept (log order), with their event ids if asked to. */
    private static final class Addresses {
        long[] addresses = new long[16];
        /** Null unless asked for. */
        String[] ids;
        int count;

        Addresses(boolean withIds) {
            ids = withIds ? new String[16] : null;
        }

        void add(long address, String eventId) {
            if (count == addresses.length) {
                addresses = java.util.Arrays.copyOf(addresses, 2 * count);
                if (ids != null) {
                    ids = java.util.Arrays.copyOf(ids, 2 * count);
                }
            }
            if (ids != null) {
                ids[count] = eventId;
            }
            addresses[count++] = address;
        }
    }

    /** Each line's kept rows, by the line's ordinal (no lookup by id per row). */
    private static final class ByLine {
        private Projector.LineState[] lines = new Projector.LineState[1024];
        private Addresses[] rows = new Addresses[1024];

        Addresses of(Projector.LineState line, boolean withIds) {
            if (line.ordinal >= rows.length) {
                int size = Math.max(line.ordinal + 1, 2 * rows.length);
                lines = java.util.Arrays.copyOf(lines, size);
                rows = java.util.Arrays.copyOf(rows, size);
            }
            Addresses a = rows[line.ordinal];
            if (a == null) {
                a = new Addresses(withIds);
                rows[line.ordinal] = a;
                lines[line.ordinal] = line;
            }
            return a;
        }

        /** The lines' rows by line id as "C" compares them (the ids are ASCII): the order of the tables' keys. */
        List<Addresses> inKeyOrder() {
            List<Projector.LineState> present = new ArrayList<>();
            for (Projector.LineState l : lines) {
                if (l != null) {
                    present.add(l);
                }
            }
            present.sort(Comparator.comparing(l -> l.lineId));
            List<Addresses> result = new ArrayList<>(present.size());
            for (Projector.LineState l : present) {
                result.add(rows[l.ordinal]);
            }
            return result;
        }

        void clear() {
            java.util.Arrays.fill(lines, null);
            java.util.Arrays.fill(rows, null);
        }
    }

    /**
     * The kept expenditures with their reversal flags ({@code reversed}: event id -> reversal's
     * instant) into the target's table in key order (line, then position), so the key is built
     * from sorted rows; the memory is freed.
     */
    private void writeKeptExpenditures(Connection c, boolean freeze, Map<String, java.time.Instant> reversed) throws SQLException {
        if (keptExpenditures.count() > 0) {
            try (KeptRows.Out out = new KeptRows.Out(c, "COPY " + schema.table("expenditure") + EXPENDITURE_FLAGGED + " FROM STDIN (FORMAT binary"
                    + (freeze ? ", FREEZE)" : ")"))) {
                for (Addresses a : keptExpendituresByLine.inKeyOrder()) {
                    for (int i = 0; i < a.count; i++) {
                        out.tuple(keptExpenditures, a.addresses[i]);
                        java.time.Instant at = reversed.get(a.ids[i]);
                        BinaryRows flags = out.extra();
                        if (at == null) {
                            flags.bool(false).nul();
                        } else {
                            flags.bool(true).timestamptz(at);
                        }
                        out.putExtra();
                    }
                }
                out.end();
            }
        }
        keptExpenditures.clear();
        keptExpendituresByLine.clear();
    }

    /** Moves what each touched line adds to its year's totals from its previous balance to its current one. */
    private void recount(Projector.Fold fold) {
        for (Projector.LineState s : fold.touched) {
            boolean counts = LineKind.EXPENDITURE.name().equals(s.kind);
            if (s.counted == null && !counts) {
                continue;
            }
            long[] t = s.yearTotals != null ? s.yearTotals : (s.yearTotals = yearTotals.computeIfAbsent(s.year, y -> new long[AVAILABLE + 1]));
            LineBalance before = s.counted == null ? LineBalance.ZERO : s.counted;
            LineBalance after = counts ? s.balance : LineBalance.ZERO;
            for (Component c : COMPONENTS) {
                t[c.ordinal()] = Math.addExact(t[c.ordinal()], Math.subtractExact(after.component(c), before.component(c)));
            }
            t[AVAILABLE] = Math.addExact(t[AVAILABLE], Math.subtractExact(after.availableCents(), before.availableCents()));
            s.counted = counts ? s.balance : null;
        }
    }

    private static final Component[] COMPONENTS = Component.values();

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
        long[] none = new long[AVAILABLE + 1];
        for (int year : years) {
            long[] b = yearTotals.getOrDefault(year, none);
            YearTotals t = new YearTotals(year, b[Component.APPROPRIATED.ordinal()], b[Component.AMENDED.ordinal()],
                    b[Component.CONSENTED.ordinal()], b[Component.CARRIED_IN.ordinal()], b[Component.REALLOCATED_IN.ordinal()],
                    b[Component.REALLOCATED_OUT.ordinal()], b[Component.SPENT.ordinal()], b[Component.CARRIED_OUT.ordinal()],
                    b[Component.LAPSED.ordinal()], b[Component.BLOCKED.ordinal()], b[AVAILABLE]);
            long nextCarriedIn = yearTotals.getOrDefault(year + 1, none)[Component.CARRIED_IN.ordinal()];
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

    /**
     * Commits the streamed rows, then writes what was kept in memory (lines, flows, carry-overs,
     * expenditures) and flags reversed rows, in one more transaction. The target's tables are then
     * what {@link Projector} would have written; its deferred indexes may be built.
     */
    public void finish() {
        Map<String, List<Rebuild.Step>> flags = finishLoad();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            for (List<Rebuild.Step> steps : flags.values()) {
                for (Rebuild.Step step : steps) {
                    step.run(c);
                }
            }
            c.commit();
        } catch (SQLException e) {
            throw new ProjectionException("marking reversed rows failed", e);
        }
    }

    /**
     * Commits the streamed rows; returns, per table, the steps that complete it: empty it and load
     * what was kept in memory (lines, flows, carry-overs, and the expenditures with their reversal
     * flags), or flag its reversed rows (consents, and expenditures beyond {@link #KEEP_BYTES}),
     * for {@link Rebuild#complete} to run in the table's transaction before its keys and indexes exist.
     */
    public Map<String, List<Rebuild.Step>> finishLoad() {
        writer.finish();
        List<Projector.LineState> sorted = new ArrayList<>(lines.values());
        sorted.sort(Comparator.comparing(s -> s.lineId));
        List<Object[]> flowRows = new ArrayList<>(flows.values());
        List<Object[]> carryRows = new ArrayList<>(carries.values());
        Map<String, List<Rebuild.Step>> steps = new LinkedHashMap<>();
        // Each table is loaded by the transaction that then adds its keys (Rebuild#complete): emptied
        // there first, so its rows go in frozen too, and the tables load side by side.
        load(steps, "line_balance", sorted.size() * 300L, c -> {
            List<Object[]> rows = new ArrayList<>(sorted.size());
            for (Projector.LineState s : sorted) {
                rows.add(Projector.lineCopyRow(s));
            }
            CharSequence csv = Copy.rows(rows);
            if (csv.length() > 0) {
                try {
                    c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + schema.table("line_balance") + LINE + " FROM STDIN (FORMAT csv, FREEZE)",
                            new StringReader(csv.toString()));
                } catch (IOException e) {
                    throw new SQLException("COPY into line_balance failed", e);
                }
            }
        });
        load(steps, "reallocation_flow", flowRows.size() * 200L, c -> copyRows(c, schema.table("reallocation_flow") + FLOW, flowRows));
        load(steps, "carry_over", carryRows.size() * 200L, c -> copyRows(c, schema.table("carry_over") + CARRY, carryRows));
        if (keepingHistory) {
            load(steps, "line_history", keptHistory.bytes(), c -> writeKeptHistory(c, true));
        }
        if (keeping) {
            Map<String, java.time.Instant> reversed = reversedExpenditures;
            load(steps, "expenditure", keptExpenditures.bytes(), c -> writeKeptExpenditures(c, true, reversed));
        } else {
            flagReversed("expenditure", reversedExpenditures, steps);
        }
        flagReversed("overplan_consent", reversedConsents, steps);
        return steps;
    }

    /** A step that empties {@code table} and fills it ({@code bytes}: about how much, to schedule the largest first). */
    private void load(Map<String, List<Rebuild.Step>> steps, String table, long bytes, Rebuild.Step fill) {
        steps.computeIfAbsent(table, t -> new ArrayList<>()).add(Rebuild.Step.load(bytes, c -> {
            try (Statement st = c.createStatement()) {
                st.execute("TRUNCATE " + schema.table(table));
            }
            fill.run(c);
        }));
    }

    private static void copyRows(Connection c, String tableAndColumns, List<Object[]> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        BinaryRows out = new BinaryRows(rows.size() * 200);
        for (Object[] row : rows) {
            out.row(row);
        }
        copyFrozen(c, tableAndColumns, out);
    }

    /** The rows as one binary COPY with FREEZE (the table was created or emptied in this transaction). */
    private static void copyFrozen(Connection c, String tableAndColumns, BinaryRows out) throws SQLException {
        byte[] data = out.finish();
        CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + tableAndColumns + " FROM STDIN (FORMAT binary, FREEZE)");
        try {
            in.writeToCopy(data, 0, out.length());
            in.endCopy();
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
    }

    /** One UPDATE joining the reversed ids (with the reversal's instant as reversed_at), passed as two arrays. */
    private void flagReversed(String table, Map<String, java.time.Instant> reversed, Map<String, List<Rebuild.Step>> steps) {
        if (reversed.isEmpty()) {
            return;
        }
        String[] ids = reversed.keySet().toArray(String[]::new);
        // ISO-8601 in UTC, read by PostgreSQL as the CSV COPY of the other rows reads instants.
        String[] at = reversed.values().stream().map(java.time.Instant::toString).toArray(String[]::new);
        steps.computeIfAbsent(table, t -> new ArrayList<>()).add(c -> {
            try (java.sql.PreparedStatement ps = c.prepareStatement("UPDATE " + schema.table(table) + " t SET reversed = TRUE,"
                    + " reversed_at = r.reversed_at FROM unnest(?::text[], ?::text[]::timestamptz[]) AS r(event_id, reversed_at)"
                    + " WHERE t.event_id = r.event_id")) {
                ps.setArray(1, c.createArrayOf("text", ids));
                ps.setArray(2, c.createArrayOf("text", at));
                ps.executeUpdate();
            }
        });
    }

    @Override
    public void close() {
        writer.close();
    }

    /**
     * One thread and one connection writing what the folding side queues, all in one transaction
     * that first empties the target's tables: so every COPY may load its rows already frozen
     * ({@code FREEZE}: no hint bits to set and no vacuum needed afterwards), and a failed load
     * leaves nothing behind.
     */
    private final class Writer {
        private static final Runnable END = () -> {
        };

        private final BlockingQueue<Runnable> queue = new ArrayBlockingQueue<>(WRITES_AHEAD);
        private final Thread thread;
        private volatile Throwable failure;
        private volatile boolean committed;
        private Connection connection;

        Writer() {
            thread = new Thread(this::run, "etat-bulk-writer");
            thread.setDaemon(true);
            thread.start();
        }

        private void run() {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                try {
                    connection = c;
                    try (Statement st = c.createStatement()) {
                        StringBuilder tables = new StringBuilder();
                        for (String t : ReadModelSchema.TABLES) {
                            tables.append(tables.length() == 0 ? "" : ", ").append(schema.table(t));
                        }
                        st.execute("TRUNCATE " + tables);
                    }
                    for (Runnable work = queue.take(); work != END; work = queue.take()) {
                        if (failure == null) {
                            work.run();
                        }
                    }
                    if (failure == null) {
                        c.commit();
                        committed = true;
                    }
                } finally {
                    if (!committed) {
                        c.rollback();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = failure == null ? e : failure;
            } catch (Throwable t) {
                failure = failure == null ? t : failure;
            }
        }

        /** A binary COPY of the rows {@code rows} writes, encoded on the writer thread. */
        void copy(String tableAndColumns, int expectedBytes, Consumer<BinaryRows> rows) {
            submit(() -> copyNow(tableAndColumns, expectedBytes, rows));
        }

        /** {@link #copy}, on the writer thread itself. */
        void copyNow(String tableAndColumns, int expectedBytes, Consumer<BinaryRows> rows) {
            BinaryRows out = new BinaryRows(expectedBytes);
            rows.accept(out);
            try {
                copyFrozen(connection, tableAndColumns, out);
            } catch (SQLException e) {
                failure = new ProjectionException("COPY into " + tableAndColumns + " failed", e);
            }
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
            if (!committed) {
                throw new ProjectionException("the bulk load was not committed", null);
            }
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
