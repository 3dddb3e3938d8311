package org.etat.app.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.etat.app.kafka.EventEnvelope;

/**
 * Reads the ledger's topic from its beginning for the whole of scenario 6, as a consumer would
 * ({@code read_committed}, deduplicating by event id), through the broker's crashes: for every
 * event id when it first arrived, and per key (budget line) the order of first arrivals.
 */
final class TopicWatcher implements AutoCloseable {

    private final String bootstrap;
    private final String topic;
    private final Thread thread;
    private final Map<String, Long> firstArrivalNanos = new HashMap<>();
    private final Map<String, List<String>> firstArrivalsByLine = new HashMap<>();
    private final AtomicLong records = new AtomicLong();
    private final List<String> unreadable = new ArrayList<>();
    private volatile boolean closed;

    TopicWatcher(String bootstrap, String topic) {
        this.bootstrap = bootstrap;
        this.topic = topic;
        quietKafkaClients();
        this.thread = new Thread(this::watch, "faults-topic-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    private void watch() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            int assigned = 0;
            while (!closed) {
                try {
                    // The publisher creates the topic on its first batch; take its partitions once they are there.
                    List<PartitionInfo> partitions = assigned == 0 ? consumer.partitionsFor(topic, Duration.ofSeconds(2)) : List.of();
                    if (partitions != null && !partitions.isEmpty()) {
                        List<TopicPartition> tps = partitions.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
                        consumer.assign(tps);
                        consumer.seekToBeginning(tps);
                        assigned = tps.size();
                    }
                    if (assigned == 0) {
                        sleepMillis(200);
                        continue;
                    }
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        arrived(r.key(), r.value());
                    }
                } catch (org.apache.kafka.common.errors.RetriableException e) {
                    // the broker is away (the fault): keep asking
                }
            }
        }
    }

    private synchronized void arrived(String line, byte[] value) {
        records.incrementAndGet();
        String eventId;
        try {
            eventId = EventEnvelope.parse(value).eventId();
        } catch (RuntimeException e) {
            if (unreadable.size() < 20) {
                unreadable.add(line + ": " + e.getMessage());
            }
            return;
        }
        if (firstArrivalNanos.putIfAbsent(eventId, System.nanoTime()) == null) {
            firstArrivalsByLine.computeIfAbsent(line, k -> new ArrayList<>()).add(eventId);
        }
    }

    synchronized Long firstArrivalNanos(String eventId) {
        return firstArrivalNanos.get(eventId);
    }

    synchronized int distinctEvents() {
        return firstArrivalNanos.size();
    }

    synchronized Map<String, List<String>> firstArrivalsByLine() {
        Map<String, List<String>> copy = new HashMap<>();
        firstArrivalsByLine.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return copy;
    }

    long records() {
        return records.get();
    }

    synchronized List<String> unreadable() {
        return List.copyOf(unreadable);
    }

    /** The Kafka client logs every failed reconnect while the broker is down; the suite reports the outcome instead. */
    static void quietKafkaClients() {
        if (org.slf4j.LoggerFactory.getLogger("org.apache.kafka.clients") instanceof ch.qos.logback.classic.Logger logger && logger.getLevel() == null) {
            logger.setLevel(ch.qos.logback.classic.Level.ERROR);
        }
    }

    private static void sleepMillis(long millis) {
        java.util.concurrent.locks.LockSupport.parkNanos(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(millis));
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        thread.join(30_000);
    }
}
