package org.etat.projection;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Tuples encoded for a binary COPY ({@link BinaryRows} without header), kept in memory until they
 * can be written complete and in key order ({@link BulkProjector}: expenditures with the reversal
 * flags known only once the whole log is read). Stored back to back in
 * chunks of {@value #CHUNK_BYTES} bytes, each tuple behind its 32-bit length; a tuple is named by
 * its address (chunk index in the high half, offset in the low half).
 *
 * <p>The chunks are outside the Java heap: hundreds of megabytes held for a whole rebuild would
 * otherwise be copied by every young collection until promoted (with the throughput collector a
 * rebuild runs on, young pauses of 200-400 ms, bench/README.md). {@link #clear} frees them at once;
 * chunks of a projector abandoned before that are freed when collected. Not thread-safe.
 */
final class KeptRows {

    static final int CHUNK_BYTES = 8 << 20;

    private final List<ByteBuffer> chunks = new ArrayList<>();
    private ByteBuffer chunk;
    private long bytes;
    private int count;

    /** Keeps a tuple; returns its address. */
    long add(byte[] data, int from, int length) {
        if (chunk == null || chunk.remaining() < 4 + length) {
            chunk = ByteBuffer.allocateDirect(Math.max(CHUNK_BYTES, 4 + length));
            chunks.add(chunk);
        }
        long address = ((long) (chunks.size() - 1) << 32) | chunk.position();
        chunk.putInt(length).put(data, from, length);
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

    /** Frees the memory (after the rows were written). */
    void clear() {
        for (ByteBuffer c : chunks) {
            free(c);
        }
        chunks.clear();
        chunk = null;
        bytes = 0;
        count = 0;
    }

    private static final java.lang.invoke.MethodHandle INVOKE_CLEANER = invokeCleaner();

    /** sun.misc.Unsafe#invokeCleaner where the JDK has it (jdk.unsupported); else null, and the collector frees the chunks. */
    private static java.lang.invoke.MethodHandle invokeCleaner() {
        try {
            Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
            java.lang.reflect.Field theUnsafe = unsafeClass.getDeclaredField("theUnsafe");
            theUnsafe.setAccessible(true);
            return java.lang.invoke.MethodHandles.lookup().findVirtual(unsafeClass, "invokeCleaner",
                    java.lang.invoke.MethodType.methodType(void.class, ByteBuffer.class)).bindTo(theUnsafe.get(null));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static void free(ByteBuffer direct) {
        if (INVOKE_CLEANER != null) {
            try {
                INVOKE_CLEANER.invokeExact(direct);
            } catch (Throwable e) {
                // left to the collector
            }
        }
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
            ByteBuffer c = rows.chunks.get((int) (address >>> 32));
            int at = (int) address;
            int length = c.getInt(at);
            if (staged + length > stage.length) {
                flush();
            }
            if (length > stage.length) {
                byte[] large = new byte[length];
                c.get(at + 4, large);
                in.writeToCopy(large, 0, length);
                return;
            }
            c.get(at + 4, stage, staged, length);
            staged += length;
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
