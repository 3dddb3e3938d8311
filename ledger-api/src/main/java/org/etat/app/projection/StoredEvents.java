package org.etat.app.projection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectReader;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.SerializedType;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.UnknownSerializedType;
import org.axonframework.serialization.json.JacksonSerializer;
import org.etat.app.audit.BinaryCopyStream;
import org.etat.app.audit.CopyTuples;
import org.etat.ledger.common.LedgerMetadata;
import org.etat.ledger.common.LineEvent;
import org.etat.projection.ProjectedEvent;
import org.etat.projection.ProjectionException;
import org.postgresql.PGStatement;

/**
 * Reads stored events straight from {@code domain_event_entry} (no processor, no token) and turns
 * them into {@link ProjectedEvent}s exactly as the live processor does
 * ({@link ReadModelProjection#toProjected}): what a rebuild feeds on.
 */
public final class StoredEvents {

    public static final String COLUMNS = "e.global_index, e.event_identifier, e.payload_type, e.payload_revision, e.payload, e.meta_data, e.time_stamp";
    private static final SerializedType META_TYPE = new SimpleSerializedType(MetaData.class.getName(), null);

    /** Receives one batch of events in global order. */
    @FunctionalInterface
    public interface BatchSink {
        void accept(List<ProjectedEvent> batch) throws SQLException;
    }

    private final Serializer serializer;
    /** The Jackson mapper inside Axon's serializer, when it is one: payloads are read with it directly. */
    private final ObjectReader metaReader;
    private final com.fasterxml.jackson.databind.ObjectMapper mapper;
    /** payload_type -> reader for its class (the lookup Axon's serializer repeats for every event). */
    private final Map<String, ObjectReader> readers = new ConcurrentHashMap<>();
    private final Map<String, ObjectReader> unrevised = new ConcurrentHashMap<>();

    public StoredEvents(Serializer serializer) {
        this.serializer = serializer;
        this.mapper = serializer instanceof JacksonSerializer jackson ? withIsoDates(jackson.getObjectMapper()) : null;
        this.metaReader = mapper == null ? null : mapper.readerFor(new TypeReference<Map<String, Object>>() {
        });
    }

    /**
     * A copy of the serializer's mapper that reads a {@code LocalDate} written as {@code yyyy-MM-dd}
     * without a {@code DateTimeFormatter} (which showed in rebuild profiles); every other form, and a
     * day that does not exist, goes to Jackson's own deserializer, so the outcome is the same. The
     * serializer's mapper itself is left alone. A mapper that cannot be copied is used as it is.
     */
    static com.fasterxml.jackson.databind.ObjectMapper withIsoDates(com.fasterxml.jackson.databind.ObjectMapper mapper) {
        com.fasterxml.jackson.databind.ObjectMapper copy;
        try {
            copy = mapper.copy();
        } catch (IllegalStateException e) {
            return mapper; // a subclass without copy()
        }
        return copy.registerModule(new com.fasterxml.jackson.databind.module.SimpleModule("etat-iso-dates").addDeserializer(LocalDate.class,
                new IsoDates()));
    }

    /** See {@link #withIsoDates}. */
    static final class IsoDates extends com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer<LocalDate> {
        private static final com.fasterxml.jackson.databind.JsonDeserializer<LocalDate> JACKSON =
                com.fasterxml.jackson.datatype.jsr310.deser.LocalDateDeserializer.INSTANCE;

        IsoDates() {
            super(LocalDate.class);
        }

        @Override
        public LocalDate deserialize(JsonParser p, com.fasterxml.jackson.databind.DeserializationContext ctxt) throws java.io.IOException {
            if (p.hasToken(JsonToken.VALUE_STRING) && p.getTextLength() == 10) {
                try {
                    return ReadModelProjection.date(p.getText());
                } catch (java.time.DateTimeException e) {
                    // not a date: Jackson's deserializer refuses it in its own terms
                }
            }
            return JACKSON.deserialize(p, ctxt);
        }
    }

