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
        long wall = ChronoUnit.MICROS.between(Instant.EPOCH, clock.instant());
        long micros = lastMicros.updateAndGet(last -> Math.max(wall, last + 1));
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }
}
