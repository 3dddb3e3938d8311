package org.etat.app.http;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.sql.SQLNonTransientConnectionException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Whether a failure means PostgreSQL could not be reached (down, restarting, connection cut or pool
 * timed out waiting for one). Such a request is answered 503 with Retry-After: a retry with the same
 * Idempotency-Key is safe, whether or not the first attempt committed.
 */
final class DatabaseUnavailable {

    static final String RETRY_AFTER_SECONDS = "2";

    private DatabaseUnavailable() {
    }

    static boolean is(Throwable e) {
        Throwable t = e;
        for (int depth = 0; depth < 15 && t != null; depth++) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                    || t instanceof SQLRecoverableException || t instanceof CannotCreateTransactionException
                    || t instanceof DataAccessResourceFailureException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                return true; // connection exception; admin/crash shutdown, cannot connect now
            }
            if (t instanceof SQLException sql && sql.getSQLState() == null && "Connection is closed".equals(sql.getMessage())) {
                return true; // HikariCP: the transaction's connection was closed when the server went away
            }
            t = t.getCause() == t ? null : t.getCause();
        }
        return false;
    }
}
