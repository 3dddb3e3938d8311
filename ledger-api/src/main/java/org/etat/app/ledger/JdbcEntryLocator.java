package org.etat.app.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.etat.ledger.correction.EntryLocator;
import org.springframework.jdbc.datasource.DataSourceUtils;

/** Finds a recorded event by its id in domain_event_entry and deserializes its payload. */
public class JdbcEntryLocator implements EntryLocator {

    private final DataSource dataSource;
    private final Serializer eventSerializer;

    public JdbcEntryLocator(DataSource dataSource, Serializer eventSerializer) {
        this.dataSource = dataSource;
        this.eventSerializer = eventSerializer;
    }

    @Override
    public Optional<LocatedEntry> locate(String eventId) {
        Connection c = DataSourceUtils.getConnection(dataSource);
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT aggregate_identifier, payload_type, payload_revision, payload FROM domain_event_entry WHERE event_identifier = ?")) {
            ps.setString(1, eventId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Object payload = eventSerializer.deserialize(
                        new SimpleSerializedObject<>(rs.getBytes(4), byte[].class, rs.getString(2), rs.getString(3)));
                return Optional.of(new LocatedEntry(eventId, rs.getString(1), payload));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot look up event " + eventId, e);
        } finally {
            DataSourceUtils.releaseConnection(c, dataSource);
        }
    }
}
