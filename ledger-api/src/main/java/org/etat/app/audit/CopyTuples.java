package org.etat.app.audit;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A cursor over the tuples of a {@link BinaryCopyStream}: {@link #next()} moves to the next tuple
 * and exposes its fields in place (offsets into the chunk), without building objects. Not thread-safe.
 */
public final class CopyTuples {
    private final BinaryCopyStream stream;
    private final int fields;
    /** at[i]: offset of field i's length prefix in {@link #data}; at[fields]: the end of the tuple. */
    private final int[] at;
    private byte[] data = new byte[0];
    private int position;
    private int chunkEnd;
    private long count;

    private final boolean recycle;

    public CopyTuples(BinaryCopyStream stream) {
        this(stream, false);
    }

    /**
     * @param recycle give each chunk's buffer back to the stream on moving past it: only for a
     *                caller that keeps nothing of {@link #data()} beyond the current tuple
     */
    public CopyTuples(BinaryCopyStream stream, boolean recycle) {
        this.stream = stream;
        this.fields = stream.fieldCount();
        this.at = new int[fields + 1];
        this.recycle = recycle;
    }

    /** Moves to the next tuple; false at the end of the stream. */
    public boolean next() {
        if (position >= chunkEnd) {
            BinaryCopyStream.Chunk chunk = stream.take();
            if (recycle && data.length > 0) {
                stream.recycle(data);
                data = new byte[0];
            }
            if (chunk == null) {
                return false;
            }
            data = chunk.data();
            position = chunk.from();
            chunkEnd = chunk.to();
        }
        // The reader checked the field count and every length; the tuple is whole.
        int p = position + 2;
        for (int i = 0; i < fields; i++) {
            at[i] = p;
            int n = (int) BinaryCopyStream.INT.get(data, p);
            p += 4 + Math.max(n, 0);
        }
        at[fields] = p;
        position = p;
        count++;
        return true;
    }

    /** Tuples read so far. */
    public long count() {
        return count;
    }

    public byte[] data() {
        return data;
    }

    /** Offset of field i's 4-byte length prefix; {@code prefix(fields)} is the end of the tuple. */
    int prefix(int field) {
        return at[field];
    }

    /** The field's length in bytes, or -1 for NULL. */
    public int length(int field) {
        return (int) BinaryCopyStream.INT.get(data, at[field]);
    }

    /** Offset of the field's first byte. */
    public int start(int field) {
        return at[field] + 4;
    }

    /** A bigint field; 0 for NULL, as {@code ResultSet.getLong} reads it. */
    public long int8(int field) {
        int n = length(field);
        if (n == -1) {
            return 0;
        }
        if (n != 8) {
            throw new IllegalStateException("field " + field + " is not a bigint: " + n + " bytes");
        }
        return (long) BinaryCopyStream.LONG.get(data, start(field));
    }

    /** A text field decoded from UTF-8 (the connection's client encoding), null for NULL. */
    public String text(int field) {
        int n = length(field);
        return n < 0 ? null : new String(data, start(field), n, StandardCharsets.UTF_8);
    }

    /** A bytea field's bytes (a copy), null for NULL. */
    byte[] bytes(int field) {
        int n = length(field);
        return n < 0 ? null : Arrays.copyOfRange(data, start(field), start(field) + n);
    }

    /** Whether field {@code field} here and field {@code otherField} of the other cursor's tuple hold the same bytes (NULL equals NULL). */
    boolean sameBytes(int field, CopyTuples other, int otherField) {
        int n = length(field);
        if (n != other.length(otherField)) {
            return false;
        }
        return n <= 0 || Arrays.equals(data, start(field), start(field) + n, other.data, other.start(otherField), other.start(otherField) + n);
    }
}
