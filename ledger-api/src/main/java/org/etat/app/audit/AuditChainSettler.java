package org.etat.app.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
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
 * write (found by the fault suite, docs/faults.md). Every {@code interval} this treats every missing
 * index after the chain's head as an open gap and chains by the processor's own rule (a gap is
 * passed once the row after it is older than the settle time), under the writer's advisory lock.
 */
public final class AuditChainSettler implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(AuditChainSettler.class);

    private final DataSource dataSource;
    private final AuditChainWriter writer;
    private final Duration interval;
    private ScheduledExecutorService timer;

    public AuditChainSettler(DataSource dataSource, AuditChainWriter writer, Duration interval) {
        this.dataSource = dataSource;
        this.writer = writer;
        this.interval = interval;
    }

    /** One round; returns how many rows it chained. */
    public int settle(Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                long chained = single(c, "SELECT coalesce(max(global_index), 0) FROM audit_chain");
                long head = single(c, "SELECT coalesce(max(global_index), 0) FROM domain_event_entry");
                int n = 0;
                if (head > chained) {
                    long upTo = Math.min(head, chained + AuditChainWriter.MAX_ROWS_PER_CATCH_UP);
                    TreeSet<Long> missing = new TreeSet<>();
                    try (PreparedStatement ps = c.prepareStatement("SELECT s.i FROM generate_series(?::bigint, ?::bigint) s(i) "
                            + "WHERE NOT EXISTS (SELECT 1 FROM domain_event_entry e WHERE e.global_index = s.i)")) {
                        ps.setLong(1, chained + 1);
                        ps.setLong(2, upTo);
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                missing.add(rs.getLong(1));
                            }
                        }
                    }
                    n = writer.catchUp(c, new AuditHorizon(upTo, missing, now.minus(AuditHorizon.DEFAULT_SETTLE_TIME)));
                }
                c.commit();
                return n;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
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
