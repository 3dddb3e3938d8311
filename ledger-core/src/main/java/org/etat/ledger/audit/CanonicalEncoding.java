package org.etat.ledger.audit;

import java.io.ByteArrayOutputStream;
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
        byte[] payload = row.payload();
        byte[] metadata = row.metadata();
        ByteArrayOutputStream out = new ByteArrayOutputStream(128 + payload.length + (metadata == null ? 0 : metadata.length));
        out.writeBytes(VERSION_TAG.getBytes(StandardCharsets.US_ASCII));
        writeLong(out, row.globalSequence());
        writeString(out, row.eventId());
        writeString(out, row.aggregateType());
        writeString(out, row.aggregateId());
        writeLong(out, row.aggregateSequence());
        writeString(out, row.payloadType());
        writeString(out, row.payloadRevision());
        writeBytes(out, payload);
        writeBytes(out, metadata);
        writeString(out, row.timestamp());
        return out.toByteArray();
    }

    private static void writeString(ByteArrayOutputStream out, String value) {
        writeBytes(out, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    private static void writeBytes(ByteArrayOutputStream out, byte[] value) {
        if (value == null) {
            writeInt(out, -1);
            return;
        }
        if (value.length > MAX_FIELD_BYTES) {
            throw new IllegalArgumentException("a field of " + value.length + " bytes exceeds the limit of " + MAX_FIELD_BYTES);
        }
        writeInt(out, value.length);
        out.writeBytes(value);
    }

    private static void writeInt(ByteArrayOutputStream out, int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
    }

    private static void writeLong(ByteArrayOutputStream out, long v) {
        writeInt(out, (int) (v >>> 32));
        writeInt(out, (int) v);
    }
}