    /**
     * Runs {@code sql} (which selects {@link #COLUMNS} from {@code domain_event_entry e}, ordered by
     * global index) on {@code c} with a cursor, and hands batches of {@code batchSize} to {@code sink}.
     * {@code c} must not be in auto-commit mode, or PostgreSQL would send every row at once.
     *
     * @return the number of events read
     */
    public long stream(Connection c, String sql, List<Object> params, int batchSize, BatchSink sink) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) {
                ps.setObject(i + 1, params.get(i));
            }
            ps.setFetchSize(Math.max(batchSize, 1_000));
            // Binary results from the first execution: bytea arrives as bytes, not as hex text to decode.
            ps.unwrap(PGStatement.class).setPrepareThreshold(-1);
            Batches batches = new Batches(batchSize, sink);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    batches.add(toProjected(rs));
                }
            }
            return batches.finish();
        }
    }

    /**
     * The same as {@link #stream}, read as {@code COPY (sql) TO STDOUT (FORMAT binary)} on a
     * reading thread ({@link BinaryCopyStream}): no cursor round trips, no per-row protocol
     * messages, and the payloads are decoded straight from the received bytes. Of the metadata only
     * what a projection reads is decoded ({@link #decodeForProjection}). {@code sql} takes no
     * parameters (COPY has none). {@code c} must be in a transaction.
     */
    public long copy(Connection c, String sql, int batchSize, BatchSink sink) throws SQLException {
        try (BinaryCopyStream stream = new BinaryCopyStream("etat-rebuild-read", c, "COPY (" + sql + ") TO STDOUT (FORMAT binary)", 7)) {
            // Each tuple is decoded into new objects before the next: nothing refers to a chunk once passed.
            CopyTuples t = new CopyTuples(stream, true);
            Batches batches = new Batches(batchSize, sink);
            while (t.next()) {
                batches.add(decodeForProjection(t.int8(0), t.text(1), t.text(2), t.text(3), t.data(), t.start(4), t.length(4), t.start(5),
                        t.length(5), t.text(6)));
            }
            return batches.finish();
        }
    }

    /** Hands events on to a sink in batches of {@code size}; the last one may be smaller. */
    private static final class Batches {
        private final int size;
        private final BatchSink sink;
        private List<ProjectedEvent> batch;
        private long count;

        Batches(int size, BatchSink sink) {
            this.size = size;
            this.sink = sink;
            this.batch = new ArrayList<>(size);
        }

        void add(ProjectedEvent event) throws SQLException {
            batch.add(event);
            count++;
            if (batch.size() == size) {
                sink.accept(batch);
                batch = new ArrayList<>(size);
            }
        }

        /** Hands on the rest; the number of events handed on in all. */
        long finish() throws SQLException {
            if (!batch.isEmpty()) {
                sink.accept(batch);
            }
            return count;
        }
    }

    /**
     * One row of {@link #COLUMNS}, deserialized as the event serializer does: with a Jackson
     * serializer, its own mapper reads the payload into the class named by {@code payload_type}
     * (one cached reader per type; no revision upcasting exists here, as in Axon's own path) and the
     * metadata into a map; with another serializer, or a type it does not know, the serializer itself.
     */
    public ProjectedEvent toProjected(ResultSet rs) throws SQLException {
        byte[] payload = rs.getBytes(5);
        byte[] meta = rs.getBytes(6);
        return decode(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), payload, payload, 0, payload.length, meta, 0,
                meta == null ? -1 : meta.length, rs.getString(7));
    }

    /**
     * {@link #decode}, except that the events carry no metadata map: a projection reads only the
     * recording instant, booking date and principal, which are taken from the metadata JSON with a
     * streaming parser instead of building a map of every key (and copying it twice) per event.
     * Metadata in any other shape (one of those keys not a string) is decoded in full.
     */
    private ProjectedEvent decodeForProjection(long globalIndex, String id, String type, String revision, byte[] data, int payloadFrom,
            int payloadLength, int metaFrom, int metaLength, String timeStamp) {
        if (mapper == null || metaLength < 0) {
            return decode(globalIndex, id, type, revision, data, payloadFrom, payloadLength, metaFrom, metaLength, timeStamp);
        }
        String recordedAt = null;
        String effectiveDate = null;
        String principal = null;
        String[] flat = flatStrings(data, metaFrom, metaLength);
        if (flat != null) {
            recordedAt = flat[0];
            effectiveDate = flat[1];
            principal = flat[2];
        } else try (JsonParser p = mapper.getFactory().createParser(data, metaFrom, metaLength)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return decode(globalIndex, id, type, revision, data, payloadFrom, payloadLength, metaFrom, metaLength, timeStamp);
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                JsonToken value = p.nextToken();
                boolean wanted = LedgerMetadata.RECORDED_AT.equals(key) || LedgerMetadata.EFFECTIVE_DATE.equals(key)
                        || LedgerMetadata.PRINCIPAL.equals(key);
                if (!wanted) {
                    p.skipChildren();
                } else if (value == JsonToken.VALUE_STRING) {
                    switch (key) {
                        case LedgerMetadata.RECORDED_AT -> recordedAt = p.getText();
                        case LedgerMetadata.EFFECTIVE_DATE -> effectiveDate = p.getText();
                        default -> principal = p.getText();
                    }
                } else if (value != JsonToken.VALUE_NULL) {
                    return decode(globalIndex, id, type, revision, data, payloadFrom, payloadLength, metaFrom, metaLength, timeStamp);
                }
            }
        } catch (java.io.IOException e) {
            throw new ProjectionException("cannot read the metadata of the event at global index " + globalIndex, e);
        }
        Object payload = payload(globalIndex, type, revision, data, payloadFrom, payloadLength);
        Instant recorded = ReadModelProjection.instant(recordedAt != null ? recordedAt : timeStamp);
        LocalDate effective = effectiveDate != null ? ReadModelProjection.date(effectiveDate)
                : payload instanceof LineEvent line ? line.effectiveDate() : null;
        return new ProjectedEvent(globalIndex, id, payload, recorded, effective, principal, Map.of());
    }

    private static final byte[][] WANTED = {LedgerMetadata.RECORDED_AT.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
        LedgerMetadata.EFFECTIVE_DATE.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
        LedgerMetadata.PRINCIPAL.getBytes(java.nio.charset.StandardCharsets.US_ASCII)};

    /**
     * The recording instant, booking date and principal (each null if absent or JSON null) of
     * metadata in the shape the ledger writes: one flat JSON object whose values are ASCII strings
     * without escapes, or null. Anything else (another value, an escape, a non-ASCII or control
     * byte, malformed JSON) gives null, and the caller reads it with Jackson instead: this only
     * saves a parser per event, it never decides differently. A repeated key: its last string
     * counts, as there (a null does not undo an earlier string).
     */
    static String[] flatStrings(byte[] d, int from, int length) {
        String[] found = new String[WANTED.length];
        int end = from + length;
        int i = space(d, from, end);
        if (i >= end || d[i] != '{') {
            return null;
        }
        i = space(d, i + 1, end);
        if (i < end && d[i] == '}') {
            return space(d, i + 1, end) == end ? found : null;
        }
        while (true) {
            if (i >= end || d[i] != '"') {
                return null;
            }
            int keyFrom = i + 1;
            int keyTo = plainString(d, keyFrom, end);
            if (keyTo < 0) {
                return null;
            }
            i = space(d, keyTo + 1, end);
            if (i >= end || d[i] != ':') {
                return null;
            }
            i = space(d, i + 1, end);
            String value;
            if (i < end && d[i] == '"') {
                int valueTo = plainString(d, i + 1, end);
                if (valueTo < 0) {
                    return null;
                }
                value = new String(d, i + 1, valueTo - i - 1, java.nio.charset.StandardCharsets.US_ASCII);
                i = valueTo + 1;
            } else if (i + 4 <= end && d[i] == 'n' && d[i + 1] == 'u' && d[i + 2] == 'l' && d[i + 3] == 'l') {
                value = null;
                i += 4;
            } else {
                return null;
            }
            for (int k = 0; k < WANTED.length; k++) {
                if (value != null && java.util.Arrays.equals(d, keyFrom, keyTo, WANTED[k], 0, WANTED[k].length)) {
                    found[k] = value;
                }
            }
            i = space(d, i, end);
            if (i < end && d[i] == ',') {
                i = space(d, i + 1, end);
            } else if (i < end && d[i] == '}') {
                return space(d, i + 1, end) == end ? found : null;
            } else {
                return null;
            }
        }
    }

    private static int space(byte[] d, int i, int end) {
        while (i < end && (d[i] == ' ' || d[i] == '\t' || d[i] == '\n' || d[i] == '\r')) {
            i++;
        }
        return i;
    }

    /** The index of the closing quote of a string starting at {@code i}, or -1 if it has an escape, a control or non-ASCII byte, or no end. */
    private static int plainString(byte[] d, int i, int end) {
        for (; i < end; i++) {
            byte b = d[i];
            if (b == '"') {
                return i;
            }
            if (b == '\\' || b < 0x20) { // a negative byte is not ASCII
                return -1;
            }
        }
        return -1;
    }

    private Object payload(long globalIndex, String type, String revision, byte[] data, int from, int length) {
        ObjectReader reader = readerFor(type, revision);
        try {
            return reader != null ? reader.readValue(data, from, length)
                    : serializer.deserialize(new SimpleSerializedObject<>(java.util.Arrays.copyOfRange(data, from, from + length), byte[].class,
                            type, revision));
        } catch (java.io.IOException e) {
            throw new ProjectionException("cannot read event at global index " + globalIndex + " (" + type + ")", e);
        }
    }

    /** {@link #toProjected(ResultSet)} of fields found in one array: payload at {@code [payloadFrom, +payloadLength)}, metadata likewise (length -1: NULL). */
    private ProjectedEvent decode(long globalIndex, String id, String type, String revision, byte[] data, int payloadFrom, int payloadLength,
            int metaFrom, int metaLength, String timeStamp) {
        return decode(globalIndex, id, type, revision, null, data, payloadFrom, payloadLength, data, metaFrom, metaLength, timeStamp);
    }

    private ProjectedEvent decode(long globalIndex, String id, String type, String revision, byte[] payloadOnly, byte[] payloadData,
            int payloadFrom, int payloadLength, byte[] metaData, int metaFrom, int metaLength, String timeStamp) {
        Object payload;
        Map<String, ?> meta;
        ObjectReader reader = mapper == null ? null : readerFor(type, revision);
        try {
            payload = reader != null ? reader.readValue(payloadData, payloadFrom, payloadLength)
                    : serializer.deserialize(new SimpleSerializedObject<>(payloadOnly != null ? payloadOnly
                            : java.util.Arrays.copyOfRange(payloadData, payloadFrom, payloadFrom + payloadLength), byte[].class, type, revision));
            meta = metaLength < 0 ? MetaData.emptyInstance()
                    : metaReader != null ? metaReader.<Map<String, Object>>readValue(metaData, metaFrom, metaLength)
                    : serializer.<byte[], MetaData>deserialize(new SimpleSerializedObject<>(
                            java.util.Arrays.copyOfRange(metaData, metaFrom, metaFrom + metaLength), byte[].class, META_TYPE));
        } catch (java.io.IOException e) {
            throw new ProjectionException("cannot read event at global index " + globalIndex + " (" + type + ")", e);
        }
        return ReadModelProjection.toProjected(globalIndex, id, payload, meta, ReadModelProjection.instant(timeStamp));
    }

    /** {@link #reader}, cached; without a revision (every event here) looked up by the type alone, no key built per event. */
    private ObjectReader readerFor(String type, String revision) {
        if (revision == null) {
            ObjectReader r = unrevised.get(type);
            if (r == null) {
                r = reader(type, null);
                if (r != null) {
                    unrevised.put(type, r);
                }
            }
            return r;
        }
        return readers.computeIfAbsent(type + "\u0000" + revision, k -> reader(type, revision));
    }

    /** A reader for a payload type, or null where the serializer must decide (a class it cannot load). */
    private ObjectReader reader(String type, String revision) {
        Class<?> cls = serializer.classForType(new SimpleSerializedType(type, revision));
        return UnknownSerializedType.class.isAssignableFrom(cls) ? null : mapper.readerFor(cls);
    }
}
