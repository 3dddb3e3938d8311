package org.etat.projection;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.etat.ledger.budgetline.Component;
import org.etat.ledger.budgetline.ExpenditureRecorded;
import org.etat.ledger.budgetline.LineBalance;
import org.etat.ledger.budgetline.LineKind;
import org.etat.ledger.money.Percent;

/** The query API over the read models of one schema. Every method reads; none replays the log. */
public final class ReadModels {

    private final DataSource dataSource;
    private final ReadModelSchema schema;
    /** {@link #changes(ReadModelSchema)} of this schema, built once: the as-of queries run at request rates. */
    private final String changes;

    public ReadModels(DataSource dataSource, ReadModelSchema schema) {
        this.dataSource = dataSource;
        this.schema = schema;
        this.changes = changes(schema);
    }

    public ReadModels(DataSource dataSource) {
        this(dataSource, ReadModelSchema.LIVE);
    }

    DataSource dataSource() {
        return dataSource;
    }

    ReadModelSchema schema() {
        return schema;
    }

    // ------------------------------------------------------------------ line balances

    /** Title data of a line and its balance; available and rate come from the one {@link LineBalance} fold. */
    public record LineView(String lineId, int year, String einzelplan, String kapitel, String titel, String titelgruppe,
            String funktion, String purpose, String kind, Boolean transferable, boolean closed, LineBalance balance) {

        public long availableCents() {
            return balance.availableCents();
        }

        /** {@link LineBalance#executionRatePercent()}: spent / (appropriated ± amended + carried in), half-up, 2 decimals; null without a base. */
        public String executionRatePercent() {
            return balance.executionRatePercent();
        }

        /** spent / (appropriated + amended), half-up, 2 decimals: the rate published budget reports use; null without a Soll. */
        public String sollRatePercent() {
            BigDecimal r = sollRate(balance);
            return r == null ? null : r.toPlainString();
        }

        LineView withBalance(LineBalance other) {
            return new LineView(lineId, year, einzelplan, kapitel, titel, titelgruppe, funktion, purpose, kind, transferable, closed, other);
        }
    }

    static BigDecimal sollRate(LineBalance b) {
        return Percent.of(b.spentCents(), b.appropriatedCents() + b.amendedCents());
    }

    private static final String LINE_COLUMNS = "line_id, year, einzelplan, kapitel, titel, titelgruppe, funktion, purpose, kind,"
            + " transferable, closed, " + Columns.list("");

    public Optional<LineView> line(String lineId) {
        List<LineView> found = queryLines("SELECT " + LINE_COLUMNS + " FROM " + schema.table("line_balance") + " WHERE line_id = ?", lineId);
        return found.stream().findFirst();
    }

    /** Every line of a year, by line id. */
    public List<LineView> lines(int year) {
        return queryLines("SELECT " + LINE_COLUMNS + " FROM " + schema.table("line_balance") + " WHERE year = ? ORDER BY line_id", year);
    }

    /** A year that has lines, and how many. */
    public record YearSummary(int year, int lines) {
    }

    /** The years that have lines, in ascending order. */
    public List<YearSummary> years() {
        return query("SELECT year, count(*) FROM " + schema.table("line_balance") + " GROUP BY year ORDER BY year",
                rs -> new YearSummary(rs.getInt(1), rs.getInt(2)));
    }

    private List<LineView> queryLines(String sql, Object... args) {
        return query(sql, rs -> lineView(rs, Columns.balance(rs)), args);
    }

    private static LineView lineView(ResultSet rs, LineBalance balance) throws SQLException {
        return new LineView(rs.getString("line_id"), rs.getInt("year"), rs.getString("einzelplan"), rs.getString("kapitel"),
                rs.getString("titel"), rs.getString("titelgruppe"), rs.getString("funktion"), rs.getString("purpose"), rs.getString("kind"),
                (Boolean) rs.getObject("transferable"), rs.getBoolean("closed"), balance);
    }

    // ------------------------------------------------------------------ roll-ups

    /** The levels a year's expenditure lines roll up to. Titelgruppe is keyed by Kapitel too: groups are numbered per Kapitel. */
    public enum Level {
        EINZELPLAN("einzelplan"),
        KAPITEL("kapitel"),
        TITELGRUPPE("kapitel || '/' || coalesce(titelgruppe, '-')"),
        FUNKTION("coalesce(funktion, '-')");

        final String keyExpression;

        Level(String keyExpression) {
            this.keyExpression = keyExpression;
        }
    }

    public record RollUp(int year, Level level, String key, int lines, LineBalance balance) {
        public long availableCents() {
            return balance.availableCents();
        }

        public String executionRatePercent() {
            return balance.executionRatePercent();
        }

        public String sollRatePercent() {
            BigDecimal r = sollRate(balance);
            return r == null ? null : r.toPlainString();
        }
    }

