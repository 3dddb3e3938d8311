package org.etat.ledger.audit;

import java.util.Objects;

/**
 * One event exactly as the event store holds it (a row of {@code domain_event_entry}): no
 * deserialization, so what is hashed is what is stored. Payload and metadata are the stored bytes
 * (JSON written by Axon's Jackson serializer); the timestamp is the stored text.
 *
 * <p>{@code aggregateId}, {@code aggregateSequence}, {@code payloadRevision} and {@code metadata}
 * may be absent in the store; absence is encoded distinctly from empty (see {@link CanonicalEncoding}).
 */
public record RawEventRow(
        long globalSequence,
        String eventId,
        String aggregateType,
        String aggregateId,
        long aggregateSequence,
        String payloadType,
        String payloadRevision,
        byte[] payload,
        byte[] metadata,
        String timestamp) {

    public RawEventRow {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(payloadType, "payloadType");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(timestamp, "timestamp");
        payload = payload.clone();
        metadata = metadata == null ? null : metadata.clone();
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    @Override
    public byte[] metadata() {
        return metadata == null ? null : metadata.clone();
    }

    /** The stored bytes without a copy, for the encoder in this package (which only reads them). */
    byte[] payloadShared() {
        return payload;
    }

    byte[] metadataShared() {
        return metadata;
    }

    /** The same row with other payload bytes (for corrections of test data, never of the log). */
    public RawEventRow withPayload(byte[] otherPayload) {
        return new RawEventRow(globalSequence, eventId, aggregateType, aggregateId, aggregateSequence, payloadType,
                payloadRevision, otherPayload, metadata, timestamp);
    }

    public RawEventRow withMetadata(byte[] otherMetadata) {
        return new RawEventRow(globalSequence, eventId, aggregateType, aggregateId, aggregateSequence, payloadType,
                payloadRevision, payload, otherMetadata, timestamp);
    }

    public RawEventRow withGlobalSequence(long otherSequence) {
        return new RawEventRow(otherSequence, eventId, aggregateType, aggregateId, aggregateSequence, payloadType,
                payloadRevision, payload, metadata, timestamp);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RawEventRow r
                && globalSequence == r.globalSequence
                && aggregateSequence == r.aggregateSequence
                && eventId.equals(r.eventId)
                && Objects.equals(aggregateType, r.aggregateType)
                && Objects.equals(aggregateId, r.aggregateId)
                && payloadType.equals(r.payloadType)
                && Objects.equals(payloadRevision, r.payloadRevision)
                && java.util.Arrays.equals(payload, r.payload)
                && java.util.Arrays.equals(metadata, r.metadata)
                && timestamp.equals(r.timestamp);
    }

    @Override
    public int hashCode() {
        return Objects.hash(globalSequence, eventId, aggregateSequence);
    }

    @Override
    public String toString() {
        return "RawEventRow[" + globalSequence + ", " + eventId + ", " + payloadType + "]";
    }
}
