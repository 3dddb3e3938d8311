package org.etat.app.kafka;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code etat.kafka.*}: the publisher's settings. Publishing is on only when {@code bootstrap} is set
 * ({@code ETAT_KAFKA_BOOTSTRAP}, or {@code ./etat serve --with-kafka}).
 *
 * @param bootstrap          Kafka bootstrap servers, host:port[,host:port]; blank = publishing off
 * @param topic              the event topic
 * @param partitions         partitions when the publisher creates the topic (a line's events stay in one)
 * @param replicationFactor  replicas when it creates the topic (3 in production, 1 for a single broker)
 * @param minInsyncReplicas  the topic's min.insync.replicas (2 with three replicas; acks=all waits for them)
 * @param batchSize          events per processor transaction (one send batch, one token update)
 * @param segments           processor segments (each keeps its lines' order; 1 is plenty for one topic)
 * @param sendTimeout        how long one batch may wait for the broker's acknowledgement before the batch fails and is retried
 * @param lagDegradedEvents  health reports DEGRADED when the publisher is further behind the log than this
 */
@ConfigurationProperties("etat.kafka")
public record KafkaSettings(
        String bootstrap,
        @DefaultValue("etat.ledger.events") String topic,
        @DefaultValue("6") int partitions,
        @DefaultValue("1") short replicationFactor,
        @DefaultValue("1") int minInsyncReplicas,
        @DefaultValue("200") int batchSize,
        @DefaultValue("1") int segments,
        @DefaultValue("30s") Duration sendTimeout,
        @DefaultValue("10000") long lagDegradedEvents) {

    public static final String DEFAULT_TOPIC = "etat.ledger.events";
    /** Explicit bounds: a batch is held in memory and sent as one; each segment is a thread and a token row. */
    static final int MAX_BATCH_SIZE = 5_000;
    static final int MAX_SEGMENTS = 64;
    static final int MAX_PARTITIONS = 1_000;

    public KafkaSettings {
        if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
            throw new IllegalArgumentException("etat.kafka.batch-size must be 1.." + MAX_BATCH_SIZE + ", got " + batchSize);
        }
        if (segments < 1 || segments > MAX_SEGMENTS) {
            throw new IllegalArgumentException("etat.kafka.segments must be 1.." + MAX_SEGMENTS + ", got " + segments);
        }
        if (partitions < 1 || partitions > MAX_PARTITIONS) {
            throw new IllegalArgumentException("etat.kafka.partitions must be 1.." + MAX_PARTITIONS + ", got " + partitions);
        }
        if (replicationFactor < 1 || minInsyncReplicas < 1 || minInsyncReplicas > replicationFactor) {
            throw new IllegalArgumentException("etat.kafka.replication-factor must be >= min-insync-replicas >= 1");
        }
        if (sendTimeout.isNegative() || sendTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("etat.kafka.send-timeout must be at least 1s");
        }
    }

    public String deadLetterTopic() {
        return topic + ".dlt";
    }
}
