package org.etat.app.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import javax.sql.DataSource;
import org.etat.ledger.audit.AuditChain;
import org.etat.ledger.audit.ChainLink;
import org.etat.ledger.audit.RawEventRow;

/**
 * Extends the stored chain with the log's rows after its head, in global order, up to a horizon.
 *
 * <p>A lower global index may commit after a higher one, and a link, once written, cannot make
 * room. So the writer stops before a hole in the indexes that is one of the horizon's open gaps
 * while the row after the hole is younger than {@link AuditHorizon#settledBefore()}. A row that
 * commits below the head anyway is never chained and shows as INSERTED when the chain is verified.
 *
 * <p>Writers exclude each other with a transaction-scoped advisory lock, so two nodes cannot fork
 * the chain even if both run it.
 */
public final class AuditChainWriter {
    /** Rows chained per call: bounds the transaction; call again while it returns this many. */
    public static final int MAX_ROWS_PER_CATCH_UP = 10_000;
    /** pg_advisory_xact_lock key: ASCII "EtatAud1". */
    static final long LOCK_KEY = 0x4574617441756431L;

    private final JdbcRawEventReader reader;
    private final JdbcAuditChainStore store;

    public AuditChainWriter(JdbcRawEventReader reader, JdbcAuditChainStore store) {
        this.reader = reader;
        this.store = store;
    }

    /** Chains up to {@link #MAX_ROWS_PER_CATCH_UP} rows in the caller's transaction; returns how many. */
    public int catchUp(Connection c, long horizonInclusive) throws SQLException {
        return catchUp(c, AuditHorizon.settled(horizonInclusive));
    }

    /** Chains up to {@link #MAX_ROWS_PER_CATCH_UP} settled rows in the caller's transaction; returns how many. */
    public int catchUp(Connection c, AuditHorizon horizon) throws SQLException {
        if (c.getAutoCommit()) {
            throw new IllegalStateException("catchUp runs inside the caller's transaction, not in auto-commit");
        }
        try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            lock.setLong(1, LOCK_KEY);
            lock.execute();
        }
        Optional<JdbcAuditChainStore.StoredHead> head = store.head(c);
        AuditChain chain = head.map(h -> AuditChain.resumeFrom(h.link(), h.position())).orElseGet(AuditChain::new);
        long after = head.map(h -> h.link().globalSequence()).orElse(Long.MIN_VALUE);
        // Global indexes start at 1, so a hole before the first row starts at 0.
        long previous = head.map(h -> h.link().globalSequence()).orElse(0L);
        List<ChainLink> links = new ArrayList<>();
        try (JdbcCursor<RawEventRow> rows = reader.open(c, after, horizon.upToInclusive())) {
            while (links.size() < MAX_ROWS_PER_CATCH_UP && rows.hasNext()) {
                RawEventRow row = rows.next();
                if (row.globalSequence() > previous + 1 && horizon.openGapBetween(previous, row.globalSequence())
                        && !recordedBefore(row, horizon.settledBefore())) {
                    break;
                }
                links.add(chain.append(row));
                previous = row.globalSequence();
            }
        }
        if (!links.isEmpty()) {
            store.append(c, chain.length() - links.size() + 1, links);
        }
        return links.size();
    }

    /** An unreadable stored time counts as old: better a chain that passes a gap than one that stalls. */
    private static boolean recordedBefore(RawEventRow row, Instant limit) {
        try {
            return Instant.parse(row.timestamp()).isBefore(limit);
        } catch (DateTimeParseException e) {
            return true;
        }
    }

    /** Chains everything up to the horizon, committing every {@link #MAX_ROWS_PER_CATCH_UP} rows. */
    public long catchUpFully(DataSource dataSource, long horizonInclusive) throws SQLException {
        long total = 0;
        int chained;
        do {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                try {
                    chained = catchUp(c, horizonInclusive);
                    c.commit();
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                }
            }
            total += chained;
        } while (chained == MAX_ROWS_PER_CATCH_UP);
        return total;
    }
}
