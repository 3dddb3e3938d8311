package org.etat.app.audit;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;

/**
 * The rows of one {@code COPY (query) TO STDOUT (FORMAT binary)}, read on a thread of its own and
 * handed over in chunks of whole tuples (about {@link #CHUNK_BYTES} each, bounded queue). COPY sends
 * the stored bytes with a length prefix per field and no per-row protocol overhead; the reader only
 * finds the tuple boundaries, so the consumer gets the bytes exactly as PostgreSQL sent them.
 *
 * <p>Binary COPY format (PostgreSQL docs, "COPY ... File Formats"): an 11-byte signature, a 32-bit
 * flags field, a 32-bit header-extension length and that many bytes; then per tuple a 16-bit field
 * count and per field a 32-bit length (-1 for NULL) and the value's bytes (the type's binary send
 * format: text as bytes in the client encoding, bytea as is, bigint as 8 bytes big-endian); then a
 * 16-bit -1. All integers are big-endian.
 *
 * <p>The connection must be in a transaction that outlives the stream (the caller's snapshot).
 * Close the stream before the connection: close stops the reading thread and cancels an unfinished COPY.
 * Public for the read-model rebuild, which reads the log the same way ({@code StoredEvents#copy}).
 */
public final class BinaryCopyStream implements AutoCloseable {
    /**
     * A chunk is handed over once it holds this many bytes of whole tuples. Its buffer (twice that)
     * stays under half of G1's smallest region (1 MB), so it is not a humongous allocation.
     */
    static final int CHUNK_BYTES = 192 * 1024;
    static final int CHUNKS_AHEAD = 8;
    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0};
    private static final int HEADER_BYTES = SIGNATURE.length + 4 + 4;
    static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);

    /** Whole tuples in {@code data[from, to)}. */
    record Chunk(byte[] data, int from, int to) {
    }

    private final int fieldCount;
    private final CopyOut copy;
    private final Handoff<Chunk> chunks;
    /**
     * Buffers of chunks the consumer is done with ({@link #recycle}), for the reader to fill again:
     * a rebuild streams half a gigabyte through them, which would otherwise be new garbage every
     * few hundred kilobytes (and more young collections of everything else in flight).
     */
    private final java.util.concurrent.ArrayBlockingQueue<byte[]> free = new java.util.concurrent.ArrayBlockingQueue<>(CHUNKS_AHEAD + 2);

    /** Starts the COPY on {@code connection} (an error in the query surfaces here) and the reading thread. */
    public BinaryCopyStream(String name, Connection connection, String copySql, int fieldCount) throws SQLException {
        if (connection.getAutoCommit()) {
            throw new IllegalStateException("a COPY stream reads inside the caller's transaction: the connection is in auto-commit");
        }
        this.fieldCount = fieldCount;
        this.copy = connection.unwrap(PGConnection.class).getCopyAPI().copyOut(copySql);
        chunks = new Handoff<Chunk>(name, CHUNKS_AHEAD, this::read).start();
    }

    private void read(Handoff<Chunk> out) throws SQLException, InterruptedException {
        try {
            readAll(out);
        } finally {
            if (copy.isActive()) {
                try {
                    copy.cancelCopy();
                } catch (SQLException ignored) {
                    // the caller's rollback or close of the connection ends it anyway
                }
            }
        }
    }

    private void readAll(Handoff<Chunk> out) throws SQLException, InterruptedException {
        byte[] buffer = buffer();
        int length = 0;
        int from = -1; // where the chunk's first tuple starts; -1 until the header is read
        int parsed = 0; // end of the last whole tuple found
        boolean trailer = false;
        byte[] message;
        while (!out.closed() && (message = copy.readFromCopy()) != null) {
            if (trailer) {
                throw new SQLException("COPY sent data after its end marker");
            }
            if (length + message.length > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(2 * buffer.length, length + message.length));
            }
            System.arraycopy(message, 0, buffer, length, message.length);
            length += message.length;
            if (from < 0) {
                if (length < HEADER_BYTES) {
                    continue;
                }
                if (!Arrays.equals(buffer, 0, SIGNATURE.length, SIGNATURE, 0, SIGNATURE.length)) {
                    throw new SQLException("not a binary COPY stream");
                }
                int extension = (int) INT.get(buffer, SIGNATURE.length + 4);
                if (extension < 0 || length < HEADER_BYTES + extension) {
                    if (extension < 0) {
                        throw new SQLException("bad binary COPY header");
                    }
                    continue;
                }
                from = HEADER_BYTES + extension;
                parsed = from;
            }
            while (true) {
                int end = tupleEnd(buffer, parsed, length);
                if (end == INCOMPLETE) {
                    break;
                }
                if (end == TRAILER) {
                    trailer = true;
                    if (length != parsed + 2) {
                        throw new SQLException("COPY sent data after its end marker");
                    }
                    break;
                }
                parsed = end;
            }
            if (parsed - from >= CHUNK_BYTES) {
                out.put(new Chunk(buffer, from, parsed));
                byte[] next = length - parsed <= 2 * CHUNK_BYTES ? buffer() : new byte[length - parsed];
                System.arraycopy(buffer, parsed, next, 0, length - parsed);
                buffer = next;
                length -= parsed;
                from = 0;
                parsed = 0;
            }
        }
        if (out.closed()) {
            return;
        }
        if (!trailer) {
            throw new SQLException("COPY ended without its end marker");
        }
        if (parsed > from) {
            out.put(new Chunk(buffer, from, parsed));
        }
    }

    /** A recycled buffer of {@code 2 * CHUNK_BYTES}, or a new one. */
    private byte[] buffer() {
        byte[] b = free.poll();
        return b != null ? b : new byte[2 * CHUNK_BYTES];
    }

    /**
     * Gives a chunk's buffer back for reuse. Only a consumer that holds no reference into it any
     * more may call this ({@link CopyTuples} when asked to, on moving to the next chunk).
     */
    void recycle(byte[] data) {
        if (data.length == 2 * CHUNK_BYTES) {
            free.offer(data);
        }
    }

    private static final int INCOMPLETE = -1;
    private static final int TRAILER = -2;

    /** The end of the tuple starting at {@code at}, or INCOMPLETE if it is not all in {@code [at, length)}, or TRAILER. */
    private int tupleEnd(byte[] b, int at, int length) throws SQLException {
        if (length - at < 2) {
            return INCOMPLETE;
        }
        short fields = (short) SHORT.get(b, at);
        if (fields == -1) {
            return TRAILER;
        }
        if (fields != fieldCount) {
            throw new SQLException("a COPY tuple has " + fields + " fields, expected " + fieldCount);
        }
        int p = at + 2;
        for (int i = 0; i < fields; i++) {
            if (length - p < 4) {
                return INCOMPLETE;
            }
            int n = (int) INT.get(b, p);
            p += 4;
            if (n > 0) {
                if (length - p < n) {
                    return INCOMPLETE;
                }
                p += n;
            } else if (n < -1) {
                throw new SQLException("a COPY field has length " + n);
            }
        }
        return p;
    }

    /** The next chunk, or null after the last. */
    Chunk take() {
        return chunks.take();
    }

    int fieldCount() {
        return fieldCount;
    }

    @Override
    public void close() {
        chunks.close();
    }
}
