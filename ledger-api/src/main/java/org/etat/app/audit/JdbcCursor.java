package org.etat.app.audit;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.postgresql.PGStatement;

/**
 * Streams a query's rows as an iterator, a fetch-size batch at a time (PostgreSQL streams only
 * inside a transaction, so the caller's connection must not be in auto-commit). Close it.
 */
public final class JdbcCursor<T> implements Iterator<T>, AutoCloseable {
    /** Rows per round trip: enough to amortize it, small enough to keep memory flat. */
    public static final int FETCH_SIZE = 1_000;

    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private final PreparedStatement statement;
    private final ResultSet resultSet;
    private final RowMapper<T> mapper;
    private Boolean hasNext;

    JdbcCursor(PreparedStatement statement, RowMapper<T> mapper) throws SQLException {
        if (statement.getConnection().getAutoCommit()) {
            statement.close();
            throw new IllegalStateException("a streaming cursor needs a transaction: the connection is in auto-commit");
        }
        this.statement = statement;
        this.mapper = mapper;
        statement.setFetchSize(FETCH_SIZE);
        if (statement.isWrapperFor(PGStatement.class)) {
            // Binary results from the first execution: bytea as raw bytes instead of hex text to decode.
            statement.unwrap(PGStatement.class).setPrepareThreshold(-1);
        }
        this.resultSet = statement.executeQuery();
    }

    @Override
    public boolean hasNext() {
        if (hasNext == null) {
            try {
                hasNext = resultSet.next();
            } catch (SQLException e) {
                throw new IllegalStateException("reading the next row failed", e);
            }
        }
        return hasNext;
    }

    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        hasNext = null;
        try {
            return mapper.map(resultSet);
        } catch (SQLException e) {
            throw new IllegalStateException("reading a row failed", e);
        }
    }

    @Override
    public void close() {
        try {
            statement.close();
        } catch (SQLException e) {
            throw new IllegalStateException("closing a cursor failed", e);
        }
    }
}
