package org.etat.app.audit;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.jdbc.datasource.DataSourceUtils;

/**
 * Writes the audit chain as events commit. A single-segment, single-thread tracking processor
 * ({@link AuditConfiguration}) sees every event; per batch it raises the settled horizon
 * ({@link AuditHorizon}) and, just before the batch commits, chains the raw rows up to it. The
 * links are written in the processor's transaction, so they commit together with its token.
 * Never replayed: a chain is extended, not rebuilt.
 */
@ProcessingGroup(AuditConfiguration.PROCESSING_GROUP)
public class AuditChainProcessor {
    private static final String HORIZON_RESOURCE = AuditChainProcessor.class.getName() + ".horizon";

    private final DataSource dataSource;
    private final AuditChainWriter writer;

    public AuditChainProcessor(DataSource dataSource, AuditChainWriter writer) {
        this.dataSource = dataSource;
        this.writer = writer;
    }

    @EventHandler
    @DisallowReplay
    public void on(Object event, TrackingToken token) {
        long horizon = AuditHorizon.of(token);
        UnitOfWork<?> batch = CurrentUnitOfWork.get().root();
        AtomicLong highest = batch.getOrComputeResource(HORIZON_RESOURCE, key -> {
            AtomicLong h = new AtomicLong(Long.MIN_VALUE);
            batch.onPrepareCommit(u -> chainUpTo(h.get()));
            return h;
        });
        highest.accumulateAndGet(horizon, Math::max);
    }

    private void chainUpTo(long horizon) {
        Connection c = DataSourceUtils.getConnection(dataSource);
        try {
            writer.catchUp(c, horizon);
        } catch (SQLException e) {
            throw new IllegalStateException("writing the audit chain up to global index " + horizon + " failed", e);
        } finally {
            DataSourceUtils.releaseConnection(c, dataSource);
        }
    }
}
