package org.etat.app.projection;

import org.etat.app.axon.DerivedCommit;
import org.etat.app.axon.ReadSideLinger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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

    private final ReadSideLinger linger;

    public ReadModelProjection(DataSource dataSource, Projector projector, ReadSideLinger linger) {
        this.dataSource = dataSource;
        this.projector = projector;
        this.linger = linger;
    }

    @EventHandler
    public void on(Object payload, EventMessage<?> message) {
        ProjectedEvent event = toProjected(payload, message);
        UnitOfWork<?> unitOfWork = CurrentUnitOfWork.get().root();
        List<ProjectedEvent> batch = unitOfWork.getOrComputeResource(BATCH_RESOURCE, key -> {
            List<ProjectedEvent> events = new ArrayList<>();
            unitOfWork.onPrepareCommit(u -> flush(events));
            linger.afterCommit(unitOfWork, events::size);
            return events;
        });
        batch.add(event);
    }

    private void flush(List<ProjectedEvent> batch) {
        Connection c = DataSourceUtils.getConnection(dataSource);
        try {
            DerivedCommit.withoutWaitingForDisk(c);
            projector.project(c, withOwnPositions(c, batch));
        } catch (SQLException e) {
            throw new ProjectionException("cannot project a batch of " + batch.size() + " events", e);
        } finally {
            DataSourceUtils.releaseConnection(c, dataSource);
        }
    }

    /**
     * The events with their own global index. A gap-aware token's position is the highest index the
     * processor has seen, so an event that fills a gap (it committed after a higher index did, which
     * concurrent writers do all the time) would be projected under that higher index: the live read
     * models would then differ from a rebuild (found by the fault suite, docs/faults.md).
     */
    private static List<ProjectedEvent> withOwnPositions(Connection c, List<ProjectedEvent> batch) throws SQLException {
        Map<String, Long> positions = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT event_identifier, global_index FROM domain_event_entry WHERE event_identifier = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("varchar", batch.stream().map(ProjectedEvent::eventId).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    positions.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        List<ProjectedEvent> own = new ArrayList<>(batch.size());
        for (ProjectedEvent e : batch) {
            Long position = positions.get(e.eventId());
            own.add(position == null || position == e.globalSequence() ? e
                    : new ProjectedEvent(position, e.eventId(), e.payload(), e.recordedAt(), e.effectiveDate(), e.principal(), e.metadata()));
        }
        return own;
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
        Instant recordedAt = recorded == null ? storedAt : instant(recorded.toString());
        Object effective = meta.get(LedgerMetadata.EFFECTIVE_DATE);
        LocalDate effectiveDate = effective != null ? date(effective.toString())
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

    /**
     * {@link Instant#parse} for what {@link Instant#toString} writes in this century's years
     * ({@code 2024-01-02T08:00:00Z}, optionally with a fraction of 1-9 digits), without building a
     * formatter per call (JDK 17's parser does: about half the time of decoding a stored event);
     * anything else goes to {@link Instant#parse}.
     */
    public static Instant instant(String s) {
        int n = s.length();
        if (n < 20 || n > 30 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
                || s.charAt(16) != ':' || s.charAt(n - 1) != 'Z' || (n > 20 && (s.charAt(19) != '.' || n == 21))) {
            return Instant.parse(s);
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 7);
        int day = digits(s, 8, 10);
        int hour = digits(s, 11, 13);
        int minute = digits(s, 14, 16);
        int second = digits(s, 17, 19);
        int nanos = 0;
        if (n > 20) {
            int fraction = digits(s, 20, n - 1);
            nanos = fraction < 0 ? -1 : fraction * POWERS[9 - (n - 21)];
        }
        if (year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 || nanos < 0) {
            return Instant.parse(s);
        }
        long days = LocalDate.of(year, month, day).toEpochDay(); // refuses a day the month lacks, as parse does
        return Instant.ofEpochSecond(days * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
    }

    /** {@link LocalDate#parse} for {@code yyyy-MM-dd}, without a formatter; anything else goes to it. */
    public static LocalDate date(String s) {
        if (s.length() == 10 && s.charAt(4) == '-' && s.charAt(7) == '-') {
            int year = digits(s, 0, 4);
            int month = digits(s, 5, 7);
            int day = digits(s, 8, 10);
            if (year >= 0 && month >= 0 && day >= 0) {
                return LocalDate.of(year, month, day);
            }
        }
        return LocalDate.parse(s);
    }

    private static final int[] POWERS = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000};

    /** The decimal number in {@code s[from, to)}, or -1 if a character is not an ASCII digit. */
    private static int digits(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
