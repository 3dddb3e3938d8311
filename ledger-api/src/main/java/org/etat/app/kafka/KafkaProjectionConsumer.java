package org.etat.app.kafka;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.etat.projection.ProjectedEvent;
import org.etat.projection.Projector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read side as its own service: consumes {@code etat.ledger.events} and builds the read models
 * ({@link Projector}, plain JDBC) in its own PostgreSQL.
 *
 * <ul>
 *   <li>Exactly-once effect: the records of a poll are projected and their partitions' next offsets
 *   written to {@code kafka_consumer_offset} in one database transaction. On assignment the consumer
 *   seeks to the offsets stored there (Kafka's committed offsets are written too, after the database
 *   commit, for monitoring only).</li>
 *   <li>Deduplication by event id: the projector skips events it applied before, so duplicates on the
 *   topic (a publisher retry) change nothing.</li>
 *   <li>Scale-out: every instance with the same group id gets a share of the partitions; one line's
 *   events are in one partition (key = line id), so they stay in order.</li>
 *   <li>Poison: a record that cannot be read, has an unknown type, or that the projector refuses, is
 *   copied to the dead-letter topic with its reason in the {@value #REASON_HEADER} header, and its
 *   offset is passed; the consumer goes on. A database outage is not poison: the poll is rolled back,
 *   the consumer seeks back to the stored offsets and retries with a backoff.</li>
 * </ul>
 */
public final class KafkaProjectionConsumer implements AutoCloseable {

    public static final String REASON_HEADER = "etat.dlt.reason";
    public static final String ORIGIN_HEADER = "etat.dlt.origin";
    public static final String DEFAULT_GROUP = "etat-projections";
    private static final Logger LOG = LoggerFactory.getLogger(KafkaProjectionConsumer.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final int MAX_POLL_RECORDS = 1_000;

    /** Where to consume from and how. */
    public record Settings(String bootstrap, String topic, String groupId, int maxPollRecords, Path heartbeatFile,
            short deadLetterReplicationFactor, int deadLetterMinInsyncReplicas) {
        public Settings {
            if (deadLetterReplicationFactor < 1 || deadLetterMinInsyncReplicas < 1 || deadLetterMinInsyncReplicas > deadLetterReplicationFactor) {
                throw new IllegalArgumentException("dead-letter replication factor must be >= min in-sync replicas >= 1");
            }
            if (bootstrap == null || bootstrap.isBlank()) {
                throw new IllegalArgumentException("a Kafka bootstrap (host:port) is required");
            }
            if (maxPollRecords < 1 || maxPollRecords > MAX_POLL_RECORDS) {
                throw new IllegalArgumentException("max poll records must be 1.." + MAX_POLL_RECORDS);
            }
        }

        public static Settings of(String bootstrap) {
            return new Settings(bootstrap, KafkaSettings.DEFAULT_TOPIC, DEFAULT_GROUP, 500, null, (short) 1, 1);
        }

        public String deadLetterTopic() {
            return topic + ".dlt";
        }
    }

    private final DataSource dataSource;
    private final Projector projector;
    private final Settings settings;
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> deadLetters;
    private final AtomicLong projected = new AtomicLong();
    private final AtomicLong parked = new AtomicLong();
    private volatile boolean running = true;
    private Thread thread;

    public KafkaProjectionConsumer(DataSource dataSource, Projector projector, Settings settings) {
        this.dataSource = dataSource;
        this.projector = projector;
        this.settings = settings;
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, settings.maxPollRecords());
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, settings.groupId() + "-" + ProcessHandle.current().pid());
        this.consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
        this.deadLetters = new KafkaProducer<>(KafkaPublishingConfiguration.producerProperties(settings.bootstrap(), 30_000,
                settings.groupId() + "-dlt"), new StringSerializer(), new ByteArraySerializer());
    }

    /** Events projected (new ones, not duplicates) since start. */
    public long projectedEvents() {
        return projected.get();
    }

    /** Records parked in the dead-letter topic since start. */
    public long parkedRecords() {
        return parked.get();
    }

    /** Runs {@link #run()} on a thread of its own. */
    public KafkaProjectionConsumer start() {
        thread = new Thread(this::run, "etat-kafka-projections");
        thread.start();
        return this;
    }

    /** Polls until {@link #close()}; creates the dead-letter topic if it is missing. */
    public void run() {
        ensureDeadLetterTopic();
        consumer.subscribe(List.of(settings.topic()), new SeekToStoredOffsets());
        Duration backoff = Duration.ofMillis(200);
        try {
            while (running) {
                heartbeat();
                try {
                    ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
                    if (!records.isEmpty()) {
                        process(records);
                    }
                    backoff = Duration.ofMillis(200);
                } catch (TransientFailure e) {
                    LOG.warn("Projection paused ({}); retrying in {} ms from the stored offsets", e.getMessage(), backoff.toMillis());
                    LockSupport.parkNanos(backoff.toNanos());
                    backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
                    try {
                        seekToStored(consumer.assignment());
                    } catch (TransientFailure again) {
                        LOG.debug("still failing", again);
                    }
                }
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
            deadLetters.close(Duration.ofSeconds(5));
        }
    }

    private void ensureDeadLetterTopic() {
        while (running) {
            try {
                KafkaTopics.ensure(settings.bootstrap(), settings.deadLetterTopic(), 1, settings.deadLetterReplicationFactor(),
                        settings.deadLetterMinInsyncReplicas(), Duration.ofSeconds(30));
                return;
            } catch (KafkaUnavailableException e) {
                LOG.warn("Kafka not reachable yet ({}); retrying", e.getMessage());
                LockSupport.parkNanos(Duration.ofSeconds(2).toNanos());
            }
        }
    }

    // ------------------------------------------------------------------ one poll

    private void process(ConsumerRecords<String, byte[]> records) {
        List<ConsumerRecord<String, byte[]>> all = new ArrayList<>();
        records.forEach(all::add);
        List<ProjectedEvent> events = new ArrayList<>();
        List<ConsumerRecord<String, byte[]>> readable = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : all) {
            try {
                events.add(EventEnvelope.parse(r.value()).toProjected());
                readable.add(r);
            } catch (PoisonMessageException e) {
                park(r, e.getMessage());
            }
        }
        Map<TopicPartition, Long> next = nextOffsets(all);
        try {
            inTransaction(c -> {
                projected.addAndGet(projector.project(c, events).projected());
                storeOffsets(c, next);
            });
        } catch (SQLException | RuntimeException e) {
            if (transient_(e)) {
                throw new TransientFailure(e);
            }
            // One record spoils the poll: project them one by one, parking the ones the projector refuses.
            LOG.warn("A poll of {} records was refused ({}); projecting them one by one", all.size(), e.getMessage());
            for (int i = 0; i < readable.size(); i++) {
                ConsumerRecord<String, byte[]> r = readable.get(i);
                ProjectedEvent event = events.get(i);
                Map<TopicPartition, Long> offset = Map.of(new TopicPartition(r.topic(), r.partition()), r.offset() + 1);
                try {
                    inTransaction(c -> {
                        projected.addAndGet(projector.project(c, List.of(event)).projected());
                        storeOffsets(c, offset);
                    });
                } catch (SQLException | RuntimeException single) {
                    if (transient_(single)) {
                        throw new TransientFailure(single);
                    }
                    park(r, "projection refused: " + single.getMessage());
                }
            }
            try {
                inTransaction(c -> storeOffsets(c, next));
            } catch (SQLException ex) {
                throw new TransientFailure(ex);
            }
        }
        consumer.commitAsync(); // for monitoring tools only; the database holds the truth
    }

    private static Map<TopicPartition, Long> nextOffsets(List<ConsumerRecord<String, byte[]>> records) {
        Map<TopicPartition, Long> next = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            next.merge(new TopicPartition(r.topic(), r.partition()), r.offset() + 1, Math::max);
        }
        return next;
    }

    /** Copies a record to the dead-letter topic and waits for the broker; the offset is passed only after. */
    private void park(ConsumerRecord<String, byte[]> r, String reason) {
        String origin = r.topic() + "/" + r.partition() + "@" + r.offset();
        LOG.warn("Parking record {} in {}: {}", origin, settings.deadLetterTopic(), reason);
        ProducerRecord<String, byte[]> dead = new ProducerRecord<>(settings.deadLetterTopic(), r.key(), r.value());
        r.headers().forEach(h -> dead.headers().add(h));
        dead.headers().add(REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
        dead.headers().add(ORIGIN_HEADER, origin.getBytes(StandardCharsets.UTF_8));
        try {
            deadLetters.send(dead).get(60, TimeUnit.SECONDS);
            parked.incrementAndGet();
        } catch (ExecutionException | TimeoutException e) {
            throw new TransientFailure(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientFailure(e);
        }
    }

    // ------------------------------------------------------------------ offsets in the database

    private void storeOffsets(Connection c, Map<TopicPartition, Long> next) throws SQLException {
        // GREATEST: a consumer that lost its partitions to a rebalance cannot move them back.
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO kafka_consumer_offset AS o (consumer_group, topic, partition_no,"
                + " next_offset) VALUES (?, ?, ?, ?) ON CONFLICT (consumer_group, topic, partition_no) DO UPDATE"
                + " SET next_offset = GREATEST(o.next_offset, excluded.next_offset), updated_at = now()")) {
            for (Map.Entry<TopicPartition, Long> e : next.entrySet()) {
                ps.setString(1, settings.groupId());
                ps.setString(2, e.getKey().topic());
                ps.setInt(3, e.getKey().partition());
                ps.setLong(4, e.getValue());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Stored next offsets of these partitions (absent: never consumed by this group). */
    Map<TopicPartition, Long> storedOffsets(Collection<TopicPartition> partitions) throws SQLException {
        Map<TopicPartition, Long> stored = new HashMap<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT topic, partition_no, next_offset FROM kafka_consumer_offset"
                        + " WHERE consumer_group = ?")) {
            ps.setString(1, settings.groupId());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    TopicPartition tp = new TopicPartition(rs.getString(1), rs.getInt(2));
                    if (partitions.contains(tp)) {
                        stored.put(tp, rs.getLong(3));
                    }
                }
            }
        }
        return stored;
    }

    private void seekToStored(Collection<TopicPartition> partitions) {
        Map<TopicPartition, Long> stored;
        try {
            stored = storedOffsets(partitions);
        } catch (SQLException e) {
            throw new TransientFailure(e); // database away during a rebalance: the poll loop retries
        }
        List<TopicPartition> fresh = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            Long offset = stored.get(tp);
            if (offset == null) {
                fresh.add(tp);
            } else {
                consumer.seek(tp, offset);
            }
        }
        if (!fresh.isEmpty()) {
            consumer.seekToBeginning(fresh);
        }
    }

    private final class SeekToStoredOffsets implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            LOG.info("Assigned {}", partitions);
            seekToStored(partitions);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // Offsets are in the database, written with the rows: nothing to commit here.
        }
    }

    // ------------------------------------------------------------------ plumbing

    @FunctionalInterface
    private interface SqlWork {
        void run(Connection c) throws SQLException;
    }

    private void inTransaction(SqlWork work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                work.run(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException ignored) {
                    // the connection is gone; the transaction is too
                }
                throw e;
            }
        }
    }

    /**
     * Connection trouble (SQLState class 08, or the server shutting down) is retried, and so is a
     * race with another consumer of the group over the same records during a rebalance (a key the
     * other took first, 23505; a deadlock or serialization failure, 40P01 / 40001): a retry finds
     * the other's work committed and skips it. Anything else is about the data.
     */
    private static boolean transient_(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null
                    && (s.getSQLState().startsWith("08") || s.getSQLState().startsWith("57P") || s.getSQLState().startsWith("53")
                            || s.getSQLState().equals("23505") || s.getSQLState().equals("40P01") || s.getSQLState().equals("40001"))) {
                return true;
            }
            if (t instanceof TransientFailure) {
                return true;
            }
        }
        return false;
    }

    private void heartbeat() {
        Path file = settings.heartbeatFile();
        if (file == null) {
            return;
        }
        try {
            if (!Files.exists(file)) {
                Files.createFile(file);
            }
            Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
        } catch (java.io.IOException e) {
            LOG.debug("cannot touch heartbeat file {}", file, e);
        }
    }

    private static final class TransientFailure extends RuntimeException {
        TransientFailure(Throwable cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** Blocks until the consumer thread of {@link #start()} has ended (after {@link #close()}). */
    public void awaitStopped() throws InterruptedException {
        if (thread != null) {
            thread.join();
        }
    }

    /** Stops polling and waits for the consumer thread (if {@link #start()} made one) to finish. */
    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        if (thread != null && thread != Thread.currentThread()) {
            try {
                thread.join(Duration.ofSeconds(30).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
