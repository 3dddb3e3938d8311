package org.etat.app.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Chains the tail of the log when no new event arrives. The processor chains only when it is handed
 * events, and stops before a young gap; if the ledger then goes quiet (after a database crash, whose
 * sequence skips ahead, or any rolled-back insert), the tail would stay unchained until the next
 * write (found by the fault suite, docs/faults.md). Every {@code interval} this chains the tail
 * under the writer's advisory lock. A missing index after the chain's head is passed when
 * PostgreSQL shows it can no longer fill (no transaction that could hold it is still writing, see
 * {@link #settled}), else by the processor's own rule (once the row after it is older than the
 * settle time, 60 s): so the chain reaches the head seconds after the ledger goes quiet.
 */
public final class AuditChainSettler implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(AuditChainSettler.class);
    /** How old the row after a missing index must be before the missing index may count as settled. */
    static final Duration DEFAULT_INSERT_MARGIN = Duration.ofSeconds(5);
    /** Tolerance between a writing transaction's start and the insert of the row after the index it holds. */
    static final Duration WRITER_MARGIN = Duration.ofSeconds(1);

    private final DataSource dataSource;
    private final AuditChainWriter writer;
    private final Duration interval;
    private final Duration insertMargin;
    private ScheduledExecutorService timer;

    public AuditChainSettler(DataSource dataSource, AuditChainWriter writer, Duration interval) {
        this(dataSource, writer, interval, DEFAULT_INSERT_MARGIN);
    }

    AuditChainSettler(DataSource dataSource, AuditChainWriter writer, Duration interval, Duration insertMargin) {
        this.dataSource = dataSource;
        this.writer = writer;
        this.interval = interval;
        this.insertMargin = insertMargin;
    }

    /** One round; returns how many rows it chained. */
    public int settle(Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                // First, before the rows are read: which transactions were writing (pg_stat_activity is read once per transaction).
                Timestamp oldestWriter;
                Timestamp dbNow;
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT min(a.xact_start), clock_timestamp() "
                        + "FROM pg_stat_activity a WHERE a.datname = current_database() AND a.pid <> pg_backend_pid() AND a.backend_xid IS NOT NULL")) {
                    rs.next();
                    oldestWriter = rs.getTimestamp(1);
                    dbNow = rs.getTimestamp(2);
                }
                long chained = single(c, "SELECT coalesce(max(global_index), 0) FROM audit_chain");
                long head = single(c, "SELECT coalesce(max(global_index), 0) FROM domain_event_entry");
                int n = 0;
                if (head > chained) {
                    long upTo = Math.min(head, chained + AuditChainWriter.MAX_ROWS_PER_CATCH_UP);
                    TreeSet<Long> open = new TreeSet<>();
                    try (PreparedStatement ps = c.prepareStatement("SELECT s.i, (SELECT e.inserted_at FROM domain_event_entry e "
                            + "WHERE e.global_index > s.i ORDER BY e.global_index LIMIT 1) FROM generate_series(?::bigint, ?::bigint) s(i) "
                            + "WHERE NOT EXISTS (SELECT 1 FROM domain_event_entry e WHERE e.global_index = s.i)")) {
                        ps.setLong(1, chained + 1);
                        ps.setLong(2, upTo);
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                if (!settled(rs.getTimestamp(2), oldestWriter, dbNow)) {
                                    open.add(rs.getLong(1));
                                }
                            }
                        }
                    }
                    n = writer.catchUp(c, new AuditHorizon(upTo, open, now.minus(AuditHorizon.DEFAULT_SETTLE_TIME)));
                }
                c.commit();
                return n;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /**
     * A missing index below a row inserted at {@code nextInsertedAt} can no longer fill when no
     * transaction that started before that insert was still writing (the one that took the missing
     * index started before the later row took its index), and the insert is older than the margin
     * (a transaction holds an index a moment before PostgreSQL lists it as writing). The same rule
     * as GapSafeJdbcEventStorageEngine's, on PostgreSQL's clock only. Rows without an insert time
     * predate the column: nothing that wrote them runs any more.
     */
    private boolean settled(Timestamp nextInsertedAt, Timestamp oldestWriter, Timestamp dbNow) {
        if (nextInsertedAt == null) {
            return true;
        }
        Instant inserted = nextInsertedAt.toInstant();
        boolean old = inserted.isBefore(dbNow.toInstant().minus(insertMargin));
        boolean noEarlierWriter = oldestWriter == null || oldestWriter.toInstant().isAfter(inserted.plus(WRITER_MARGIN));
        return old && noEarlierWriter;
    }

    private static long single(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public synchronized void start() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "etat-audit-chain-settler");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> {
            try {
                settle(Instant.now());
            } catch (Exception e) {
                LOG.debug("audit chain settle round failed (retried in {}): {}", interval, e.toString());
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return timer != null;
    }
}
