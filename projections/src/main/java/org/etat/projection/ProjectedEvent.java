package org.etat.projection;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;

/**
 * One recorded event as the projections consume it, whatever delivers it (an Axon streaming
 * processor, a Kafka consumer, a rebuild reading the store).
 *
 * @param globalSequence the event's position in the whole log
 * @param effectiveDate  the booking date on which it takes effect (may be null for events without one)
 * @param recordedAt     when the ledger recorded it (the "known at" time axis)
 */
public record ProjectedEvent(
        long globalSequence,
        String eventId,
        Object payload,
        Instant recordedAt,
        LocalDate effectiveDate,
        String principal,
        Map<String, String> metadata) {

    public ProjectedEvent {
        if (eventId == null || eventId.isBlank()) {
            throw new IllegalArgumentException("eventId is required");
        }
        if (recordedAt == null) {
            throw new IllegalArgumentException("recordedAt is required for event " + eventId);
        }
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}
