package org.etat.ledger.recording;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
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

    public LedgerMetadataInterceptor(RecordingClock clock) {
        this.clock = clock;
    }

    @Override
    public BiFunction<Integer, EventMessage<?>, EventMessage<?>> handle(List<? extends EventMessage<?>> messages) {
        Map<String, Object> common = new HashMap<>();
        String recordedAt;
        if (CurrentUnitOfWork.isStarted()) {
            UnitOfWork<?> root = CurrentUnitOfWork.get().root();
            recordedAt = root.getOrComputeResource(RECORDED_AT_RESOURCE, k -> clock.next().toString());
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
