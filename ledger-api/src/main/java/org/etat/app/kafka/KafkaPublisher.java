package org.etat.app.kafka;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.etat.app.projection.ReadModelProjection;
import org.etat.projection.ProjectedEvent;
import org.springframework.jdbc.datasource.DataSourceUtils;

/**
 * Publishes every committed event to Kafka from its own pooled streaming processor
 * ({@value KafkaPublishingConfiguration#PROCESSING_GROUP}). The event store is the outbox: Axon hands a
 * batch to one unit of work; the envelopes are collected there and, when the unit of work prepares to
 * commit, sent and waited for until the broker acknowledged every one (idempotent producer,
 * {@code acks=all}). Only then does the unit of work commit, and with it the processor's token. A
 * failure (broker away, timeout) throws, the batch rolls back, and Axon releases the segment and
 * retries it with an exponential backoff: the stream is at least once, never lossy, and a retried batch
 * may put duplicates on the topic, which consumers drop by event id. Recording never waits for this.
 */
@ProcessingGroup(KafkaPublishingConfiguration.PROCESSING_GROUP)
public class KafkaPublisher {

    private static final String BATCH_RESOURCE = KafkaPublisher.class.getName() + ".batch";
    /** Header naming the event type, so a consumer can route without parsing the value. */
    public static final String TYPE_HEADER = "etat.event-type";

    private final Producer<String, byte[]> producer;
    private final KafkaSettings settings;
    private final DataSource dataSource;
    private final PublisherStatus status;
    private volatile boolean topicReady;
    /** Test seam: runs after the broker acknowledged a batch and before the token commits. */
    private volatile Consumer<List<EventEnvelope>> afterAcknowledged = batch -> { };

    public KafkaPublisher(Producer<String, byte[]> producer, KafkaSettings settings, DataSource dataSource, PublisherStatus status) {
        this.producer = producer;
        this.settings = settings;
        this.dataSource = dataSource;
        this.status = status;
    }

    @EventHandler
    public void on(Object payload, EventMessage<?> message) {
        if (!(message instanceof TrackedEventMessage<?> tracked) || tracked.trackingToken().position().isEmpty()) {
            throw new IllegalStateException("event " + message.getIdentifier() + " has no position in the log");
        }
        ProjectedEvent event = ReadModelProjection.toProjected(tracked.trackingToken().position().getAsLong(), message.getIdentifier(),
                payload, message.getMetaData(), message.getTimestamp());
        UnitOfWork<?> unitOfWork = CurrentUnitOfWork.get().root();
        List<ProjectedEvent> batch = unitOfWork.getOrComputeResource(BATCH_RESOURCE, key -> {
            List<ProjectedEvent> events = new ArrayList<>();
            unitOfWork.onPrepareCommit(u -> publish(events));
            return events;
        });
        batch.add(event);
    }

    /** Sends one batch and waits for every acknowledgement; throws when any is missing. */
    void publish(List<ProjectedEvent> batch) {
        if (batch.isEmpty()) {
            return;
        }
        long deadline = System.nanoTime() + settings.sendTimeout().toNanos();
        try {
            if (!topicReady) {
                KafkaTopics.ensure(settings.bootstrap(), settings.topic(), settings.partitions(), settings.replicationFactor(),
                        settings.minInsyncReplicas(), settings.sendTimeout());
                topicReady = true;
            }
            Map<String, String> hashes = auditHashes(batch);
            List<EventEnvelope> envelopes = new ArrayList<>(batch.size());
            List<Future<RecordMetadata>> acks = new ArrayList<>(batch.size());
            for (ProjectedEvent e : batch) {
                EventEnvelope envelope = EventEnvelope.of(e, hashes.get(e.eventId()));
                envelopes.add(envelope);
                ProducerRecord<String, byte[]> record = new ProducerRecord<>(settings.topic(), envelope.lineId(), envelope.toJson());
                record.headers().add(TYPE_HEADER, envelope.type().getBytes(StandardCharsets.UTF_8));
                acks.add(producer.send(record));
            }
            producer.flush();
            for (Future<RecordMetadata> ack : acks) {
                ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            afterAcknowledged.accept(envelopes);
            status.published(batch.get(batch.size() - 1).globalSequence(), batch.size());
        } catch (ExecutionException e) {
            throw failed(batch, e.getCause());
        } catch (TimeoutException | RuntimeException e) {
            throw failed(batch, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failed(batch, e);
        }
    }

    private KafkaUnavailableException failed(List<ProjectedEvent> batch, Throwable cause) {
        status.failed(cause);
        return new KafkaUnavailableException("publishing " + batch.size() + " events from global sequence "
                + batch.get(0).globalSequence() + " to " + settings.topic() + " failed; the batch will be retried", cause);
    }

    /** Chain hashes of the batch's events that the audit chain already covers. */
    private Map<String, String> auditHashes(List<ProjectedEvent> batch) {
        Map<String, String> hashes = new HashMap<>();
        Connection c = DataSourceUtils.getConnection(dataSource);
        try (PreparedStatement ps = c.prepareStatement("SELECT event_identifier, chain_hash FROM audit_chain WHERE event_identifier = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("text", batch.stream().map(ProjectedEvent::eventId).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    hashes.put(rs.getString(1), HexFormat.of().formatHex(rs.getBytes(2)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the audit chain for the batch", e);
        } finally {
            DataSourceUtils.releaseConnection(c, dataSource);
        }
        return hashes;
    }

    void afterAcknowledged(Consumer<List<EventEnvelope>> hook) {
        this.afterAcknowledged = hook;
    }
}
