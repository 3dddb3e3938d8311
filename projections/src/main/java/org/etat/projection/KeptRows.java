package org.etat.projection;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Tuples encoded for a binary COPY ({@link BinaryRows} without header), kept in memory until they
 * can be written complete ({@link BulkProjector}: expenditures with the reversal flags known only
 * once the whole log is read). Stored back to back in
 * chunks of {@value #CHUNK_BYTES} bytes, each tuple behind its 32-bit length; a tuple is named by
 * its address (chunk index in the high half, offset in the low half). The chunks are large enough
 * for the garbage collector to allocate them outside the young generation, so they are never copied.
 * Not thread-safe.
 */
final class KeptRows {

    static final int CHUNK_BYTES = 8 << 20;

    private final List<byte[]> chunks = new ArrayList<>();
    private byte[] chunk;
    private int used;
    private long bytes;
    private int count;

    /** Keeps a tuple; returns its address. */
    long add(byte[] data, int from, int length) {
        if (chunk == null || used + 4 + length > chunk.length) {
            chunk = new byte[Math.max(CHUNK_BYTES, 4 + length)];
            chunks.add(chunk);
            used = 0;
        }
        long address = ((long) (chunks.size() - 1) << 32) | used;
        chunk[used++] = (byte) (length >>> 24);
        chunk[used++] = (byte) (length >>> 16);
        chunk[used++] = (byte) (length >>> 8);
        chunk[used++] = (byte) length;
        System.arraycopy(data, from, chunk, used, length);
        used += length;
        bytes += 4L + length;
        count++;
        return address;
    }

    /** Bytes kept (with the length words). */
    long bytes() {
        return bytes;
    }

    int count() {
        return count;
    }

    /** Addresses of every tuple in the order they were kept. */
    long[] addresses() {
        long[] all = new long[count];
        int n = 0;
        for (int i = 0; i < chunks.size(); i++) {
            byte[] c = chunks.get(i);
            int end = i == chunks.size() - 1 ? used : c.length;
            // A tuple is never empty (its field count alone is two bytes): a zero length is a chunk's unused tail.
            for (int at = 0; at + 4 <= end && length(c, at) > 0; at += 4 + length(c, at)) {
                all[n++] = ((long) i << 32) | at;
            }
        }
        return all;
    }

    private static int length(byte[] c, int at) {
        return ((c[at] & 0xFF) << 24) | ((c[at + 1] & 0xFF) << 16) | ((c[at + 2] & 0xFF) << 8) | (c[at + 3] & 0xFF);
    }

    /** Frees the memory (after the rows were written). */
    void clear() {
        chunks.clear();
        chunk = null;
        used = 0;
        bytes = 0;
        count = 0;
    }

    /**
     * One binary COPY of kept tuples, staged in a buffer of its own so the server gets large
     * messages, not one per tuple.
     */
    static final class Out implements AutoCloseable {
        private static final int STAGE_BYTES = 1 << 20;
        private final CopyIn in;
        private final byte[] stage = new byte[STAGE_BYTES];
        private int staged;
        private final BinaryRows extra = new BinaryRows(64, false);

        Out(Connection c, String sql) throws SQLException {
            in = c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
            put(BinaryRows.header(), 0, BinaryRows.header().length);
        }

        /** Writes the tuple at {@code address} of {@code rows}. */
        void tuple(KeptRows rows, long address) throws SQLException {
            byte[] c = rows.chunks.get((int) (address >>> 32));
            int at = (int) address;
            put(c, at + 4, length(c, at));
        }

        /** A builder for fields written after the current tuple's kept ones (cleared per use). */
        BinaryRows extra() {
            extra.clear();
            return extra;
        }

        /** Writes what {@link #extra} built. */
        void putExtra() throws SQLException {
            put(extra.array(), 0, extra.length());
        }

        private void put(byte[] data, int from, int length) throws SQLException {
            if (staged + length > stage.length) {
                flush();
            }
            if (length > stage.length) {
                in.writeToCopy(data, from, length);
                return;
            }
            System.arraycopy(data, from, stage, staged, length);
            staged += length;
        }

        private void flush() throws SQLException {
            if (staged > 0) {
                in.writeToCopy(stage, 0, staged);
                staged = 0;
            }
        }

        /** Ends the COPY; returns the rows the server took. */
        long end() throws SQLException {
            put(new byte[] {(byte) 0xFF, (byte) 0xFF}, 0, 2);
            flush();
            return in.endCopy();
        }

        @Override
        public void close() throws SQLException {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
    }
}
