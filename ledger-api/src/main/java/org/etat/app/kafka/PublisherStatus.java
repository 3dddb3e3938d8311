package org.etat.app.kafka;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** What the publisher last achieved: the highest acknowledged position and the last failure, for health and metrics. */
public final class PublisherStatus {

    private final Clock clock;
    private final AtomicLong acknowledgedPosition = new AtomicLong(-1);
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile int consecutiveFailures;
    private volatile String lastError;
    private volatile Instant lastFailureAt;
    private volatile Instant lastSuccessAt;

    public PublisherStatus(Clock clock) {
        this.clock = clock;
    }

    void published(long upToPosition, int events) {
        acknowledgedPosition.accumulateAndGet(upToPosition, Math::max);
        published.addAndGet(events);
        consecutiveFailures = 0;
        lastSuccessAt = clock.instant();
    }

    void failed(Throwable cause) {
        failures.incrementAndGet();
        consecutiveFailures++;
        lastFailureAt = clock.instant();
        lastError = cause == null ? "unknown" : cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    /** Highest global sequence the broker acknowledged since start, -1 before the first batch. */
    public long acknowledgedPosition() {
        return acknowledgedPosition.get();
    }

    void observedPosition(long position) {
        acknowledgedPosition.accumulateAndGet(position, Math::max);
    }

    public long publishedEvents() {
        return published.get();
    }

    public long failedBatches() {
        return failures.get();
    }

    /** Failed batches since the last success: above zero means the broker is away or too slow. */
    public int consecutiveFailures() {
        return consecutiveFailures;
    }

    public String lastError() {
        return lastError;
    }

    public Instant lastFailureAt() {
        return lastFailureAt;
    }

    public Instant lastSuccessAt() {
        return lastSuccessAt;
    }
}
