package org.etat.app.projection;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The rebuild's shortcut through event metadata ({@link StoredEvents#flatStrings}) either gives what
 * the streaming Jackson reading gives, or declines (and Jackson reads it). Seeded:
 * {@code -Detat.seed=N} replays one run.
 */
class FlatMetadataTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theLedgersOwnMetadataIsReadWithoutAParser() {
        String meta = "{\"principal\":\"haushalt-bmf\",\"requestId\":\"r-1\",\"recordedAt\":\"2024-03-01T10:15:30.123456Z\","
                + "\"effectiveDate\":\"2024-02-29\",\"correlationId\":\"c\",\"traceId\":\"t\"}";

        String[] found = StoredEvents.flatStrings(bytes(meta), 0, bytes(meta).length);

        assertThat(found).containsExactly("2024-03-01T10:15:30.123456Z", "2024-02-29", "haushalt-bmf");
    }

    @Test
    void anythingElseIsLeftToJackson() {
        for (String meta : List.of("{\"principal\":\"M\\u00fcller\"}", "{\"principal\":\"Müller\"}", "{\"recordedAt\":17}",
                "{\"x\":{\"principal\":\"a\"}}", "{\"principal\":\"a\"", "[]", "{\"principal\":\"a\"} x", "{\"a\":true}", "")) {
            assertThat(StoredEvents.flatStrings(bytes(meta), 0, bytes(meta).length)).as(meta).isNull();
        }
    }

    @Test
    void whereItAnswersItAnswersAsJacksonDoesOnRandomFlatObjects() throws Exception {
        long seed = Long.getLong("etat.seed", new Random().nextLong());
        Random random = new Random(seed);
        String[] keys = {"principal", "recordedAt", "effectiveDate", "requestId", "traceId", "principa", "recordedAtX"};
        int answered = 0;
        for (int run = 0; run < 2_000; run++) {
            StringBuilder json = new StringBuilder(random.nextBoolean() ? " {" : "{");
            int fields = random.nextInt(7);
            for (int f = 0; f < fields; f++) {
                json.append(f == 0 ? "" : random.nextBoolean() ? "," : " , ").append('"').append(keys[random.nextInt(keys.length)]).append('"')
                        .append(random.nextBoolean() ? ":" : " :\n").append(value(random));
            }
            json.append(random.nextInt(10) == 0 ? "} " : "}");
            byte[] b = bytes(json.toString());
            // Inside a larger array, as the COPY stream hands it over.
            byte[] framed = new byte[b.length + 6];
            System.arraycopy(b, 0, framed, 3, b.length);

            String[] fast = StoredEvents.flatStrings(framed, 3, b.length);

            if (fast != null) {
                answered++;
                assertThat(fast).as("seed " + seed + " (replay with -Detat.seed=" + seed + "): " + json).containsExactly(jackson(b));
            }
        }
        assertThat(answered).as("seed " + seed).isGreaterThan(100);
    }

    private static String value(Random random) {
        return switch (random.nextInt(8)) {
            case 0 -> "null";
            case 1 -> "12";
            case 2 -> "\"a\\\"b\"";
            default -> "\"" + "2024-01-0" + random.nextInt(10) + "T00:00:00Z".substring(0, random.nextInt(11)) + "\"";
        };
    }

    /** The streaming reading of StoredEvents' Jackson path: the three values, or null where it would decode the metadata in full. */
    private static String[] jackson(byte[] b) throws Exception {
        String[] found = new String[3];
        List<String> wanted = new ArrayList<>(List.of("recordedAt", "effectiveDate", "principal"));
        try (JsonParser p = JSON.getFactory().createParser(b)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                int k = wanted.indexOf(p.currentName());
                JsonToken value = p.nextToken();
                if (k < 0) {
                    p.skipChildren();
                } else if (value == JsonToken.VALUE_STRING) {
                    found[k] = p.getText();
                } else if (value != JsonToken.VALUE_NULL) {
                    return null;
                }
            }
        }
        return found;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
