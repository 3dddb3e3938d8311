package org.etat.projection;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.etat.ledger.budgetline.BudgetLineId;
import org.etat.ledger.budgetline.Component;
import org.etat.ledger.budgetline.ExpenditureRecorded;
import org.etat.ledger.budgetline.LineBalance;
import org.etat.ledger.budgetline.LineKind;
import org.etat.ledger.budgetline.LineOpened;
import org.etat.ledger.budgetline.OverPlanConsentGranted;
import org.etat.ledger.carryover.RemainderCarriedIn;
import org.etat.ledger.carryover.RemainderCarriedOut;
import org.etat.ledger.common.LineEvent;
import org.etat.ledger.conservation.YearTotals;
import org.etat.ledger.correction.EntryReversed;
import org.etat.ledger.reallocation.ReallocatedIn;
import org.etat.ledger.reallocation.ReallocatedOut;
import org.etat.ledger.yearclose.YearClosed;

/**
 * Projects a batch of recorded events into the read models of one schema: it folds the batch in
 * memory, then writes everything with JDBC batch statements in one transaction.
 *
 * <p>Idempotent: a line's events are applied in log order, so a line knows which of its events it
 * has: those up to its {@code last_global_sequence}. An event at or below it is skipped, so a
 * redelivered batch changes nothing. Events of one line must arrive in log order (an Axon processor
 * sequencing by aggregate id guarantees it, and so does Kafka with the line id as key); a line's
 * events commit in that order too (the aggregate is locked, the store's unique key refuses a second
 * writer), so no earlier event of a line can turn up after a later one. The batch locks the rows of
 * its lines first: a second batch with the same events (a redelivery racing the first, two nodes
 * during a claim handover) waits, then sees them applied. The two legs of a reallocation or
 * carry-over may arrive in any order and in different batches.
 *
 * <p>After writing, and before committing, it checks the conservation identity of every fiscal year
 * the batch touched (see {@link #checkConservation}); a violation rolls the batch back.
 */
public final class Projector {

    /** More events than this in one call is a caller error: batches are held in memory. */
    public static final int MAX_BATCH_SIZE = 100_000;

    private final DataSource dataSource;
    private final ReadModelSchema schema;
    private final boolean copy;

    public Projector(DataSource dataSource, ReadModelSchema schema) {
        this(dataSource, schema, false);
    }

    /**
     * @param copy write the append-only tables (history, expenditures, consents)
     *             with PostgreSQL's COPY instead of batched INSERTs: the same rows, less work per
     *             row; what a rebuild uses (see {@link Rebuild#bulkProjector})
     */
    public Projector(DataSource dataSource, ReadModelSchema schema, boolean copy) {
        this.dataSource = dataSource;
        this.schema = schema;
        this.copy = copy;
    }

    public Projector(DataSource dataSource) {
        this(dataSource, ReadModelSchema.LIVE);
    }

    public ReadModelSchema schema() {
        return schema;
    }

    /** Outcome of one batch: how many events were new, how many were seen before. */
    public record BatchResult(int projected, int skippedAsDuplicates) {
    }

    /** Projects one batch in one transaction. */
    public BatchResult project(List<ProjectedEvent> batch) {
        if (batch.size() > MAX_BATCH_SIZE) {
            throw new IllegalArgumentException("batch of " + batch.size() + " events exceeds " + MAX_BATCH_SIZE);
        }
        if (batch.isEmpty()) {
            return new BatchResult(0, 0);
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                BatchResult result = project(c, batch);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new ProjectionException("cannot project batch ending at global sequence "
                    + batch.get(batch.size() - 1).globalSequence(), e);
        }
    }

