package org.etat.app.projection;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.etat.ledger.common.LedgerMetadata;
import org.etat.ledger.common.LineEvent;
import org.etat.projection.ProjectedEvent;
import org.etat.projection.ProjectionException;
import org.etat.projection.Projector;
import org.springframework.jdbc.datasource.DataSourceUtils;

/**
 * Feeds the read models from an Axon pooled streaming processor. Axon hands a batch of events to
 * one unit of work; each event is turned into a {@link ProjectedEvent} and collected there, and the
 * whole batch is written when the unit of work prepares to commit, on the connection of Axon's
 * Spring transaction: the read models and the processor's token commit together or not at all.
 */
@ProcessingGroup(ProjectionConfiguration.PROCESSING_GROUP)
public class ReadModelProjection {

    private static final String BATCH_RESOURCE = ReadModelProjection.class.getName() + ".batch";

    private final DataSource dataSource;
    private final Projector projector;

    public ReadModelProjection(DataSource dataSource, Projector projector) {
        this.dataSource = dataSource;
        this.projector = projector;
    }

    @EventHandler
    public void on(Object payload, EventMessage<?> message) {
        ProjectedEvent event = toProjected(payload, message);
        UnitOfWork<?> unitOfWork = CurrentUnitOfWork.get().root();
        List<ProjectedEvent> batch = unitOfWork.getOrComputeResource(BATCH_RESOURCE, key -> {
            List<ProjectedEvent> events = new ArrayList<>();
            unitOfWork.onPrepareCommit(u -> flush(events));
            return events;
        });
        batch.add(event);
    }

    private void flush(List<ProjectedEvent> batch) {
        Connection c = DataSourceUtils.getConnection(dataSource);
        try {
            projector.project(c, batch);
        } catch (SQLException e) {
            throw new ProjectionException("cannot project a batch of " + batch.size() + " events", e);
        } finally {
            DataSourceUtils.releaseConnection(c, dataSource);
        }
    }

    /** Position, id, recording instant, booking date and principal of an event Axon delivers. */
    static ProjectedEvent toProjected(Object payload, EventMessage<?> message) {
        if (!(message instanceof TrackedEventMessage<?> tracked) || tracked.trackingToken().position().isEmpty()) {
            throw new ProjectionException("event " + message.getIdentifier() + " has no position in the log", null);
        }
        return toProjected(tracked.trackingToken().position().getAsLong(), message.getIdentifier(), payload, message.getMetaData(),
                message.getTimestamp());
    }

    /**
     * The same for an event read from the store directly (a rebuild): the ledger's {@code recordedAt}
     * and {@code effectiveDate} metadata win over Axon's timestamp and the payload's date.
     */
    public static ProjectedEvent toProjected(long globalIndex, String eventId, Object payload, Map<String, ?> meta, Instant storedAt) {
        Object recorded = meta.get(LedgerMetadata.RECORDED_AT);
        Instant recordedAt = recorded == null ? storedAt : Instant.parse(recorded.toString());
        Object effective = meta.get(LedgerMetadata.EFFECTIVE_DATE);
        LocalDate effectiveDate = effective != null ? LocalDate.parse(effective.toString())
                : payload instanceof LineEvent line ? line.effectiveDate() : null;
        Object principal = meta.get(LedgerMetadata.PRINCIPAL);
        Map<String, String> metadata = new HashMap<>();
        meta.forEach((k, v) -> {
            if (v != null) {
                metadata.put(k, v.toString());
            }
        });
        return new ProjectedEvent(globalIndex, eventId, payload, recordedAt, effectiveDate, principal == null ? null : principal.toString(),
                metadata);
    }
}
