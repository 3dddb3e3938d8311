package org.etat.app.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.etat.app.kafka.KafkaTestSupport.await;
import static org.etat.app.kafka.KafkaTestSupport.readAll;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.etat.app.demo.RuhrkonferenzDemo;
import org.etat.app.ledger.EventLog;
import org.etat.app.ledger.LedgerGateway;
import org.etat.app.testsupport.EtatIntegrationTest;
import org.etat.app.projection.Projected;
import org.etat.projection.Digest;
import org.etat.projection.Migrations;
import org.etat.projection.Projector;
import org.etat.projection.ReadModelSchema;
import org.etat.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The ledger's stream through a real broker ({@link TestKafka}: Testcontainers' Kafka where Docker
 * answers, else the embedded KRaft broker) into a second PostgreSQL, fed by the standalone
 * consumer, against the in-process read models of the ledger's own database.
 */
class KafkaPipelineIntegrationTest extends EtatIntegrationTest {

    private static final Duration DEADLINE = Duration.ofSeconds(120);
    private static TestKafka.Broker broker;
    private static EventProcessingConfiguration processors;

    @Autowired
    LedgerGateway ledger;
    @Autowired
    EventLog log;
    @Autowired
    DataSource dataSource;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    KafkaPublisher publisher;
    @Autowired
    EventProcessingConfiguration processing;
    @Autowired
    PublisherLag lag;

    @DynamicPropertySource
    static void kafka(DynamicPropertyRegistry registry) {
        broker = TestKafka.start();
        System.out.println("Kafka under test: " + broker.kind() + " at " + broker.bootstrap());
        registry.add("etat.kafka.bootstrap", broker::bootstrap);
        registry.add("etat.kafka.partitions", () -> "3");
        registry.add("etat.kafka.batch-size", () -> "5");
        registry.add("etat.kafka.send-timeout", () -> "10s");
    }

    @Autowired
    void remember(EventProcessingConfiguration processing) {
        processors = processing;
    }

    @AfterAll
    static void stopBrokerLast() {
        KafkaTestSupport.stopPublisherThenBroker(processors, broker);
    }

    @Test
    void givenAHistoryWithACrashAfterSendAndAPublisherRestart_whenConsumedIntoASecondDatabase_thenItsReadModelsEqualTheInProcessOnes()
            throws Exception {
        // A crash between the broker's acknowledgement and the token update, once: the batch goes out twice.
        AtomicInteger crashes = new AtomicInteger();
        publisher.afterAcknowledged(batch -> {
            if (crashes.getAndIncrement() == 1) {
                throw new IllegalStateException("simulated crash after send, before the token update");
            }
        });
        RuhrkonferenzDemo.record(ledger);
        int events = log.all().size();
        await("every event acknowledged by the broker", DEADLINE, () -> lag.lag() == 0 && crashes.get() > 2);

        // A publisher restart from an earlier position re-sends what it had sent already.
        StreamingEventProcessor processor = processing.eventProcessor(KafkaPublishingConfiguration.PROCESSING_GROUP,
                StreamingEventProcessor.class).orElseThrow();
        processor.shutdownAsync().get(30, TimeUnit.SECONDS);
        long restartAt = log.all().get(events / 2).globalIndex();
        processor.resetTokens(source -> GapAwareTrackingToken.newInstance(restartAt, List.of()));
        processor.start();
        int[] resent = new int[1];
        await("the restarted publisher re-sends the second half", DEADLINE, () -> {
            resent[0] = readAll(broker.bootstrap(), KafkaSettings.DEFAULT_TOPIC).size();
            return resent[0] >= events + (events - events / 2 - 1) && !processor.isReplaying();
        });

        List<ConsumerRecord<String, byte[]>> onTopic = readAll(broker.bootstrap(), KafkaSettings.DEFAULT_TOPIC);
        Set<String> ids = new HashSet<>();
        for (ConsumerRecord<String, byte[]> r : onTopic) {
            EventEnvelope e = EventEnvelope.parse(r.value());
            assertThat(r.key()).isEqualTo(e.lineId());
            ids.add(e.eventId());
        }
        assertThat(ids).hasSize(events);
        assertThat(onTopic.size()).as("duplicates on the topic").isGreaterThan(events);

        // The read side as its own service, in a database of its own.
        TestDatabase.Database second = TestDatabase.create();
        DataSource readSide = second.dataSource();
        Migrations.migrate(readSide);
        try (KafkaProjectionConsumer consumer = new KafkaProjectionConsumer(readSide, new Projector(readSide),
                KafkaProjectionConsumer.Settings.of(broker.bootstrap())).start()) {
            await("every event projected from Kafka", DEADLINE, () -> Projected.events(readSide, dataSource) == events);
            await("every event projected in process", DEADLINE, () -> Projected.events(dataSource) == events);
            assertThat(Digest.of(readSide, ReadModelSchema.LIVE)).isEqualTo(Digest.of(dataSource, ReadModelSchema.LIVE));
            assertThat(consumer.projectedEvents()).isEqualTo(events);
            // Stored offsets cover every record (they may pass it: transaction markers take offsets too).
            Map<Integer, Long> lastOffsets = new java.util.HashMap<>();
            onTopic.forEach(r -> lastOffsets.merge(r.partition(), r.offset(), Math::max));
            await("offsets stored for every record on the topic", DEADLINE, () -> lastOffsets.entrySet().stream().allMatch(e ->
                    count(readSide, "SELECT coalesce(max(next_offset), -1) FROM kafka_consumer_offset WHERE partition_no = "
                            + e.getKey()) > e.getValue()));
            assertThat(Projected.events(readSide, dataSource)).isEqualTo(events);
        }
    }