    /** Projects one batch inside the caller's transaction (the caller commits). */
    public BatchResult project(Connection c, List<ProjectedEvent> batch) throws SQLException {
        List<ProjectedEvent> events = distinctPositions(batch);
        Map<String, LineState> lines = loadLines(c, lineIds(events));
        List<ProjectedEvent> fresh = new ArrayList<>(events.size());
        List<ProjectedEvent> seen = new ArrayList<>();
        for (ProjectedEvent e : events) {
            LineState line = e.payload() instanceof LineEvent le ? lines.get(le.lineId()) : null;
            (line != null && e.globalSequence() <= line.lastGlobalSequence ? seen : fresh).add(e);
        }
        checkSeenUnderTheirIds(c, seen);
        if (fresh.isEmpty()) {
            return new BatchResult(0, batch.size());
        }
        Fold fold = new Fold(lines);
        for (ProjectedEvent e : fresh) {
            fold.accept(e);
        }
        write(c, fold);
        checkConservation(c, fold.touchedYears);
        return new BatchResult(fresh.size(), batch.size() - fresh.size());
    }

    // ------------------------------------------------------------------ reading what is there

    /**
     * The batch's events in log order, each position once. Two different events claiming one
     * position is refused rather than skipped.
     */
    private static List<ProjectedEvent> distinctPositions(List<ProjectedEvent> batch) {
        Map<Long, ProjectedEvent> byPosition = new LinkedHashMap<>();
        for (ProjectedEvent e : batch) {
            ProjectedEvent first = byPosition.putIfAbsent(e.globalSequence(), e);
            if (first != null && !first.eventId().equals(e.eventId())) {
                throw samePosition(e.globalSequence(), first.eventId(), e.eventId());
            }
        }
        List<ProjectedEvent> events = new ArrayList<>(byPosition.values());
        events.sort(Comparator.comparingLong(ProjectedEvent::globalSequence));
        return events;
    }

