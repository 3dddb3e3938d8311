package org.etat.app.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.etat.ledger.budgetline.LineBalance;
import org.etat.ledger.common.LineEvent;
import org.etat.ledger.conservation.RecordedEvent;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * The raw event log as PostgreSQL holds it (domain_event_entry, in global order), deserialized
 * with the event serializer and independent of Axon's aggregates, caches and processors: what the
 * conservation check, the demo and audits read.
 */
@Component
public class EventLog {

    /** Rows per round trip when reading the whole log. */
    static final int PAGE_ROWS = 1_000;

    private final DataSource dataSource;
    private final Serializer serializer;

    public EventLog(DataSource dataSource, @Qualifier("eventSerializer") Serializer serializer) {
        this.dataSource = dataSource;
        this.serializer = serializer;
    }

    /** One stored event: where it sits in the log and what it says. */
    public record StoredEvent(long globalIndex, String eventId, String aggregateId, long sequenceNumber, Object payload,
            MetaData metaData) {
        public RecordedEvent recorded() {
            return new RecordedEvent(eventId, globalIndex, payload);
        }
    }

    /** Every event in global order, a page at a time. */
    public void forEach(Consumer<StoredEvent> consumer) {
        long after = -1;
        while (true) {
            List<StoredEvent> page = page(after);
            page.forEach(consumer);
            if (page.size() < PAGE_ROWS) {
                return;
            }
            after = page.get(page.size() - 1).globalIndex();
        }
    }

    public List<StoredEvent> all() {
        List<StoredEvent> events = new ArrayList<>();
        forEach(events::add);
        return events;
    }

    /** Each line's balance folded from the log, by line id. */
    public Map<String, LineBalance> balances() {
        Map<String, LineBalance> balances = new TreeMap<>();
        forEach(e -> {
            if (e.payload() instanceof LineEvent event) {
                balances.merge(event.lineId(), LineBalance.ZERO.apply(event), (old, ignored) -> old.apply(event));
            }
        });
        return balances;
    }

    private List<StoredEvent> page(long afterGlobalIndex) {
        String sql = "SELECT global_index, event_identifier, aggregate_identifier, sequence_number, payload_type, payload_revision, "
                + "payload, meta_data FROM domain_event_entry WHERE global_index > ? ORDER BY global_index LIMIT " + PAGE_ROWS;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, afterGlobalIndex);
            List<StoredEvent> page = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Object payload = serializer.deserialize(
                            new SimpleSerializedObject<>(rs.getBytes(7), byte[].class, rs.getString(5), rs.getString(6)));
                    byte[] meta = rs.getBytes(8);
                    MetaData metaData = meta == null ? MetaData.emptyInstance()
                            : serializer.deserialize(new SimpleSerializedObject<>(meta, byte[].class, MetaData.class.getName(), null));
                    page.add(new StoredEvent(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4), payload, metaData));
                }
            }
            return page;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the event log", e);
        }
    }
}
