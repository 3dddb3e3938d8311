package org.etat.ledger.correction;

import java.util.Optional;

/** Finds a recorded event by its id, in the event store. */
public interface EntryLocator {

    Optional<LocatedEntry> locate(String eventId);

    /** A recorded event: its id, the line (aggregate) it belongs to, and its payload. */
    record LocatedEntry(String eventId, String lineId, Object payload) {
    }
}
