package org.etat.projection;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;

/**
 * Rows in PostgreSQL's binary COPY format ("COPY ... File Formats" in the PostgreSQL docs): an
 * 11-byte signature, flags and header-extension length (both 0); per tuple a 16-bit field count and
 * per field a 32-bit length (-1 for NULL) and the value in its type's binary form; a 16-bit -1 at
 * the end. Integers are big-endian.
 *
 * <p>Cheaper than CSV on both sides: no number or timestamp is printed here or parsed by the
 * server. The Java type of a value decides the column type it is sent as, and it must be the
 * column's: String - text, Long - bigint, Integer - int, Boolean - boolean, LocalDate - date,
 * Instant - timestamptz. Not thread-safe.
 */
final class BinaryRows {

    private static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0};
    /** 2000-01-01, PostgreSQL's epoch for dates and timestamps. */
    private static final long PG_EPOCH_DAY = LocalDate.of(2000, 1, 1).toEpochDay();
    private static final long PG_EPOCH_SECOND = PG_EPOCH_DAY * 86_400;

    private byte[] data;
    private int length;

    BinaryRows(int expectedBytes) {
        this(expectedBytes, true);
    }

    /** @param header whether the rows start with the COPY header (not for tuples kept to be copied later, see {@link KeptRows}) */
    BinaryRows(int expectedBytes, boolean header) {
        data = new byte[Math.max(64, expectedBytes)];
        if (header) {
            System.arraycopy(HEADER, 0, data, 0, HEADER.length);
            length = HEADER.length;
        }
    }

    /** Forgets what was written (a tuple-only builder reused per row). */
    void clear() {
        length = 0;
    }

    /** The array written so far, valid up to {@link #length}. */
    byte[] array() {
        return data;
    }

    static byte[] header() {
        return HEADER.clone();
    }

    /** Starts a tuple of {@code fields} values. */
    BinaryRows tuple(int fields) {
        room(2);
        data[length++] = (byte) (fields >>> 8);
        data[length++] = (byte) fields;
        return this;
    }

    /** A whole tuple of values (types as in the class comment). */
    BinaryRows row(Object... values) {
        tuple(values.length);
        for (Object v : values) {
            value(v);
        }
        return this;
    }

    BinaryRows value(Object v) {
        if (v == null) {
            return nul();
        } else if (v instanceof String s) {
            return text(s);
        } else if (v instanceof Long l) {
            return int8(l);
        } else if (v instanceof Integer i) {
            return int4(i);
        } else if (v instanceof Boolean b) {
            return bool(b);
        } else if (v instanceof LocalDate d) {
            return date(d);
        } else if (v instanceof Instant t) {
            return timestamptz(t);
        }
        throw new IllegalArgumentException("no binary COPY form for " + v.getClass().getName());
    }

    BinaryRows nul() {
        putInt(-1);
        return this;
    }

    /**
     * UTF-8, the client encoding of the driver's connections. ASCII (ids, codes, dates: nearly every
     * value) is written straight into the buffer: {@code getBytes} allocated an array per value, and
     * was half of the bulk writer's time in profiles.
     */
    BinaryRows text(String s) {
        if (s == null) {
            return nul();
        }
        int n = s.length();
        room(4 + n);
        int at = length + 4;
        for (int i = 0; i < n; i++) {
            char ch = s.charAt(i);
            if (ch >= 0x80) {
                return utf8(s);
            }
            data[at + i] = (byte) ch;
        }
        putInt(n);
        length += n;
        return this;
    }

    private BinaryRows utf8(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        room(4 + utf8.length);
        putInt(utf8.length);
        System.arraycopy(utf8, 0, data, length, utf8.length);
        length += utf8.length;
        return this;
    }

    BinaryRows int8(long v) {
        room(12);
        putInt(8);
        putLong(v);
        return this;
    }

    BinaryRows int4(int v) {
        room(8);
        putInt(4);
        putInt(v);
        return this;
    }

    BinaryRows bool(boolean v) {
        room(5);
        putInt(1);
        data[length++] = (byte) (v ? 1 : 0);
        return this;
    }

    /** Days since 2000-01-01. */
    BinaryRows date(LocalDate d) {
        room(8);
        putInt(4);
        // Consecutive rows mostly share their date: its day number is reused (LocalDate.toEpochDay showed in profiles).
        if (!d.equals(lastDate)) {
            lastDays = Math.toIntExact(d.toEpochDay() - PG_EPOCH_DAY);
            lastDate = d;
        }
        putInt(lastDays);
        return this;
    }

    private LocalDate lastDate;
    private int lastDays;

    /**
     * Microseconds since 2000-01-01T00:00:00Z. Nanoseconds round as PostgreSQL rounds the same
     * instant given as text (what a CSV COPY or an INSERT sends): the fraction as a double, times a
     * million, {@code rint} (half to even).
     */
    BinaryRows timestamptz(Instant t) {
        int nanos = t.getNano();
        long micros = nanos % 1_000 == 0 ? nanos / 1_000 : (long) Math.rint((nanos / 1e9) * 1_000_000);
        room(12);
        putInt(8);
        putLong(Math.addExact(Math.multiplyExact(t.getEpochSecond() - PG_EPOCH_SECOND, 1_000_000L), micros));
        return this;
    }

    /** The rows with the end marker; the builder is spent. */
    byte[] finish() {
        room(2);
        data[length++] = (byte) 0xFF;
        data[length++] = (byte) 0xFF;
        return data;
    }

    /** Bytes written so far (after {@link #finish}: the valid part of its array). */
    int length() {
        return length;
    }

    private void room(int bytes) {
        if (length + bytes > data.length) {
            data = Arrays.copyOf(data, Math.max(2 * data.length, length + bytes));
        }
    }

    private void putInt(int v) {
        data[length++] = (byte) (v >>> 24);
        data[length++] = (byte) (v >>> 16);
        data[length++] = (byte) (v >>> 8);
        data[length++] = (byte) v;
    }

    private void putLong(long v) {
        putInt((int) (v >>> 32));
        putInt((int) v);
    }
}
