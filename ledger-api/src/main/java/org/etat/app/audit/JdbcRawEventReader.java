package org.etat.app.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.etat.ledger.audit.CanonicalEncoding;
import org.etat.ledger.audit.RawEventRow;

/**
 * Reads the event store's rows exactly as stored (no Axon, no deserialization), in global order.
 * The table follows Axon's JDBC schema in snake_case ({@code domain_event_entry}).
 */
public final class JdbcRawEventReader {
    public static final String DEFAULT_TABLE = "domain_event_entry";

    /** The columns in the order of {@link CanonicalEncoding}'s fields (and of the COPY tuples). */
    static final String COLUMNS = "global_index, event_identifier, type, aggregate_identifier, sequence_number, payload_type, "
            + "payload_revision, payload, meta_data, time_stamp";
    static final int COLUMN_COUNT = 10;

    private final String table;
    private final String sql;

    public JdbcRawEventReader() {
        this(DEFAULT_TABLE);
    }

    public JdbcRawEventReader(String table) {
        if (!table.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("not a plain table name: " + table);
        }
        this.table = table;
        this.sql = "SELECT " + COLUMNS + " FROM " + table + " WHERE global_index > ? AND global_index <= ? ORDER BY global_index";
    }

    /**
     * The same rows as {@link #open} as a binary COPY (COPY takes no parameters: the bounds are
     * bigint literals; an open bound is left out, so that the primary key's index serves the order).
     */
    String copySql(long afterExclusive, long upToInclusive) {
        return copySql(COLUMNS, afterExclusive, upToInclusive);
    }

    /** Only what deserializing an event needs: global_index, event_identifier, payload_type, payload_revision, payload. */
    static final String PAYLOAD_COLUMNS = "global_index, event_identifier, payload_type, payload_revision, payload";
    static final int PAYLOAD_COLUMN_COUNT = 5;

    String copySql(String columns, long afterExclusive, long upToInclusive) {
        StringBuilder where = new StringBuilder();
        if (afterExclusive != Long.MIN_VALUE) {
            where.append("global_index > CAST('").append(afterExclusive).append("' AS bigint)");
        }
        if (upToInclusive != Long.MAX_VALUE) {
            where.append(where.length() == 0 ? "" : " AND ").append("global_index <= CAST('").append(upToInclusive).append("' AS bigint)");
        }
        return "COPY (SELECT " + columns + " FROM " + table + (where.length() == 0 ? "" : " WHERE " + where)
                + " ORDER BY global_index) TO STDOUT (FORMAT binary)";
    }

    /** Rows with {@code afterExclusive < global_index <= upToInclusive}, rising. */
    public JdbcCursor<RawEventRow> open(Connection connection, long afterExclusive, long upToInclusive) throws SQLException {
        PreparedStatement ps = connection.prepareStatement(sql);
        ps.setLong(1, afterExclusive);
        ps.setLong(2, upToInclusive);
        return new JdbcCursor<>(ps, rs -> new RawEventRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getLong(5), rs.getString(6), rs.getString(7), rs.getBytes(8), rs.getBytes(9), rs.getString(10)));
    }

    public JdbcCursor<RawEventRow> openAll(Connection connection) throws SQLException {
        return open(connection, Long.MIN_VALUE, Long.MAX_VALUE);
    }
}
