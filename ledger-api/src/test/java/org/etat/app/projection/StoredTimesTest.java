package org.etat.app.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The fast parsers of stored instants and dates give what {@link Instant#parse} and
 * {@link LocalDate#parse} give, for whatever {@code toString} writes, and refuse what they refuse.
 * Seeded: {@code -Detat.seed=N} replays.
 */
class StoredTimesTest {

    @Test
    void whatToStringWritesParsesBackToTheSameInstantAndDate() {
        long seed = Long.getLong("etat.seed", new Random().nextLong());
        Random random = new Random(seed);
        for (int i = 0; i < 20_000; i++) {
            long second = Instant.parse("1990-01-01T00:00:00Z").getEpochSecond() + (long) (random.nextDouble() * 100L * 365 * 86_400);
            int nanos = switch (random.nextInt(4)) {
                case 0 -> 0;
                case 1 -> random.nextInt(1_000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant t = Instant.ofEpochSecond(second, nanos);
            assertThat(ReadModelProjection.instant(t.toString())).as("seed %d: %s", seed, t).isEqualTo(t);
            LocalDate d = LocalDate.ofEpochDay(second / 86_400);
            assertThat(ReadModelProjection.date(d.toString())).as("seed %d: %s", seed, d).isEqualTo(d);
        }
    }

    @Test
    void otherFormsGoToTheJdkParsersAndInvalidOnesAreRefusedAlike() {
        assertThat(ReadModelProjection.instant("2024-03-01T10:15:30.5Z")).isEqualTo(Instant.parse("2024-03-01T10:15:30.5Z"));
        assertThat(ReadModelProjection.instant("2024-03-01T24:00:00Z")).isEqualTo(Instant.parse("2024-03-01T24:00:00Z"));
        assertThat(ReadModelProjection.instant("2024-03-01T10:15:30.Z")).isEqualTo(Instant.parse("2024-03-01T10:15:30.Z"));
        assertThat(ReadModelProjection.instant("+12024-03-01T10:15:30Z")).isEqualTo(Instant.parse("+12024-03-01T10:15:30Z"));
        for (String bad : new String[] {"2024-02-30T10:15:30Z", "2024-03-01T24:00:01Z", "2024-03-01 10:15:30Z",
                "2024-03-01T10:15:3xZ", "2024-03-01T10:15:30.1234567890Z"}) {
            assertThatThrownBy(() -> ReadModelProjection.instant(bad)).as(bad).isInstanceOf(DateTimeException.class);
            assertThatThrownBy(() -> Instant.parse(bad)).as(bad).isInstanceOf(DateTimeException.class);
        }
        assertThatThrownBy(() -> ReadModelProjection.date("2023-02-29")).isInstanceOf(DateTimeException.class);
        assertThatThrownBy(() -> ReadModelProjection.date("2023-2-28")).isInstanceOf(DateTimeException.class);
    }
}
