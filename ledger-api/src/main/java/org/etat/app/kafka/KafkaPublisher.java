package org.etat.app.kafka;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
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
import java.util.function.Supplier;
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
 * commit, sent in one Kafka transaction (idempotent, transactional producer, {@code acks=all}) that is
 * committed, i.e. acknowledged by the broker, before the unit of work commits, and with it the
 * processor's token. A failure (broker away, timeout) aborts the Kafka transaction and throws; the
 * batch rolls back, and Axon releases the segment and retries it with an exponential backoff. The
 * stream is at least once, never lossy: a crash between the Kafka commit and the token update sends
 * the batch again, and consumers drop the duplicates by event id. Recording never waits for this.
 */
@ProcessingGroup(KafkaPublishingConfiguration.PROCESSING_GROUP)
public class KafkaPublisher {

    private static final String BATCH_RESOURCE = KafkaPublisher.class.getName() + ".batch";
    /** Header naming the event type, so a consumer can route without parsing the value. */
    public static final String TYPE_HEADER = "etat.event-type";

    /** Makes a transactional producer (same transactional id every time, so a new one fences the old). */
    private final Supplier<Producer<String, byte[]>> producers;
    /** Guarded by this; null until the first batch and after a failure that left it unusable. */
    private Producer<String, byte[]> producer;
    private final KafkaSettings settings;
    private final DataSource dataSource;
    private final PublisherStatus status;
    private volatile boolean topicReady;
    /** Test seam: runs after the broker acknowledged a batch and before the token commits. */
    private volatile Consumer<List<EventEnvelope>> afterAcknowledged = batch -> { };

    public KafkaPublisher(Supplier<Producer<String, byte[]>> producers, KafkaSettings settings, DataSource dataSource,
            PublisherStatus status) {
        this.producers = producers;
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

    /**
     * Sends one batch in one Kafka transaction and commits it; throws when the broker did not take all
     * of it. A failed batch is aborted, so a read-committed consumer never sees part of it: without the
     * transaction, a later record of the batch could reach the log while an earlier one of the same
     * line failed, and the retry would then put that line's events out of order. Synchronized: one
     * producer, one transaction at a time, whatever the number of segments.
     */
    synchronized void publish(List<ProjectedEvent> batch) {
        if (batch.isEmpty()) {
            return;
        }
        long deadline = System.nanoTime() + settings.sendTimeout().toNanos();
        boolean committed = false;
        try {
            if (!topicReady) {
                KafkaTopics.ensure(settings.bootstrap(), settings.topic(), settings.partitions(), settings.replicationFactor(),
                        settings.minInsyncReplicas(), settings.sendTimeout());
                topicReady = true;
            }
            Map<String, String> hashes = auditHashes(batch);
            Producer<String, byte[]> p = producer();
            p.beginTransaction();
            List<EventEnvelope> envelopes = new ArrayList<>(batch.size());
            List<Future<RecordMetadata>> acks = new ArrayList<>(batch.size());
            for (ProjectedEvent e : batch) {
                EventEnvelope envelope = EventEnvelope.of(e, hashes.get(e.eventId()));
                envelopes.add(envelope);
                ProducerRecord<String, byte[]> record = new ProducerRecord<>(settings.topic(), envelope.lineId(), envelope.toJson());
                record.headers().add(TYPE_HEADER, envelope.type().getBytes(StandardCharsets.UTF_8));
                acks.add(p.send(record));
            }
            p.commitTransaction(); // flushes; fails if any send failed (bounded by max.block.ms = send timeout)
            committed = true;
            for (Future<RecordMetadata> ack : acks) {
                ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            afterAcknowledged.accept(envelopes);
            status.published(batch.get(batch.size() - 1).globalSequence(), batch.size());
        } catch (ExecutionException e) {
            throw failed(batch, e.getCause(), committed);
        } catch (TimeoutException | RuntimeException e) {
            throw failed(batch, e, committed);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failed(batch, e, committed);
        }
    }

    private Producer<String, byte[]> producer() {
        if (producer == null) {
            Producer<String, byte[]> p = producers.get();
            try {
                p.initTransactions(); // fences and aborts what an earlier producer with this id left open
            } catch (RuntimeException e) {
                p.close(Duration.ZERO);
                throw e;
            }
            producer = p;
        }
        return producer;
    }

    /** Aborts the open transaction; a producer that cannot abort (broker away, fenced) is dropped and made anew next time. */
    private void abort() {
        if (producer == null) {
            return;
        }
        try {
            producer.abortTransaction();
        } catch (RuntimeException e) {
            discardProducer();
        }
    }

    private void discardProducer() {
        Producer<String, byte[]> p = producer;
        producer = null;
        if (p != null) {
            try {
                p.close(Duration.ZERO);
            } catch (RuntimeException ignored) {
                // it is gone either way
            }
        }
    }

    /** Closes the producer with a bound: a plain close waits for pending sends, with the broker away the whole timeout. */
    public synchronized void close() {
        Producer<String, byte[]> p = producer;
        producer = null;
        if (p != null) {
            p.close(Duration.ofSeconds(5));
        }
    }

    private KafkaUnavailableException failed(List<ProjectedEvent> batch, Throwable cause, boolean committed) {
        if (committed) {
            discardProducer(); // the batch is on the topic; the token will not move: it goes out again (at least once)
        } else {
            abort();
        }
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
