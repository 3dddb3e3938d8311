package org.etat.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.etat.app.axon.AxonJson;
import org.etat.app.projection.StoredEvents;
import org.etat.projection.ProjectedEvent;
import org.etat.testsupport.TestDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * Given a generated log of many megabytes (the projection benchmark's generator), when it is read
 * as a rebuild reads it (one binary COPY, chunk buffers recycled as soon as they are decoded), then
 * every event comes out as the JDBC cursor path decodes it (but for the metadata map, which only
 * that path keeps): no event is read from a buffer the reader was already filling again.
 */
class RebuildReadPathTest {

    @Test
    void theCopyPathDecodesEveryEventAsTheCursorPathDoes() throws Exception {
        DataSource ds = TestDatabase.create().dataSource();
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        Serializer serializer = JacksonSerializer.builder().objectMapper(AxonJson.newMapper()).lenientDeserialization().build();
        long events;
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            events = new ProjectionWorkload(new ProjectionWorkload.Settings(2023, 2, 300, 30_000, 7), serializer).write(c, n -> {
            }).events();
        }
        StoredEvents stored = new StoredEvents(serializer);
        String sql = "SELECT " + StoredEvents.COLUMNS + " FROM domain_event_entry e ORDER BY e.global_index";
        List<ProjectedEvent> copied = new ArrayList<>();
        List<ProjectedEvent> cursor = new ArrayList<>();
        long megabytes;
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            stored.copy(c, sql, 1_000, copied::addAll);
            // The cursor path also keeps the metadata map, which the rebuild does not read: compared without it.
            stored.stream(c, sql, List.of(), 1_000, batch -> batch.forEach(e -> cursor.add(new ProjectedEvent(e.globalSequence(), e.eventId(),
                    e.payload(), e.recordedAt(), e.effectiveDate(), e.principal(), java.util.Map.of()))));
            try (var st = c.createStatement(); var rs = st.executeQuery("SELECT sum(length(payload) + length(meta_data)) FROM domain_event_entry")) {
                rs.next();
                megabytes = rs.getLong(1) >> 20;
            }
            c.commit();
        }
        assertThat(megabytes).as("enough bytes for many chunks of the COPY stream").isGreaterThan(5);
        assertThat(copied).hasSize((int) events).isEqualTo(cursor);
    }
}
