package org.etat.app.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Several read-only REPEATABLE READ transactions that see one and the same snapshot of the
 * database (the first exports it with {@code pg_export_snapshot()}, the others import it), so that
 * the log, the chain and the conservation pass can be read in parallel, each on its own
 * connection, and still be compared as of one instant. Closing rolls every transaction back.
 */
final class SharedSnapshot implements AutoCloseable {
    static final int MAX_CONNECTIONS = 4;

    private final List<Connection> connections = new ArrayList<>();

    private SharedSnapshot() {
    }

    static SharedSnapshot open(DataSource dataSource, int connectionCount) throws SQLException {
        if (connectionCount < 1 || connectionCount > MAX_CONNECTIONS) {
            throw new IllegalArgumentException("1.." + MAX_CONNECTIONS + " connections");
        }
        SharedSnapshot s = new SharedSnapshot();
        try {
            Connection first = s.begin(dataSource);
            String id;
            try (PreparedStatement ps = first.prepareStatement("SELECT pg_export_snapshot()"); ResultSet rs = ps.executeQuery()) {
                rs.next();
                id = rs.getString(1);
            }
            if (!id.matches("[0-9A-Fa-f-]{1,64}")) {
                throw new SQLException("unexpected snapshot id " + id);
            }
            for (int i = 1; i < connectionCount; i++) {
                Connection c = s.begin(dataSource);
                try (Statement st = c.createStatement()) {
                    // Must be the first statement of the transaction; the id is checked above (no quoting needed).
                    st.execute("SET TRANSACTION SNAPSHOT '" + id + "'");
                }
            }
            return s;
        } catch (SQLException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    private Connection begin(DataSource dataSource) throws SQLException {
        Connection c = dataSource.getConnection();
        connections.add(c);
        c.setAutoCommit(false);
        c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        c.setReadOnly(true);
        return c;
    }

    Connection connection(int index) {
        return connections.get(index);
    }

    @Override
    public void close() throws SQLException {
        SQLException first = null;
        for (Connection c : connections) {
            try {
                try {
                    c.rollback();
                } finally {
                    c.close();
                }
            } catch (SQLException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        connections.clear();
        if (first != null) {
            throw first;
        }
    }
}
