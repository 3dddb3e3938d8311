package org.etat.ledger.recording;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.etat.ledger.common.LedgerMetadata;
import org.etat.ledger.common.LineEvent;

/**
 * Stamps every event on its way into the store (register it on the event bus, which calls it when
 * the unit of work prepares to commit):
 * <ul>
 *   <li>{@code recordedAt}: one instant per unit of work from the {@link RecordingClock}, overriding
 *       anything a client may have sent;</li>
 *   <li>{@code effectiveDate}: the payload's {@link LineEvent#effectiveDate()};</li>
 *   <li>{@code principal} and {@code requestId}: copied from the command by a correlation data
 *       provider when the event is created; set again from the command here, so that metadata an
 *       entry carries (e.g. a batch entry's provenance) cannot claim another principal or request.</li>
 * </ul>
 */
public final class LedgerMetadataInterceptor implements MessageDispatchInterceptor<EventMessage<?>> {

    private static final String RECORDED_AT_RESOURCE = LedgerMetadataInterceptor.class.getName() + ".recordedAt";

    private final RecordingClock clock;
    private final PreviousRecordedAt previous;

    public LedgerMetadataInterceptor(RecordingClock clock) {
        this(clock, PreviousRecordedAt.NONE);
    }

    /** With {@code previous}, recordedAt also never goes back along an aggregate, whatever this node's clock says. */
    public LedgerMetadataInterceptor(RecordingClock clock, PreviousRecordedAt previous) {
        this.clock = clock;
        this.previous = previous;
    }

    @Override
    public BiFunction<Integer, EventMessage<?>, EventMessage<?>> handle(List<? extends EventMessage<?>> messages) {
        Map<String, Object> common = new HashMap<>();
        String recordedAt;
        if (CurrentUnitOfWork.isStarted()) {
            UnitOfWork<?> root = CurrentUnitOfWork.get().root();
            recordedAt = root.getOrComputeResource(RECORDED_AT_RESOURCE, k -> stamp(root, messages));
            MetaData command = root.getMessage() == null ? MetaData.emptyInstance() : root.getMessage().getMetaData();
            copy(command, LedgerMetadata.PRINCIPAL, common);
            copy(command, LedgerMetadata.REQUEST_ID, common);
        } else {
            recordedAt = clock.next().toString();
        }
        return (index, event) -> {
            // Who and which request are the command's, whatever metadata an entry brought along.
            Map<String, Object> added = new HashMap<>(common);
            added.put(LedgerMetadata.RECORDED_AT, recordedAt);
            if (event.getPayload() instanceof LineEvent line && line.effectiveDate() != null) {
                added.put(LedgerMetadata.EFFECTIVE_DATE, line.effectiveDate().toString());
            }
            return event.andMetaData(added);
        };
    }

    /** One instant for the unit of work: after the previous event of every aggregate it appends to. */
    private String stamp(UnitOfWork<?> root, List<? extends EventMessage<?>> messages) {
        Map<String, long[]> sequences = new HashMap<>(); // aggregate -> {lowest, highest} sequence number appended here
        for (EventMessage<?> m : messages) {
            if (m instanceof DomainEventMessage<?> d && d.getAggregateIdentifier() != null) {
                sequences.merge(d.getAggregateIdentifier(), new long[] {d.getSequenceNumber(), d.getSequenceNumber()},
                        (a, b) -> new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
            }
        }
        Instant floor = null;
        for (Map.Entry<String, long[]> e : sequences.entrySet()) {
            if (e.getValue()[0] > 0) {
                Instant before = previous.of(e.getKey(), e.getValue()[0] - 1).orElse(null);
                if (before != null && (floor == null || before.isAfter(floor))) {
                    floor = before;
                }
            }
        }
        Instant at = clock.nextAfter(floor);
        root.afterCommit(u -> sequences.forEach((aggregate, seq) -> previous.committed(aggregate, seq[1], at)));
        return at.toString();
    }

    private static void copy(MetaData from, String key, Map<String, Object> to) {
        Object value = from.get(key);
        if (value != null) {
            to.put(key, value);
        }
    }

    /** Parses a stored {@code recordedAt}. */
    public static Instant recordedAt(MetaData metaData) {
        Object value = metaData.get(LedgerMetadata.RECORDED_AT);
        return value == null ? null : Instant.parse(value.toString());
    }
}
