package org.etat.app.kafka;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * How far the publisher is behind the log, in global-index positions (head of the event store minus
 * the highest position the broker acknowledged), as the {@code etat.kafka.publisher.lag} gauge and the
 * {@code kafka} health component. The component reports {@link #DEGRADED} (HTTP 200, never DOWN: the
 * ledger keeps recording) while batches fail or the lag exceeds {@code etat.kafka.lag-degraded-events}.
 */
public final class PublisherLag implements HealthIndicator {

    public static final Status DEGRADED = new Status("DEGRADED", "publishing to Kafka is failing or behind; recording is unaffected");
    /** Health and scrapes may come often; the head query is cheap but needs not run more often than this. */
    private static final Duration CACHE = Duration.ofMillis(500);

    private final JdbcTemplate jdbc;
    private final PublisherStatus status;
    private final KafkaSettings settings;
    private final Supplier<Optional<StreamingEventProcessor>> processor;
    private volatile long cachedAtNanos;
    private volatile long cachedLag = -1;

    public PublisherLag(JdbcTemplate jdbc, PublisherStatus status, KafkaSettings settings,
            Supplier<Optional<StreamingEventProcessor>> processor) {
        this.jdbc = jdbc;
        this.status = status;
        this.settings = settings;
        this.processor = processor;
    }

    /** Positions of the log not yet acknowledged by the broker. */
    public long lag() {
        long now = System.nanoTime();
        if (cachedLag >= 0 && now - cachedAtNanos < CACHE.toNanos()) {
            return cachedLag;
        }
        // After a restart the publisher's own record is empty until its first batch: take the tokens' positions.
        processor.get().ifPresent(p -> p.processingStatus().values().stream().map(EventTrackerStatus::getCurrentPosition)
                .forEach(pos -> pos.ifPresent(status::observedPosition)));
        Long head = jdbc.queryForObject("SELECT coalesce(max(global_index), 0) FROM domain_event_entry", Long.class);
        long lag = Math.max(0, (head == null ? 0 : head) - Math.max(0, status.acknowledgedPosition()));
        cachedLag = lag;
        cachedAtNanos = now;
        return lag;
    }

    @Override
    public Health health() {
        long lag = lag();
        boolean failing = status.consecutiveFailures() > 0;
        Health.Builder builder = failing || lag > settings.lagDegradedEvents() ? Health.status(DEGRADED) : Health.up();
        builder.withDetail("topic", settings.topic())
                .withDetail("lagEvents", lag)
                .withDetail("acknowledgedPosition", status.acknowledgedPosition())
                .withDetail("consecutiveFailures", status.consecutiveFailures());
        if (failing && status.lastError() != null) {
            builder.withDetail("lastError", status.lastError());
        }
        return builder.build();
    }
}
