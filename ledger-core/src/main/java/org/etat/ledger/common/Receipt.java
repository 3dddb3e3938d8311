package org.etat.ledger.common;

import java.util.List;
import java.util.Map;

/**
 * What a successful command returns, and what a retry with the same request id returns again: the
 * ids of the events it recorded and each touched line's available amount afterwards.
 */
public record Receipt(List<String> eventIds, Map<String, Long> availableCentsByLine) {
    public Receipt {
        eventIds = List.copyOf(eventIds);
        availableCentsByLine = Map.copyOf(availableCentsByLine);
    }
}
