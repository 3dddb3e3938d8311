package org.etat.app.kafka;

import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.axonframework.config.EventProcessingConfiguration;
import org.etat.app.ledger.LedgerGateway;
import org.etat.ledger.budgetline.EnactAppropriation;
import org.etat.ledger.budgetline.LineKind;
import org.etat.ledger.budgetline.OpenLine;
import org.etat.ledger.budgetline.RecordExpenditure;
import org.etat.ledger.budgetline.TitleKey;

/** Helpers of the Kafka tests: waiting with a deadline, reading a whole topic, a small load. */
final class KafkaTestSupport {

    /**
     * Stops the publisher before the broker, so that it never talks to a broker going away (the Spring
     * context closes after the test class). Either may be null if the class failed early.
     */
    static void stopPublisherThenBroker(EventProcessingConfiguration processors, TestKafka.Broker broker) {
        if (processors != null) {
            processors.eventProcessor(KafkaPublishingConfiguration.PROCESSING_GROUP).ifPresent(p -> p.shutDown());
        }
        if (broker != null) {
            broker.close();
        }
    }

    private KafkaTestSupport() {
    }

    /** Polls {@code condition} every 50 ms until it holds; fails with {@code what} after {@code deadline}. */
    static void await(String what, Duration deadline, BooleanSupplier condition) {
        long end = System.nanoTime() + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail("not within " + deadline + ": " + what);
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
    }

    /** Every committed record of a topic, from its start up to its end at the time of the call, in partition order. */
    static List<ConsumerRecord<String, byte[]>> readAll(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"); // what consumers see: aborted batches are not
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).collect(Collectors.toList());
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = c.endOffsets(partitions, Duration.ofSeconds(30));
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    fail("could not read " + topic + " to its end within 60 s");
                }
                c.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    /** Opens {@code lines} expenditure lines of 2024 with prefix {@code kapitel} and enacts 1,000,000.00 on each. */
    static List<String> openLines(LedgerGateway ledger, String kapitel, int lines) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < lines; i++) {
            String titel = String.format("5%04d", 1_000 + i); // group 5xx: an expenditure title
            String id = "2024-" + kapitel + "-" + titel;
            ledger.send(new OpenLine(id, TitleKey.of(kapitel, titel), "Kafka test line " + i, LineKind.EXPENDITURE, false, List.of(), null),
                    "tester", "open-" + id);
            ledger.send(new EnactAppropriation(id, 1_000_000_00L, "HG 2024", LocalDate.of(2024, 1, 1)), "tester", "enact-" + id);
            ids.add(id);
        }
        return ids;
    }

    static void spend(LedgerGateway ledger, String lineId, int n) {
        ledger.send(new RecordExpenditure(lineId, 1_00L + n, LocalDate.of(2024, 3, 1 + n % 28), "Kafka test spend " + n, "DOC-" + n, null),
                "tester", "spend-" + lineId + "-" + n);
    }
}
