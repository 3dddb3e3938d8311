package org.etat.ledger.recording;

import java.time.Instant;
import java.util.Optional;

/**
 * Port: when an aggregate's earlier event was recorded. Lets {@link LedgerMetadataInterceptor} keep
 * recordedAt increasing along every line even when the nodes' clocks disagree: a node whose clock is
 * behind records the line's next entry just after its previous one, not before it.
 */
public interface PreviousRecordedAt {

    /** recordedAt of the aggregate's event with this sequence number, if stored. */
    Optional<Instant> of(String aggregateId, long sequenceNumber);

    /** Called after a commit: the aggregate's event with this sequence number was recorded at {@code at}. */
    default void committed(String aggregateId, long sequenceNumber, Instant at) {
    }

    /** No floor: the JVM-monotonic clock alone (one node, or tests). */
    PreviousRecordedAt NONE = (aggregateId, sequenceNumber) -> Optional.empty();
}
