package org.etat.app.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.etat.app.kafka.KafkaTestSupport.await;
import static org.etat.app.kafka.KafkaTestSupport.readAll;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.axonframework.config.EventProcessingConfiguration;
import org.etat.app.ledger.EventLog;
import org.etat.app.ledger.LedgerGateway;
import org.etat.app.testsupport.EtatIntegrationTest;
import org.junit.jupiter.api.AfterAll;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.HttpCodeStatusMapper;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The broker goes away in the middle of a load and comes back: recording never waits for it, health
 * says DEGRADED meanwhile, and afterwards every event is on the topic, each line's in its order.
 * The broker is {@link TestKafka#restartable}: Testcontainers' Kafka, paused and unpaused, where a
 * Docker engine answers; otherwise {@link LocalKafkaBroker} (Apache Kafka's KRaft server, as
 * {@code serve --with-kafka} runs it), stopped and restarted on the same port and log directory.
 */
class KafkaBrokerOutageIntegrationTest extends EtatIntegrationTest {

    private static final Duration DEADLINE = Duration.ofSeconds(180);
    private static TestKafka.Broker broker;
    private static EventProcessingConfiguration processors;

    @Autowired
    LedgerGateway ledger;
    @Autowired
    EventLog log;
    @Autowired
    PublisherLag lag;
    @Autowired
    PublisherStatus status;
    @Autowired
    HealthEndpoint health;
    @Autowired
    HttpCodeStatusMapper httpCodes;

    @DynamicPropertySource
    static void kafka(DynamicPropertyRegistry registry) throws IOException {
        Path dir = Files.createTempDirectory(Path.of("target"), "kafka-outage-");
        broker = TestKafka.restartable(dir.resolve("log"));
        System.out.println("Kafka under test: " + broker.kind() + " at " + broker.bootstrap());
        registry.add("etat.kafka.bootstrap", broker::bootstrap);
        registry.add("etat.kafka.partitions", () -> "3");
        registry.add("etat.kafka.batch-size", () -> "20");
        registry.add("etat.kafka.send-timeout", () -> "2s");
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
    void givenTheBrokerStoppedMidLoad_whenItComesBack_thenEveryEventArrivesInPerLineOrderAndRecordingNeverWaited() throws Exception {
        List<String> lines = KafkaTestSupport.openLines(ledger, "07070", 4);
        for (int n = 0; n < 10; n++) {
            for (String line : lines) {
                KafkaTestSupport.spend(ledger, line, n);
            }
        }
        broker.outage();
        // Recording goes on without the broker: every command returns (the publisher is a processor of its own).
        for (int n = 10; n < 40; n++) {
            for (String line : lines) {
                KafkaTestSupport.spend(ledger, line, n);
            }
        }
        await("health reports the publisher DEGRADED while the broker is away", DEADLINE,
                () -> lag.health().getStatus().equals(PublisherLag.DEGRADED) && status.consecutiveFailures() > 0);
        assertThat(lag.lag()).isPositive();
        // The application as a whole is not DOWN: the component shows, the endpoint still answers 200.
        assertThat(health.healthForPath("kafka").getStatus()).isEqualTo(PublisherLag.DEGRADED);
        assertThat(health.health().getStatus()).isEqualTo(PublisherLag.DEGRADED);
        assertThat(httpCodes.getStatusCode(health.health().getStatus())).isEqualTo(200);

        broker.recover();
        await("the backlog drained after the broker returned", DEADLINE, () -> lag.lag() == 0);
        await("health UP again", DEADLINE, () -> lag.health().getStatus().getCode().equals("UP"));
        assertThat(health.health().getStatus().getCode()).isEqualTo("UP");

        List<EventLog.StoredEvent> stored = log.all();
        Map<String, List<String>> expected = new LinkedHashMap<>();
        for (EventLog.StoredEvent e : stored) {
            expected.computeIfAbsent(e.aggregateId(), k -> new ArrayList<>()).add(e.eventId()); // log order = sequence order per line
        }
        Map<String, Set<String>> arrived = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> r : readAll(broker.bootstrap(), KafkaSettings.DEFAULT_TOPIC)) {
            arrived.computeIfAbsent(r.key(), k -> new LinkedHashSet<>()).add(EventEnvelope.parse(r.value()).eventId());
        }
        assertThat(stored).hasSize(4 * 2 + 4 * 40);
        assertThat(arrived.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        expected.forEach((line, ids) -> assertThat(new ArrayList<>(arrived.get(line))).as("events of %s in order", line).isEqualTo(ids));
    }

}
