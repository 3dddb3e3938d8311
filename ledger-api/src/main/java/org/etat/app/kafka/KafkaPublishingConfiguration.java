package org.etat.app.kafka;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Kafka publishing, on only when {@code etat.kafka.bootstrap} is set (from {@code ETAT_KAFKA_BOOTSTRAP}).
 * One pooled streaming processor, {@value #PROCESSING_GROUP}, from the start of the log; its tokens
 * are its own, so the read models and the audit chain never wait for the broker.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("!'${etat.kafka.bootstrap:}'.isBlank()")
@EnableConfigurationProperties(KafkaSettings.class)
public class KafkaPublishingConfiguration {

    public static final String PROCESSING_GROUP = "etat-kafka-publisher";
    private static final Logger LOG = LoggerFactory.getLogger(KafkaPublishingConfiguration.class);

    /** Idempotent, acks=all, and bounded waits: a send blocks at most the send timeout, then the batch is retried. */
    public static Properties producerProperties(String bootstrap, long sendTimeoutMs, String clientId) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5); // idempotence keeps order up to 5
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        int requestTimeout = (int) Math.max(1_000, Math.min(30_000, sendTimeoutMs / 2));
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, requestTimeout);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.max(sendTimeoutMs, requestTimeout + 5L));
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, sendTimeoutMs);
        p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 5_000);
        return p;
    }

    /**
     * The publisher's producer settings: {@link #producerProperties} plus a transactional id, the same
     * for every producer this process makes (a new one fences a broken one), unique per process (two
     * nodes must not fence each other). A transaction left open by a crash is aborted by the broker
     * after the transaction timeout, twice the send timeout.
     */
    public static Properties transactionalProducerProperties(KafkaSettings settings, String transactionalId) {
        Properties p = producerProperties(settings.bootstrap(), settings.sendTimeout().toMillis(), transactionalId);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) Math.max(10_000, Math.min(900_000, 2 * settings.sendTimeout().toMillis())));
        return p;
    }

    @Bean
    public PublisherStatus kafkaPublisherStatus() {
        return new PublisherStatus(Clock.systemUTC());
    }

    @Bean(destroyMethod = "close")
    public KafkaPublisher kafkaPublisher(KafkaSettings settings, DataSource dataSource, PublisherStatus status) {
        String transactionalId = "etat-publisher-" + UUID.randomUUID();
        LOG.info("Publishing events to Kafka topic {} on {} as {}", settings.topic(), settings.bootstrap(), transactionalId);
        Properties props = transactionalProducerProperties(settings, transactionalId);
        return new KafkaPublisher(() -> new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer()), settings,
                dataSource, status);
    }

    @Bean
    public ConfigurerModule kafkaPublisherProcessor(KafkaSettings settings) {
        return configurer -> configurer.eventProcessing(processing -> processing.registerPooledStreamingEventProcessor(
                PROCESSING_GROUP,
                org.axonframework.config.Configuration::eventStore,
                (config, builder) -> builder.batchSize(settings.batchSize())
                        .initialSegmentCount(settings.segments())
                        .maxClaimedSegments(settings.segments())));
    }

    /** Health component {@code kafka}: UP, or DEGRADED while failing or lagging (never DOWN). */
    @Bean
    public PublisherLag kafkaHealthIndicator(JdbcTemplate jdbc, PublisherStatus status, KafkaSettings settings,
            ObjectProvider<EventProcessingConfiguration> processing) {
        return new PublisherLag(jdbc, status, settings, () -> Optional.ofNullable(processing.getIfAvailable())
                .flatMap(p -> p.eventProcessor(PROCESSING_GROUP, StreamingEventProcessor.class)));
    }

    @Bean
    public MeterBinder kafkaPublisherMeters(PublisherLag lag, PublisherStatus status) {
        return registry -> registerMeters(registry, lag, status);
    }

    private static void registerMeters(MeterRegistry registry, PublisherLag lag, PublisherStatus status) {
        Gauge.builder("etat.kafka.publisher.lag", lag, PublisherLag::lag)
                .description("Positions of the event log not yet acknowledged by the Kafka broker").baseUnit("events").register(registry);
        FunctionCounter.builder("etat.kafka.publisher.published", status, PublisherStatus::publishedEvents)
                .description("Events acknowledged by the broker since start").baseUnit("events").register(registry);
        FunctionCounter.builder("etat.kafka.publisher.failures", status, PublisherStatus::failedBatches)
                .description("Batches that failed and were retried").register(registry);
    }
}
