package org.etat.ledger.recording;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RecordingClockTest {

    @Test
    void givenAFrozenClock_thenInstantsStillIncreaseByOneMicrosecond() {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        RecordingClock clock = new RecordingClock(Clock.fixed(t, ZoneOffset.UTC));

        assertThat(clock.next()).isEqualTo(t);
        assertThat(clock.next()).isEqualTo(t.plusNanos(1_000));
        assertThat(clock.next()).isEqualTo(t.plusNanos(2_000));
    }

    @Test
    void givenAClockThatStepsBack_thenInstantsNeverGoBack() {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:10Z"));
        RecordingClock clock = new RecordingClock(new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        });
        Instant first = clock.next();
        now.set(Instant.parse("2026-01-01T00:00:05Z"));

        assertThat(clock.next()).isAfter(first);
        now.set(Instant.parse("2026-01-01T00:00:20.123456789Z"));
        assertThat(clock.next()).isEqualTo(Instant.parse("2026-01-01T00:00:20.123456Z"));
    }

    @Test
    void givenAFloorAheadOfTheClock_thenTheInstantIsJustAfterItAndLaterInstantsStayAfter() {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        RecordingClock clock = new RecordingClock(Clock.fixed(t, ZoneOffset.UTC));
        Instant floor = t.plusSeconds(600);

        assertThat(clock.nextAfter(floor)).isEqualTo(floor.plusNanos(1_000));
        assertThat(clock.next()).isEqualTo(floor.plusNanos(2_000));
        assertThat(clock.nextAfter(t)).isEqualTo(floor.plusNanos(3_000));
    }
}
