package org.etat.ledger.audit;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The canonical bytes of one raw event row: what the audit chain hashes. This layout is a
 * published contract (an outside verifier reimplements it); never change it, add a new version.
 *
 * <pre>
 * version 1 ("EAC1"):
 *   tag                4 bytes  ASCII "EAC1"
 *   globalSequence     8 bytes  signed, big-endian
 *   eventId            string
 *   aggregateType      string or absent
 *   aggregateId        string or absent
 *   aggregateSequence  8 bytes  signed, big-endian
 *   payloadType        string
 *   payloadRevision    string or absent
 *   payload            bytes
 *   metadata           bytes or absent
 *   timestamp          string   (the text as stored, e.g. "2024-03-01T10:15:30.123Z")
 *
 *   string / bytes = 4-byte big-endian length n, then n bytes (strings as UTF-8)
 *   absent         = length -1 (0xFFFFFFFF), no bytes; distinct from the empty string (length 0)
 * </pre>
 *
 * Length prefixes make the encoding injective: no two different rows have the same bytes, so
 * moving a byte from one field to the next changes the hash. The first byte of the tag ('E',
 * 0x45) also separates leaf hashes from the interior nodes of a future Merkle tree, whose
 * preimages will start with 0x01 (as in RFC 6962).
 */
public final class CanonicalEncoding {
    public static final String VERSION_TAG = "EAC1";
    /** A stored field longer than this is refused rather than hashed (Axon rows are far smaller). */
    public static final int MAX_FIELD_BYTES = 64 * 1024 * 1024;

    private CanonicalEncoding() {
    }

    public static byte[] encode(RawEventRow row) {
        byte[] payload = row.payloadShared();
        byte[] metadata = row.metadataShared();
        byte[] eventId = utf8(row.eventId());
        byte[] aggregateType = utf8(row.aggregateType());
        byte[] aggregateId = utf8(row.aggregateId());
        byte[] payloadType = utf8(row.payloadType());
        byte[] payloadRevision = utf8(row.payloadRevision());
        byte[] timestamp = utf8(row.timestamp());
        // Exact size first, then one array: the verifier encodes every event of the log.
        long size = 4L + 8 + field(eventId) + field(aggregateType) + field(aggregateId) + 8 + field(payloadType)
                + field(payloadRevision) + field(payload) + field(metadata) + field(timestamp);
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(size)); // big-endian
        out.put(TAG);
        out.putLong(row.globalSequence());
        put(out, eventId);
        put(out, aggregateType);
        put(out, aggregateId);
        out.putLong(row.aggregateSequence());
        put(out, payloadType);
        put(out, payloadRevision);
        put(out, payload);
        put(out, metadata);
        put(out, timestamp);
        return out.array();
    }

    private static final byte[] TAG = VERSION_TAG.getBytes(StandardCharsets.US_ASCII);

    private static byte[] utf8(String value) {
        return value == null ? null : value.getBytes(StandardCharsets.UTF_8);
    }

    private static long field(byte[] value) {
        if (value == null) {
            return 4;
        }
        if (value.length > MAX_FIELD_BYTES) {
            throw new IllegalArgumentException("a field of " + value.length + " bytes exceeds the limit of " + MAX_FIELD_BYTES);
        }
        return 4L + value.length;
    }

    private static void put(ByteBuffer out, byte[] value) {
        if (value == null) {
            out.putInt(-1);
            return;
        }
        out.putInt(value.length);
        out.put(value);
    }
}
