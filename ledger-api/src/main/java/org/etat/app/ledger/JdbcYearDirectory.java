package org.etat.app.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.etat.ledger.yearclose.YearClosed;
import org.etat.ledger.yearclose.YearDirectory;
import org.springframework.jdbc.datasource.DataSourceUtils;

/**
 * Years as the event store knows them. The locks are PostgreSQL advisory locks scoped to the
 * command's transaction (so they hold across nodes and end with the commit); every query runs on
 * the transaction's own connection, so it sees what this transaction may not yet have committed.
 */
public class JdbcYearDirectory implements YearDirectory {

    /** First key of the two-key advisory lock: "ETAT" in ASCII, so the year locks own a namespace. */
    static final int YEAR_LOCK_NAMESPACE = 0x45544154;

    private final DataSource dataSource;

    public JdbcYearDirectory(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public List<String> lineIdsOf(int year) {
        // Every line's first event (sequence 0) is LineOpened; the id starts with the year.
        return query("SELECT aggregate_identifier FROM domain_event_entry WHERE sequence_number = 0 "
                + "AND substr(aggregate_identifier, 1, 4) = ? AND type = 'BudgetLine' ORDER BY aggregate_identifier COLLATE \"C\"",
                yearKey(year), rs -> {
                    List<String> ids = new ArrayList<>();
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                    return ids;
                });
    }

    @Override
    public boolean isClosed(int year) {
        return query("SELECT EXISTS (SELECT 1 FROM domain_event_entry WHERE payload_type = '" + YearClosed.class.getName()
                + "' AND substr(aggregate_identifier, 1, 4) = ?)", yearKey(year), rs -> rs.next() && rs.getBoolean(1));
    }

    @Override
    public void lockShared(int year) {
        query("SELECT pg_advisory_xact_lock_shared(" + YEAR_LOCK_NAMESPACE + ", ?)", year, rs -> null);
    }

    @Override
    public void lockExclusive(int year) {
        query("SELECT pg_advisory_xact_lock(" + YEAR_LOCK_NAMESPACE + ", ?)", year, rs -> null);
    }

    private interface Reader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /** Line ids start with the four-digit year. */
    private static String yearKey(int year) {
        return String.format("%04d", year);
    }

    private <T> T query(String sql, Object parameter, Reader<T> reader) {
        Connection c = DataSourceUtils.getConnection(dataSource);
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, parameter);
            try (ResultSet rs = ps.executeQuery()) {
                return reader.read(rs);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("year directory query failed for " + parameter, e);
        } finally {
            DataSourceUtils.releaseConnection(c, dataSource);
        }
    }
}
