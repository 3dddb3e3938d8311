package org.etat.app.axon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Random;
import org.axonframework.common.DateTimeUtils;
import org.junit.jupiter.api.Test;

/** The timestamp text is Axon's own, character for character (the read side and the audit chain read it). */
class EventTimestampsTest {

    static final long SEED = Long.getLong("etat.test.seed", 20261124L);

    @Test
    void givenAnyInstant_whenFormatted_thenTheTextIsWhatAxonWrites() {
        Random random = new Random(SEED);
        long from = Instant.parse("0001-01-01T00:00:00Z").getEpochSecond();
        long to = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        for (int i = 0; i < 50_000; i++) {
            long second = i % 2 == 0 ? from + (long) (random.nextDouble() * (to - from))
                    : Instant.parse("2020-01-01T00:00:00Z").getEpochSecond() + random.nextInt(400_000_000);
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1_000) * 1_000_000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(second, nanos);
            assertThat(EventTimestamps.format(instant)).as("seed " + SEED + ", " + instant).isEqualTo(DateTimeUtils.formatInstant(instant));
        }
        for (String edge : new String[] {"1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999999999Z", "2024-02-29T23:59:59.999Z",
                "9999-12-31T23:59:59.999Z", "1000-01-01T00:00:00Z", "0999-12-31T23:59:59Z"}) {
            Instant instant = Instant.parse(edge);
            assertThat(EventTimestamps.format(instant)).as(edge).isEqualTo(DateTimeUtils.formatInstant(instant));
        }
    }
}