    /**
     * An event skipped as applied must be the one applied at its position: a position that a line's
     * history or expenditures hold under another event id means two different events claim one
     * place in the log (a read side fed from another ledger, say), and is refused. Events that move
     * no money leave no row to compare with.
     */
    private void checkSeenUnderTheirIds(Connection c, List<ProjectedEvent> seen) throws SQLException {
        if (seen.isEmpty()) {
            return;
        }
        Map<Long, ProjectedEvent> byPosition = new LinkedHashMap<>();
        List<String> lineIds = new ArrayList<>();
        for (ProjectedEvent e : seen) {
            byPosition.put(e.globalSequence(), e);
            lineIds.add(((LineEvent) e.payload()).lineId());
        }
        String keys = " WHERE (line_id, global_sequence) IN (SELECT * FROM unnest(?::text[], ?::bigint[]))";
        try (PreparedStatement ps = c.prepareStatement("SELECT global_sequence, event_id FROM " + schema.table("line_history") + keys
                + " UNION ALL SELECT global_sequence, event_id FROM " + schema.table("expenditure") + keys)) {
            Array ids = c.createArrayOf("text", lineIds.toArray());
            Array positions = c.createArrayOf("bigint", byPosition.keySet().toArray());
            ps.setArray(1, ids);
            ps.setArray(2, positions);
            ps.setArray(3, ids);
            ps.setArray(4, positions);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ProjectedEvent e = byPosition.get(rs.getLong(1));
                    if (e != null && !e.eventId().equals(rs.getString(2))) {
                        throw samePosition(e.globalSequence(), rs.getString(2), e.eventId());
                    }
                }
            }
        }
    }

    private static ProjectionException samePosition(long position, String applied, String arriving) {
        return new ProjectionException("global sequence " + position + " is event " + applied + ", not " + arriving
                + ": two events cannot hold one position in the log", null);
    }

    private static Set<String> lineIds(List<ProjectedEvent> events) {
        Set<String> ids = new HashSet<>();
        for (ProjectedEvent e : events) {
            if (e.payload() instanceof LineEvent le) {
                ids.add(le.lineId());
            }
        }
        return ids;
    }

    private Map<String, LineState> loadLines(Connection c, Set<String> ids) throws SQLException {
        Map<String, LineState> lines = new LinkedHashMap<>();
        if (ids.isEmpty()) {
            return lines;
        }
        String sql = "SELECT line_id, year, einzelplan, kapitel, titel, titelgruppe, funktion, purpose, kind, transferable, closed, "
                + Columns.list("") + ", last_global_sequence FROM " + schema.table("line_balance") + " WHERE line_id = ANY(?)"
                // Locked, in one order for every writer: a batch racing this one for a line waits, then finds its events applied.
                + " ORDER BY line_id FOR UPDATE";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Array array = c.createArrayOf("text", ids.toArray());
            ps.setArray(1, array);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    LineState s = new LineState(rs.getString("line_id"), rs.getInt("year"), lines.size());
                    s.einzelplan = rs.getString("einzelplan");
                    s.kapitel = rs.getString("kapitel");
                    s.titel = rs.getString("titel");
                    s.titelgruppe = rs.getString("titelgruppe");
                    s.funktion = rs.getString("funktion");
                    s.purpose = rs.getString("purpose");
                    s.kind = rs.getString("kind");
                    s.transferable = (Boolean) rs.getObject("transferable");
                    s.closed = rs.getBoolean("closed");
                    s.balance = Columns.balance(rs);
                    s.lastGlobalSequence = rs.getLong("last_global_sequence");
                    s.stored = true;
                    lines.put(s.lineId, s);
                }
            }
        }
        return lines;
    }

    // ------------------------------------------------------------------ folding the batch in memory

    static final class LineState {
        final String lineId;
        final int year;
        String einzelplan;
        String kapitel;
        String titel;
        String titelgruppe;
        String funktion;
        String purpose;
        String kind;
        Boolean transferable;
        boolean closed;
        LineBalance balance = LineBalance.ZERO;
        long lastGlobalSequence;
        /** The balance this line last added to its year's totals in {@link BulkProjector}; null: none. */
        LineBalance counted;
        /** Its year's totals in {@link BulkProjector} (a line's year never changes), once looked up. */
        long[] yearTotals;
        /**
         * The mark of the fold that last counted it as touched: each batch lists a line once without
         * a set of ids. A mark, not the fold, so a line does not keep a finished batch's rows alive.
         */
        Object touchedBy;
        /** Its place among the lines of one projection run, in the order they were first seen (0, 1, ...). */
        final int ordinal;
        /** Its row was there when the batch began (and is locked by it): updated, not inserted. */
        boolean stored;

        LineState(String lineId, int year, int ordinal) {
            this.lineId = lineId;
            this.year = year;
            this.ordinal = ordinal;
        }
    }

    record HistoryRow(LineState line, ProjectedEvent event, String type, int year, LocalDate effectiveDate, long[] deltas) {
        String lineId() {
            return line.lineId;
        }
    }

    /** {@code lineId}: the reversing (and reversed) entry's line; a reversal names an entry of its own line. */
    record Reversal(String lineId, Component component, String reversedEventId, java.time.Instant recordedAt) {
    }

    /**
     * Columns of an expenditure row as {@link Fold} builds it. An expenditure's balance change is
     * its amount as spent, so its row here is also its history: {@code line_history} has no row
     * for it (as-of queries read both tables, {@link ReadModels#lineAsOf}).
     */
    static final String EXPENDITURE_COLUMNS = " (event_id, global_sequence, line_id, year, project_id, amount_cents, effective_date, recorded_at,"
            + " principal, purpose, document_reference)";

    /** Folds events of lines (in log order per line) into {@code lines}, collecting the rows they add. Shared with {@link BulkProjector}. */
    static final class Fold {
        final Map<String, LineState> lines;
        /** The lines the events touched, each once, in the order first touched ({@link #writeLines} sorts them). */
        final List<LineState> touched = new ArrayList<>();
        final Set<Integer> touchedYears = new TreeSet<>();
        /** What a line touched by this fold remembers of it (see {@link LineState#touchedBy}). */
        private final Object mark = new Object();
        private int lastTouchedYear = Integer.MIN_VALUE;
        final List<HistoryRow> history = new ArrayList<>();
        final List<Object[]> expenditures = new ArrayList<>();
        /** The line of each of {@link #expenditures}, at the same index. */
        final List<LineState> expenditureLines = new ArrayList<>();
        final List<Object[]> consents = new ArrayList<>();
        final List<Object[]> flows = new ArrayList<>();
        final List<Object[]> carries = new ArrayList<>();
        final List<Reversal> reversals = new ArrayList<>();

        Fold(Map<String, LineState> lines) {
            this.lines = lines;
        }

        void accept(ProjectedEvent recorded) {
            if (!(recorded.payload() instanceof LineEvent event)) {
                return; // moves no money and names no line
            }
            LineState line = lines.get(event.lineId());
            if (line == null) {
                line = new LineState(event.lineId(), BudgetLineId.parse(event.lineId()).year().value(), lines.size());
                lines.put(line.lineId, line);
            }
            if (line.touchedBy != mark) {
                line.touchedBy = mark;
                touched.add(line);
            }
            if (line.year != lastTouchedYear) { // most events in a row are of one year: no boxing and tree lookup per event
                touchedYears.add(line.year);
                lastTouchedYear = line.year;
            }
            LocalDate effective = recorded.effectiveDate() != null ? recorded.effectiveDate() : event.effectiveDate();
            if (event instanceof LineOpened o) {
                line.einzelplan = o.key().einzelplan();
                line.kapitel = o.key().kapitel();
                line.titel = o.key().titel();
                line.titelgruppe = o.key().titelgruppe();
                line.funktion = o.key().funktion();
                line.purpose = o.purpose();
                line.kind = o.kind().name();
                line.transferable = o.transferable();
            } else if (event instanceof YearClosed) {
                line.closed = true;
            } else if (event instanceof ExpenditureRecorded x) {
                expenditures.add(new Object[] {recorded.eventId(), recorded.globalSequence(), x.lineId(), line.year, x.projectId(),
                        x.amountCents(), effective, recorded.recordedAt(), recorded.principal(), x.purpose(), x.documentReference()});
                expenditureLines.add(line);
            } else if (event instanceof OverPlanConsentGranted x) {
                consents.add(new Object[] {recorded.eventId(), recorded.globalSequence(), x.lineId(), line.year, x.amountCents(),
                        x.consentReference(), x.justification(), x.unplanned(), effective});
            } else if (event instanceof ReallocatedOut x) {
                flows.add(new Object[] {x.reallocationId(), line.year, x.lineId(), x.toLineId(), x.amountCents(), x.legalBasis().kind().name(),
                        x.legalBasis().reference(), x.justification(), effective, recorded.eventId(), null});
            } else if (event instanceof ReallocatedIn x) {
                flows.add(new Object[] {x.reallocationId(), line.year, x.fromLineId(), x.lineId(), x.amountCents(), x.legalBasis().kind().name(),
                        x.legalBasis().reference(), x.justification(), effective, null, recorded.eventId()});
            } else if (event instanceof RemainderCarriedOut x) {
                carries.add(new Object[] {x.carryOverId(), line.year, x.lineId(), x.toLineId(), x.amountCents(), x.consentReference(),
                        x.justification(), effective, recorded.eventId(), null});
            } else if (event instanceof RemainderCarriedIn x) {
                touchedYears.add(line.year - 1);
                carries.add(new Object[] {x.carryOverId(), line.year - 1, x.fromLineId(), x.lineId(), x.amountCents(), x.consentReference(),
                        x.justification(), null, null, recorded.eventId()});
            } else if (event instanceof EntryReversed x) {
                reversals.add(new Reversal(x.lineId(), x.component(), x.reversedEventId(), recorded.recordedAt()));
            }
            LineBalance before = line.balance;
            line.balance = before.apply(event);
            line.lastGlobalSequence = Math.max(line.lastGlobalSequence, recorded.globalSequence());
            if (event instanceof ExpenditureRecorded x) {
                // Its expenditure row is its history row (the amount as spent, nothing else).
                if (line.balance.spentCents() - before.spentCents() != x.amountCents()) {
                    throw new ProjectionException("expenditure " + recorded.eventId() + " changed more than spent", null);
                }
                if (effective == null) {
                    throw new ProjectionException("event " + recorded.eventId() + " moves money but has no effective date", null);
                }
            } else if (!line.balance.equals(before)) {
                long[] deltas = new long[Component.values().length];
                for (Component comp : Component.values()) {
                    deltas[comp.ordinal()] = Math.subtractExact(line.balance.component(comp), before.component(comp));
                }
                if (effective == null) {
                    throw new ProjectionException("event " + recorded.eventId() + " moves money but has no effective date", null);
                }
                history.add(new HistoryRow(line, recorded, event.getClass().getSimpleName(), line.year, effective, deltas));
            }
        }
    }

    // ------------------------------------------------------------------ writing

    private void write(Connection c, Fold fold) throws SQLException {
        writeLines(c, fold);
        writeHistory(c, fold.history);
        String expenditureColumns = EXPENDITURE_COLUMNS;
        String consentColumns = " (event_id, global_sequence, line_id, year, amount_cents, consent_reference, justification, unplanned,"
                + " effective_date)";
        if (copy) {
            Copy.in(c, schema.table("expenditure") + expenditureColumns, fold.expenditures);
            Copy.in(c, schema.table("overplan_consent") + consentColumns, fold.consents);
        } else {
            batch(c, "INSERT INTO " + schema.table("expenditure") + expenditureColumns + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", fold.expenditures);
            batch(c, "INSERT INTO " + schema.table("overplan_consent") + consentColumns + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", fold.consents);
        }
        // Rows shared by two segments (the two legs of a move) are locked in key order, so two
        // concurrent batches cannot deadlock on them.
        fold.flows.sort(Comparator.comparing(r -> (String) r[0]));
        fold.carries.sort(Comparator.comparing(r -> (String) r[0]));
        mergeSameKey(fold.flows);
        mergeSameKey(fold.carries);
        String flow = schema.table("reallocation_flow");
        batch(c, "INSERT INTO " + flow + " AS f (reallocation_id, year, from_line_id, to_line_id, amount_cents, legal_basis_kind,"
                + " legal_basis_reference, justification, effective_date, out_event_id, in_event_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (reallocation_id) DO UPDATE SET out_event_id = coalesce(f.out_event_id, excluded.out_event_id),"
                + " in_event_id = coalesce(f.in_event_id, excluded.in_event_id)", fold.flows);
        String carry = schema.table("carry_over");
        batch(c, "INSERT INTO " + carry + " AS f (carry_over_id, from_year, from_line_id, to_line_id, amount_cents, consent_reference,"
                + " justification, effective_date, out_event_id, in_event_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (carry_over_id) DO UPDATE SET out_event_id = coalesce(f.out_event_id, excluded.out_event_id),"
                + " in_event_id = coalesce(f.in_event_id, excluded.in_event_id),"
                + " effective_date = coalesce(f.effective_date, excluded.effective_date)", fold.carries);
        writeReversals(c, fold.reversals);
    }

    /**
     * Both legs of one move may arrive in the same batch. One row per key, with the first non-null
     * value of each column (what the upsert's coalesce would keep), so a batch never names a key
     * twice: pgjdbc may rewrite the batch into one multi-row INSERT, which PostgreSQL refuses to
     * apply to one row twice. Expects rows sorted by key.
     */
    static void mergeSameKey(List<Object[]> rows) {
        int kept = 0;
        for (Object[] row : rows) {
            if (kept > 0 && rows.get(kept - 1)[0].equals(row[0])) {
                Object[] into = rows.get(kept - 1);
                for (int i = 1; i < into.length; i++) {
                    if (into[i] == null) {
                        into[i] = row[i];
                    }
                }
            } else {
                rows.set(kept++, row);
            }
        }
        rows.subList(kept, rows.size()).clear();
    }

    private void writeLines(Connection c, Fold fold) throws SQLException {
        StringBuilder updates = new StringBuilder();
        for (String col : List.of("einzelplan", "kapitel", "titel", "titelgruppe", "funktion", "purpose", "kind", "transferable", "closed")) {
            updates.append(col).append(" = excluded.").append(col).append(", ");
        }
        for (String col : Columns.COMPONENTS) {
            updates.append(col).append(" = excluded.").append(col).append(", ");
        }
        updates.append("available_cents = excluded.available_cents, planned_cents = excluded.planned_cents,"
                + " execution_rate_percent = excluded.execution_rate_percent, soll_rate_percent = excluded.soll_rate_percent,"
                + " last_global_sequence = excluded.last_global_sequence");
        String insert = "INSERT INTO " + schema.table("line_balance") + " (line_id, year, einzelplan, kapitel, titel, titelgruppe, funktion,"
                + " purpose, kind, transferable, closed, " + Columns.list("") + ", available_cents, planned_cents, execution_rate_percent,"
                + " soll_rate_percent, last_global_sequence) VALUES (" + "?, ".repeat(11 + Columns.COMPONENTS.size() + 4) + "?)";
        List<LineState> sorted = new ArrayList<>(fold.touched);
        sorted.sort(Comparator.comparing(l -> l.lineId)); // one order for every writer: no deadlock between segments
        // A line the batch found (and locked) is updated; a new one is inserted without ON CONFLICT, so a
        // batch that raced this one to the same new line fails on the key instead of overwriting it.
        writeLines(c, insert + " ON CONFLICT (line_id) DO UPDATE SET " + updates, sorted, true);
        writeLines(c, insert, sorted, false);
    }

    private static void writeLines(Connection c, String sql, List<LineState> sorted, boolean stored) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (LineState s : sorted) {
                if (s.stored != stored) {
                    continue;
                }
                int i = 1;
                ps.setString(i++, s.lineId);
                ps.setInt(i++, s.year);
                ps.setString(i++, s.einzelplan);
                ps.setString(i++, s.kapitel);
                ps.setString(i++, s.titel);
                ps.setString(i++, s.titelgruppe);
                ps.setString(i++, s.funktion);
                ps.setString(i++, s.purpose);
                ps.setString(i++, s.kind);
                ps.setObject(i++, s.transferable, Types.BOOLEAN);
                ps.setBoolean(i++, s.closed);
                for (Component comp : Component.values()) {
                    ps.setLong(i++, s.balance.component(comp));
                }
                ps.setLong(i++, s.balance.availableCents());
                ps.setLong(i++, s.balance.plannedCents());
                String rate = s.balance.executionRatePercent();
                ps.setBigDecimal(i++, rate == null ? null : new BigDecimal(rate));
                ps.setBigDecimal(i++, ReadModels.sollRate(s.balance));
                ps.setLong(i, s.lastGlobalSequence);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private void writeHistory(Connection c, List<HistoryRow> rows) throws SQLException {
        String columns = " (line_id, global_sequence, event_id, event_type, year, effective_date, recorded_at, principal, "
                + Columns.list("") + ")";
        if (copy) {
            List<Object[]> copied = new ArrayList<>(rows.size());
            for (HistoryRow r : rows) {
                copied.add(historyCopyRow(r));
            }
            Copy.in(c, schema.table("line_history") + columns, copied);
            return;
        }
        String sql = "INSERT INTO " + schema.table("line_history") + columns + " VALUES (" + "?, ".repeat(8 + Columns.COMPONENTS.size() - 1) + "?)";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (HistoryRow r : rows) {
                int i = 1;
                ps.setString(i++, r.lineId());
                ps.setLong(i++, r.event().globalSequence());
                ps.setString(i++, r.event().eventId());
                ps.setString(i++, r.type());
                ps.setInt(i++, r.year());
                ps.setDate(i++, Date.valueOf(r.effectiveDate()));
                ps.setTimestamp(i++, Timestamp.from(r.event().recordedAt()));
                ps.setString(i++, r.event().principal());
                for (long d : r.deltas()) {
                    ps.setLong(i++, d);
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** A history row's values in the order of {@code line_history}'s columns, for COPY. */
    static Object[] historyCopyRow(HistoryRow r) {
        Object[] row = new Object[8 + r.deltas().length];
        row[0] = r.lineId();
        row[1] = r.event().globalSequence();
        row[2] = r.event().eventId();
        row[3] = r.type();
        row[4] = r.year();
        row[5] = r.effectiveDate();
        row[6] = r.event().recordedAt();
        row[7] = r.event().principal();
        for (int i = 0; i < r.deltas().length; i++) {
            row[8 + i] = r.deltas()[i];
        }
        return row;
    }

    /** A line's row in the order of {@code line_balance}'s columns (what {@link #writeLines} binds), for COPY. */
    static Object[] lineCopyRow(LineState s) {
        Object[] row = new Object[11 + Component.values().length + 5];
        int i = 0;
        row[i++] = s.lineId;
        row[i++] = s.year;
        row[i++] = s.einzelplan;
        row[i++] = s.kapitel;
        row[i++] = s.titel;
        row[i++] = s.titelgruppe;
        row[i++] = s.funktion;
        row[i++] = s.purpose;
        row[i++] = s.kind;
        row[i++] = s.transferable;
        row[i++] = s.closed;
        for (Component comp : Component.values()) {
            row[i++] = s.balance.component(comp);
        }
        row[i++] = s.balance.availableCents();
        row[i++] = s.balance.plannedCents();
        String rate = s.balance.executionRatePercent();
        row[i++] = rate == null ? null : new BigDecimal(rate);
        row[i++] = ReadModels.sollRate(s.balance);
        row[i] = s.lastGlobalSequence;
        return row;
    }

    /** A reversal flags the entry it names; the balance change itself came through the fold. */
    private void writeReversals(Connection c, List<Reversal> reversals) throws SQLException {
        Map<String, List<Object[]>> byStatement = new LinkedHashMap<>();
        for (Reversal r : reversals) {
            String sql = switch (r.component()) {
                // By the line's key: an expenditure is reversed on its own line, and event ids are not indexed.
                case SPENT -> "UPDATE " + schema.table("expenditure") + " SET reversed = TRUE, reversed_at = ? WHERE line_id = ? AND event_id = ?";
                case CONSENTED -> "UPDATE " + schema.table("overplan_consent") + " SET reversed = TRUE, reversed_at = ? WHERE line_id = ? AND event_id = ?";
                // A leg's reversal is on the leg's own line: the giving line's index finds the giving leg, the receiving line's the other.
                case REALLOCATED_OUT -> "UPDATE " + schema.table("reallocation_flow") + " SET out_reversed = TRUE WHERE from_line_id = ? AND out_event_id = ?";
                case REALLOCATED_IN -> "UPDATE " + schema.table("reallocation_flow") + " SET in_reversed = TRUE WHERE to_line_id = ? AND in_event_id = ?";
                case CARRIED_OUT -> "UPDATE " + schema.table("carry_over") + " SET out_reversed = TRUE WHERE from_line_id = ? AND out_event_id = ?";
                case CARRIED_IN -> "UPDATE " + schema.table("carry_over") + " SET in_reversed = TRUE WHERE to_line_id = ? AND in_event_id = ?";
                default -> null; // appropriations, blocks, revenue: the history and balance carry them
            };
            if (sql != null) {
                Object[] args = sql.contains("reversed_at")
                        ? new Object[] {Timestamp.from(r.recordedAt()), r.lineId(), r.reversedEventId()}
                        : new Object[] {r.lineId(), r.reversedEventId()};
                byStatement.computeIfAbsent(sql, k -> new ArrayList<>()).add(args);
            }
        }
        for (Map.Entry<String, List<Object[]>> e : byStatement.entrySet()) {
            batch(c, e.getKey(), e.getValue());
        }
    }

    private static void batch(Connection c, String sql, List<Object[]> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (Object[] row : rows) {
                for (int i = 0; i < row.length; i++) {
                    Object v = row[i];
                    if (v instanceof LocalDate d) {
                        ps.setDate(i + 1, Date.valueOf(d));
                    } else if (v instanceof java.time.Instant t) {
                        ps.setTimestamp(i + 1, Timestamp.from(t));
                    } else if (v == null) {
                        ps.setNull(i + 1, Types.OTHER);
                    } else {
                        ps.setObject(i + 1, v);
                    }
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    // ------------------------------------------------------------------ conservation

    /**
     * Per fiscal year over its expenditure lines: sources (appropriated + amended + consented +
     * carried in, {@link YearTotals#sourcesCents()}) minus uses (spent + carried out + lapsed +
     * blocked + available, {@link YearTotals#usesCents()}) equals reallocated out minus reallocated
     * in, and that equals the money whose receiving leg is not projected yet according to the flow
     * table (legs of one reallocation may sit in different batches); once every leg has arrived both
     * are zero, which is {@link YearTotals#balanced()}. The same for carry-overs into the next year.
     */
    void checkConservation(Connection c, Set<Integer> years) throws SQLException {
        // One statement per year, so one snapshot: other segments may commit while this runs.
        String lb = schema.table("line_balance");
        String sql = "SELECT " + Columns.sums() + ", coalesce(sum(available_cents), 0) AS available_cents,"
                + " (" + transitSql("reallocation_flow", "year") + ") AS moving_cents,"
                + " (SELECT coalesce(sum(carried_in_cents), 0) FROM " + lb + " WHERE year = ? AND kind = ?) AS next_carried_in_cents,"
                + " (" + transitSql("carry_over", "from_year") + ") AS carrying_cents"
                + " FROM " + lb + " WHERE year = ? AND kind = ?";
        for (int year : years) {
            YearTotals t;
            long inTransit;
            long nextCarriedIn;
            long carryTransit;
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setInt(1, year);
                ps.setInt(2, year + 1);
                ps.setString(3, LineKind.EXPENDITURE.name());
                ps.setInt(4, year);
                ps.setInt(5, year);
                ps.setString(6, LineKind.EXPENDITURE.name());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    LineBalance b = Columns.balance(rs);
                    t = new YearTotals(year, b.appropriatedCents(), b.amendedCents(), b.consentedCents(), b.carriedInCents(),
                            b.reallocatedInCents(), b.reallocatedOutCents(), b.spentCents(), b.carriedOutCents(), b.lapsedCents(),
                            b.blockedCents(), rs.getLong("available_cents"));
                    inTransit = rs.getLong("moving_cents");
                    nextCarriedIn = rs.getLong("next_carried_in_cents");
                    carryTransit = rs.getLong("carrying_cents");
                }
            }
            // Money given but not yet received sits in neither sources nor uses.
            long moving = t.reallocatedOutCents() - t.reallocatedInCents();
            if (t.sourcesCents() - t.usesCents() != moving) {
                throw new ConservationViolation(year, "sources " + t.sourcesCents() + " - uses " + t.usesCents() + " != reallocated out "
                        + t.reallocatedOutCents() + " - in " + t.reallocatedInCents() + " cents");
            }
            if (moving != inTransit) {
                throw new ConservationViolation(year, "reallocated out " + t.reallocatedOutCents() + " - in " + t.reallocatedInCents()
                        + " != in transit " + inTransit + " cents");
            }
            if (t.carriedOutCents() - nextCarriedIn != carryTransit) {
                throw new ConservationViolation(year, "carried out " + t.carriedOutCents() + " - carried into " + (year + 1) + " "
                        + nextCarriedIn + " != in transit " + carryTransit + " cents");
            }
        }
    }

    /** Given minus received legs of the year's two-leg entries: money whose receiving leg is not projected yet. */
    private String transitSql(String table, String yearColumn) {
        return "SELECT coalesce(sum(CASE WHEN out_event_id IS NOT NULL AND NOT out_reversed THEN amount_cents ELSE 0 END)"
                + " - sum(CASE WHEN in_event_id IS NOT NULL AND NOT in_reversed THEN amount_cents ELSE 0 END), 0) FROM "
                + schema.table(table) + " WHERE " + yearColumn + " = ?";
    }

    /** The books of a year stopped balancing: the batch is rolled back. */
    public static final class ConservationViolation extends RuntimeException {
        public ConservationViolation(int year, String detail) {
            super("fiscal year " + year + " does not balance after the batch: " + detail);
        }
    }
}