    /** Sums of the expenditure lines of one year per level key, ordered by key (an index range on year). */
    public List<RollUp> rollUp(int year, Level level) {
        String sql = "SELECT " + level.keyExpression + " AS k, count(*) AS n, " + Columns.sums() + " FROM " + schema.table("line_balance")
                + " WHERE year = ? AND kind = ? GROUP BY 1 ORDER BY 1";
        return query(sql, rs -> new RollUp(year, level, rs.getString("k"), rs.getInt("n"), Columns.balance(rs)), year,
                LineKind.EXPENDITURE.name());
    }

    // ------------------------------------------------------------------ as of (two times)

    /**
     * Every balance change, one row per entry in the shape of {@code line_history}: its rows, and
     * each expenditure as a change of spent by its amount (an expenditure is kept once, in
     * {@code expenditure}). A condition on the result reaches both tables (PostgreSQL pushes it into
     * each branch of the UNION ALL), so a line's changes are two key ranges.
     */
    private static String changes(ReadModelSchema schema) {
        StringBuilder spentOnly = new StringBuilder();
        for (String column : Columns.COMPONENTS) {
            spentOnly.append(column.equals(Columns.column(Component.SPENT)) ? "amount_cents" : "0::bigint")
                    .append(" AS ").append(column).append(", ");
        }
        return "(SELECT line_id, global_sequence, event_id, event_type, year, effective_date, recorded_at, principal, " + Columns.list("")
                + " FROM " + schema.table("line_history") + " UNION ALL SELECT line_id, global_sequence, event_id, '" + ExpenditureRecorded.class.getSimpleName() + "'::text,"
                + " year, effective_date, recorded_at, principal, " + spentOnly.substring(0, spentOnly.length() - 2) + " FROM "
                + schema.table("expenditure") + ")";
    }

    /**
     * A line's balance as the books showed it: counting only entries effective on or before
     * {@code effectiveAsOf} (null: any date) and recorded at or before {@code knownAt} (null: now).
     * Sums a key range of the line's history rows and one of its expenditures.
     */
    public Optional<LineView> lineAsOf(String lineId, LocalDate effectiveAsOf, Instant knownAt) {
        return query(lineAsOfSql(), rs -> lineView(rs, Columns.balance(rs)), dateBound(effectiveAsOf), timeBound(knownAt), lineId).stream().findFirst();
    }

    /** {@link #lineAsOf}'s statement; parameters: booking date, known-at instant, line id. */
    String lineAsOfSql() {
        // One statement (one round trip, one snapshot): the title row and the sum of its changes.
        return "SELECT " + TITLE_COLUMNS + ", h.* FROM " + schema.table("line_balance") + " l CROSS JOIN LATERAL (SELECT "
                + Columns.sums() + " FROM " + changes + " c WHERE line_id = l.line_id"
                + " AND effective_date <= ? AND recorded_at <= ?) h WHERE l.line_id = ?";
    }

    private static final String TITLE_COLUMNS = "l.line_id, l.year, l.einzelplan, l.kapitel, l.titel, l.titelgruppe, l.funktion, l.purpose,"
            + " l.kind, l.transferable, l.closed";

    /** Every line of a year as of both times; lines without an entry by then show zeros. */
    public List<LineView> linesAsOf(int year, LocalDate effectiveAsOf, Instant knownAt) {
        Map<String, LineBalance> sums = new LinkedHashMap<>();
        String sql = "SELECT line_id, " + Columns.sums() + " FROM " + changes
                + " c WHERE year = ? AND effective_date <= ? AND recorded_at <= ? GROUP BY line_id";
        query(sql, rs -> sums.put(rs.getString("line_id"), Columns.balance(rs)), year, dateBound(effectiveAsOf), timeBound(knownAt));
        List<LineView> result = new ArrayList<>();
        for (LineView v : lines(year)) {
            result.add(v.withBalance(sums.getOrDefault(v.lineId(), LineBalance.ZERO)));
        }
        return result;
    }

    /** One balance change: which event changed which components of a line by how much. */
    public record Change(String lineId, long globalSequence, String eventId, String eventType, LocalDate effectiveDate,
            Instant recordedAt, String principal, LineBalance deltas) {
    }

    /**
     * Entries of a fiscal year recorded after {@code publishedAt}: the later corrections that changed
     * figures already published, in log order.
     */
    public List<Change> recordedAfter(int year, Instant publishedAt) {
        String sql = "SELECT line_id, global_sequence, event_id, event_type, effective_date, recorded_at, principal, " + Columns.list("")
                + " FROM " + changes + " c WHERE year = ? AND recorded_at > ? ORDER BY global_sequence, line_id";
        return query(sql, rs -> new Change(rs.getString("line_id"), rs.getLong("global_sequence"), rs.getString("event_id"),
                rs.getString("event_type"), rs.getDate("effective_date").toLocalDate(), rs.getTimestamp("recorded_at").toInstant(),
                rs.getString("principal"), Columns.balance(rs)), year, Timestamp.from(publishedAt));
    }

