package org.etat.app.audit;

import org.etat.app.axon.DerivedCommit;
import org.etat.app.axon.ReadSideLinger;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.jdbc.datasource.DataSourceUtils;

/**
 * Writes the audit chain as events commit. A single-segment, single-thread tracking processor
 * ({@link AuditConfiguration}) sees every event; just before a batch commits it chains the raw
 * rows up to the batch's last token, stopping before a young open gap ({@link AuditHorizon}). The
 * links are written in the processor's transaction, so they commit together with its token.
 * Never replayed: a chain is extended, not rebuilt.
 */
@ProcessingGroup(AuditConfiguration.PROCESSING_GROUP)
public class AuditChainProcessor {
    private static final String TOKEN_RESOURCE = AuditChainProcessor.class.getName() + ".token";

    private final DataSource dataSource;
    private final AuditChainWriter writer;

    private final ReadSideLinger linger;

    public AuditChainProcessor(DataSource dataSource, AuditChainWriter writer, ReadSideLinger linger) {
        this.dataSource = dataSource;
        this.writer = writer;
        this.linger = linger;
    }

    @EventHandler
    @DisallowReplay
    public void on(Object event, TrackingToken token) {
        UnitOfWork<?> batch = CurrentUnitOfWork.get().root();
        AtomicReference<TrackingToken> latest = batch.getOrComputeResource(TOKEN_RESOURCE, key -> {
            AtomicReference<TrackingToken> t = new AtomicReference<>();
            batch.onPrepareCommit(u -> chainUpTo(AuditHorizon.of(t.get(), Instant.now(), AuditHorizon.DEFAULT_SETTLE_TIME)));
            linger.afterCommit(batch, () -> batch instanceof BatchingUnitOfWork<?> b ? b.getMessages().size() : 1);
            return t;
        });
        // Tokens within a batch only advance, so the last one covers the batch.
        latest.set(token);
    }

    private void chainUpTo(AuditHorizon horizon) {
        Connection c = DataSourceUtils.getConnection(dataSource);
        try {
            DerivedCommit.withoutWaitingForDisk(c);
            writer.catchUp(c, horizon);
        } catch (SQLException e) {
            throw new IllegalStateException("writing the audit chain up to global index " + horizon.upToInclusive() + " failed", e);
        } finally {
            DataSourceUtils.releaseConnection(c, dataSource);
        }
    }
}
