package org.etat.ledger.conservation;

/** One event as the log holds it: its id, its global position, and its payload. */
public record RecordedEvent(String eventId, long globalSequence, Object payload) {
}
