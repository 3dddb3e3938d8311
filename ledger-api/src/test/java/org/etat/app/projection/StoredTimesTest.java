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
    void theRebuildsMapperReadsEveryDateAsTheSerializersMapperDoes() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper axon = org.etat.app.axon.AxonJson.newMapper();
        com.fasterxml.jackson.databind.ObjectMapper rebuild = StoredEvents.withIsoDates(axon);
        long seed = Long.getLong("etat.seed", new Random().nextLong());
        Random random = new Random(seed);
        java.util.List<String> forms = new java.util.ArrayList<>(java.util.List.of("\"2024-02-29\"", "\"2023-02-29\"", "\"2024-04-31\"",
                "\"2024-13-01\"", "\"2024-00-10\"", "\"2024-01-00\"", "\"0000-01-01\"", "\"2024-1-01\"", "\"2024/01/01\"", "\"20240101xx\"",
                "\"+12024-01-01\"", "\"2024-01-02T00:00\"", "\" 2024-01-02\"", "\"\"", "[2024,1,2]", "19000", "null", "\"2024-01-0a\""));
        for (int i = 0; i < 2_000; i++) {
            forms.add("\"" + LocalDate.ofEpochDay(random.nextInt(200 * 365) - 30 * 365) + "\"");
        }
        for (String json : forms) {
            Object expected = read(axon, json);
            Object actual = read(rebuild, json);
            assertThat(actual).as("seed %d: %s", seed, json).isEqualTo(expected);
        }
        // The serializer's own mapper is not changed.
        assertThat(axon.readValue("\"2024-01-02\"", LocalDate.class)).isEqualTo(LocalDate.of(2024, 1, 2));
    }

    /** The date read, or the class of what refused it. */
    private static Object read(com.fasterxml.jackson.databind.ObjectMapper mapper, String json) {
        try {
            return mapper.readValue("{\"d\":" + json + "}", Dated.class).d();
        } catch (Exception e) {
            return e.getClass();
        }
    }

    record Dated(LocalDate d) {
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