    private static Date dateBound(LocalDate d) {
        return Date.valueOf(d == null ? LocalDate.of(9999, 12, 31) : d);
    }

    private static Timestamp timeBound(Instant t) {
        return Timestamp.from(t == null ? Instant.parse("9999-12-31T00:00:00Z") : t);
    }

    // ------------------------------------------------------------------ reallocation flows

    /** One reallocation as an edge. {@code reversed}: it was reversed (the giving leg is authoritative). */
    public record Flow(String reallocationId, int year, String fromLineId, String toLineId, long amountCents, String legalBasisKind,
            String legalBasisReference, String justification, LocalDate effectiveDate, String outEventId, String inEventId,
            boolean reversed) {
    }

    private static final String FLOW_COLUMNS = "reallocation_id, year, from_line_id, to_line_id, amount_cents, legal_basis_kind,"
            + " legal_basis_reference, justification, effective_date, out_event_id, in_event_id, out_reversed OR in_reversed AS reversed";

    public List<Flow> flows(int year) {
        return query("SELECT " + FLOW_COLUMNS + " FROM " + schema.table("reallocation_flow")
                + " WHERE year = ? ORDER BY effective_date, reallocation_id", ReadModels::flow, year);
    }

    /** Flows touching a line, given or received. */
    public List<Flow> flowsOf(String lineId) {
        return query("SELECT " + FLOW_COLUMNS + " FROM " + schema.table("reallocation_flow")
                + " WHERE from_line_id = ? OR to_line_id = ? ORDER BY effective_date, reallocation_id", ReadModels::flow, lineId, lineId);
    }

    private static Flow flow(ResultSet rs) throws SQLException {
        Date d = rs.getDate("effective_date");
        return new Flow(rs.getString("reallocation_id"), rs.getInt("year"), rs.getString("from_line_id"), rs.getString("to_line_id"),
                rs.getLong("amount_cents"), rs.getString("legal_basis_kind"), rs.getString("legal_basis_reference"),
                rs.getString("justification"), d == null ? null : d.toLocalDate(), rs.getString("out_event_id"),
                rs.getString("in_event_id"), rs.getBoolean("reversed"));
    }

    /** Net money moved from one line to another in a year (reversed moves excluded). */
    public record PairSum(String fromLineId, String toLineId, int moves, long amountCents) {
    }

    public List<PairSum> pairSums(int year) {
        return query("SELECT from_line_id, to_line_id, count(*) AS n, sum(amount_cents) AS s FROM " + schema.table("reallocation_flow")
                + " WHERE year = ? AND NOT out_reversed AND NOT in_reversed GROUP BY 1, 2 ORDER BY 1, 2",
                rs -> new PairSum(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getLong(4)), year);
    }

    // ------------------------------------------------------------------ carry-overs

    public record CarryOver(String carryOverId, int fromYear, String fromLineId, String toLineId, long amountCents,
            String consentReference, boolean reversed) {
    }

    public List<CarryOver> carryOvers(int fromYear) {
        return query("SELECT carry_over_id, from_year, from_line_id, to_line_id, amount_cents, consent_reference,"
                + " out_reversed OR in_reversed FROM " + schema.table("carry_over") + " WHERE from_year = ? ORDER BY from_line_id, carry_over_id",
                rs -> new CarryOver(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4), rs.getLong(5), rs.getString(6),
                        rs.getBoolean(7)), fromYear);
    }

    // ------------------------------------------------------------------ project outflow

    /** Money spent for a project on one line in one year (reversed expenditures excluded). */
    public record ProjectOutflow(String projectId, int year, String lineId, int expenditures, long spentCents) {
    }

    public List<ProjectOutflow> projectOutflow(String projectId) {
        return query("SELECT project_id, year, line_id, count(*), sum(amount_cents) FROM " + schema.table("expenditure")
                + " WHERE project_id = ? AND NOT reversed GROUP BY 1, 2, 3 ORDER BY 2, 3", ReadModels::outflow, projectId);
    }

    /** Every project's outflow in a year, by project and line. */
    public List<ProjectOutflow> projectOutflows(int year) {
        return query("SELECT project_id, year, line_id, count(*), sum(amount_cents) FROM " + schema.table("expenditure")
                + " WHERE year = ? AND project_id IS NOT NULL AND NOT reversed GROUP BY 1, 2, 3 ORDER BY 1, 3", ReadModels::outflow, year);
    }

    private static ProjectOutflow outflow(ResultSet rs) throws SQLException {
        return new ProjectOutflow(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getInt(4), rs.getLong(5));
    }

    // ------------------------------------------------------------------ plumbing

    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    <T> List<T> query(String sql, RowMapper<T> mapper, Object... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            List<T> result = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.add(mapper.map(rs));
                }
            }
            return result;
        } catch (SQLException e) {
            throw new ProjectionException("query failed: " + sql, e);
        }
    }
}
