package org.etat.app.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.etat.ledger.common.LedgerMetadata;
import org.etat.ledger.recording.PreviousRecordedAt;
import org.springframework.jdbc.datasource.DataSourceUtils;

/**
 * recordedAt of a line's previous event: from what this node committed last (a bounded cache keyed
 * by line and sequence number), else one indexed read of the event store in the command's
 * transaction (another node appended last, or the line was not touched since start).
 */
final class JdbcPreviousRecordedAt implements PreviousRecordedAt {

    private record Last(long sequenceNumber, Instant at) {
    }

    private final DataSource dataSource;
    private final ObjectMapper mapper;
    private final Map<String, Last> cache;

    JdbcPreviousRecordedAt(DataSource dataSource, ObjectMapper mapper, int maxLines) {
        this.dataSource = dataSource;
        this.mapper = mapper;
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Last> eldest) {
                return size() > maxLines;
            }
        };
    }

    @Override
    public Optional<Instant> of(String aggregateId, long sequenceNumber) {
        synchronized (cache) {
            Last last = cache.get(aggregateId);
            if (last != null && last.sequenceNumber() == sequenceNumber) {
                return Optional.of(last.at());
            }
        }
        Connection c = DataSourceUtils.getConnection(dataSource);
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT meta_data FROM domain_event_entry WHERE aggregate_identifier = ? AND sequence_number = ?")) {
            ps.setString(1, aggregateId);
            ps.setLong(2, sequenceNumber);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || rs.getBytes(1) == null) {
                    return Optional.empty();
                }
                JsonNode at = mapper.readTree(rs.getBytes(1)).path(LedgerMetadata.RECORDED_AT);
                return at.isTextual() ? Optional.of(Instant.parse(at.asText())) : Optional.empty();
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("cannot read when line " + aggregateId + " was last recorded", e);
        } finally {
            DataSourceUtils.releaseConnection(c, dataSource);
        }
    }

    @Override
    public void committed(String aggregateId, long sequenceNumber, Instant at) {
        synchronized (cache) {
            cache.put(aggregateId, new Last(sequenceNumber, at));
        }
    }
}