    @Test
    void givenPoisonOnTheTopic_whenConsumed_thenItIsParkedInTheDeadLetterTopicWithItsReasonAndTheConsumerGoesOn() throws Exception {
        String topic = "poison-test.events";
        KafkaTopics.ensure(broker.bootstrap(), topic, 1, (short) 1, 1, Duration.ofSeconds(30));
        List<String> lines = KafkaTestSupport.openLines(ledger, "09090", 1);
        List<byte[]> valid = new ArrayList<>();
        await("the line's two events (LineOpened, AppropriationEnacted) on the ledger topic", DEADLINE, () -> {
            valid.clear();
            Set<String> seen = new HashSet<>();
            for (ConsumerRecord<String, byte[]> r : readAll(broker.bootstrap(), KafkaSettings.DEFAULT_TOPIC)) {
                if (lines.get(0).equals(r.key()) && seen.add(EventEnvelope.parse(r.value()).eventId())) {
                    valid.add(r.value());
                }
            }
            return valid.size() == 2;
        });
        String unknownType = new String(valid.get(1), StandardCharsets.UTF_8).replace("\"type\":\"AppropriationEnacted\"",
                "\"type\":\"AppropriationDoubled\"").replace("\"eventId\":\"", "\"eventId\":\"x");
        Properties props = KafkaPublishingConfiguration.producerProperties(broker.bootstrap(), 10_000, "poisoner");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, lines.get(0), valid.get(0))).get();
            producer.send(new ProducerRecord<>(topic, lines.get(0), "{not json".getBytes(StandardCharsets.UTF_8))).get();
            producer.send(new ProducerRecord<>(topic, lines.get(0), unknownType.getBytes(StandardCharsets.UTF_8))).get();
            producer.send(new ProducerRecord<>(topic, lines.get(0), valid.get(1))).get();
        }

        TestDatabase.Database second = TestDatabase.create();
        DataSource readSide = second.dataSource();
        Migrations.migrate(readSide);
        KafkaProjectionConsumer.Settings settings = new KafkaProjectionConsumer.Settings(broker.bootstrap(), topic, "poison-group",
                100, null, (short) 1, 1);
        try (KafkaProjectionConsumer consumer = new KafkaProjectionConsumer(readSide, new Projector(readSide), settings).start()) {
            await("both valid events projected past the poison", DEADLINE,
                    () -> Projected.events(readSide, dataSource) == 2);
            await("both poison records parked", DEADLINE, () -> consumer.parkedRecords() == 2);
        }
        List<ConsumerRecord<String, byte[]>> parked = readAll(broker.bootstrap(), settings.deadLetterTopic());
        assertThat(parked).hasSize(2);
        List<String> reasons = parked.stream()
                .map(r -> new String(r.headers().lastHeader(KafkaProjectionConsumer.REASON_HEADER).value(), StandardCharsets.UTF_8)).toList();
        assertThat(reasons.get(0)).startsWith("not JSON");
        assertThat(reasons.get(1)).isEqualTo("unknown event type AppropriationDoubled");
        assertThat(new String(parked.get(1).headers().lastHeader(KafkaProjectionConsumer.ORIGIN_HEADER).value(), StandardCharsets.UTF_8))
                .isEqualTo(topic + "/0@2");
        assertThat(count(readSide, "SELECT next_offset FROM kafka_consumer_offset WHERE consumer_group = 'poison-group'")).isEqualTo(4);
    }

    @Test
    void givenTwoConsumersInOneGroup_whenTheyShareThePartitions_thenEveryEventIsAppliedOnceAndTheReadModelsEqualTheInProcessOnes() {
        List<String> lines = KafkaTestSupport.openLines(ledger, "06060", 6);
        for (int n = 0; n < 5; n++) {
            for (String line : lines) {
                KafkaTestSupport.spend(ledger, line, n);
            }
        }
        int events = log.all().size();
        await("every event acknowledged by the broker", DEADLINE, () -> lag.lag() == 0);

        TestDatabase.Database second = TestDatabase.create();
        DataSource readSide = second.dataSource();
        Migrations.migrate(readSide);
        KafkaProjectionConsumer.Settings settings = new KafkaProjectionConsumer.Settings(broker.bootstrap(),
                KafkaSettings.DEFAULT_TOPIC, "scaled-group", 7, null, (short) 1, 1);
        try (KafkaProjectionConsumer a = new KafkaProjectionConsumer(readSide, new Projector(readSide), settings).start();
                KafkaProjectionConsumer b = new KafkaProjectionConsumer(readSide, new Projector(readSide), settings).start()) {
            await("every event projected by the group", DEADLINE,
                    () -> Projected.events(readSide, dataSource) == events);
            await("every event projected in process", DEADLINE, () -> Projected.events(dataSource) == events);
            assertThat(Digest.of(readSide, ReadModelSchema.LIVE)).isEqualTo(Digest.of(dataSource, ReadModelSchema.LIVE));
            assertThat(a.projectedEvents() + b.projectedEvents()).as("applied once across the group").isEqualTo(events);
        }
    }

    private static long count(DataSource ds, String sql) {
        Long n = new JdbcTemplate(ds).queryForObject(sql, Long.class);
        return n == null ? 0 : n;
    }

    @SuppressWarnings("unused")
    private static Map<String, String> digest(DataSource ds) {
        return Digest.of(ds, ReadModelSchema.LIVE);
    }
}
