package org.etat.app.projection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.SerializedType;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.SimpleSerializedType;
import org.etat.projection.ProjectedEvent;

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

    public StoredEvents(Serializer serializer) {
        this.serializer = serializer;
    }

    /**
     * Runs {@code sql} (which selects {@link #COLUMNS} from {@code domain_event_entry e}, ordered by
     * global index) on {@code c} with a cursor, and hands batches of {@code batchSize} to {@code sink}.
     * {@code c} must not be in auto-commit mode, or PostgreSQL would send every row at once.
     *
     * @return the number of events read
     */
    public long stream(Connection c, String sql, List<Object> params, int batchSize, BatchSink sink) throws SQLException {
        long read = 0;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) {
                ps.setObject(i + 1, params.get(i));
            }
            ps.setFetchSize(Math.max(batchSize, 1_000));
            List<ProjectedEvent> batch = new ArrayList<>(batchSize);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    batch.add(toProjected(rs));
                    read++;
                    if (batch.size() == batchSize) {
                        sink.accept(batch);
                        batch = new ArrayList<>(batchSize);
                    }
                }
            }
            if (!batch.isEmpty()) {
                sink.accept(batch);
            }
        }
        return read;
    }

    /** One row of {@link #COLUMNS}, deserialized with the event serializer. */
    public ProjectedEvent toProjected(ResultSet rs) throws SQLException {
        Object payload = serializer.deserialize(new SimpleSerializedObject<>(rs.getBytes(5), byte[].class, rs.getString(3), rs.getString(4)));
        byte[] meta = rs.getBytes(6);
        MetaData metaData = meta == null ? MetaData.emptyInstance()
                : serializer.deserialize(new SimpleSerializedObject<>(meta, byte[].class, META_TYPE));
        return ReadModelProjection.toProjected(rs.getLong(1), rs.getString(2), payload, metaData, Instant.parse(rs.getString(7)));
    }
}
