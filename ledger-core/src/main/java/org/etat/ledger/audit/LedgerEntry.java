package org.etat.ledger.audit;

import java.util.Map;
import java.util.Objects;

/** One event of the log, deserialized: its position, id, payload object and metadata. */
public record LedgerEntry(long globalSequence, String eventId, Object payload, Map<String, ?> metadata) {
    public LedgerEntry {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(payload, "payload");
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}
