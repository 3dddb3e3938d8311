package org.etat.ledger.recording;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ledger's clock for {@code recordedAt}: UTC, whole microseconds (what PostgreSQL's timestamptz
 * keeps), and strictly increasing within the JVM even when the wall clock stalls or steps back, so
 * that the recording order of two units of work is never ambiguous.
 */
public final class RecordingClock {

    private final Clock clock;
    private final AtomicLong lastMicros = new AtomicLong(Long.MIN_VALUE);

    public RecordingClock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public static RecordingClock systemUtc() {
        return new RecordingClock(Clock.systemUTC());
    }

    /** The next instant: the wall clock's, or one microsecond after the previous one if that is later. */
    public Instant next() {
        return nextAfter(null);
    }

    /** Like {@link #next()}, and also at least one microsecond after {@code floor} (null: no floor). */
    public Instant nextAfter(Instant floor) {
        long wall = ChronoUnit.MICROS.between(Instant.EPOCH, clock.instant());
        long min = floor == null ? Long.MIN_VALUE : ChronoUnit.MICROS.between(Instant.EPOCH, floor) + 1;
        long micros = lastMicros.updateAndGet(last -> Math.max(Math.max(wall, min), last + 1));
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }
}
