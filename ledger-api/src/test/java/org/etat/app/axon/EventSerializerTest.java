package org.etat.app.axon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;

/** Event metadata written by the short path is byte for byte what Jackson writes, and reads back the same. */
class EventSerializerTest {

    static final long SEED = Long.getLong("etat.test.seed", 20261124L);
    static final String ALPHABET = "abcXYZ019-_:/.@ äöüß€\"\\\n\t\r\b\f\u0001\u001f\u007f漢\uD83D\uDE00";

    final Serializer jackson = JacksonSerializer.builder().objectMapper(AxonJson.newMapper()).lenientDeserialization().build();
    final Serializer events = EventSerializer.of(JacksonSerializer.builder().objectMapper(AxonJson.newMapper()).lenientDeserialization());

    @Test
    void givenRandomStringMetadata_whenSerialized_thenTheBytesAreJacksonsAndReadBackEqual() {
        Random random = new Random(SEED);
        for (int n = 0; n < 5_000; n++) {
            Map<String, Object> values = new LinkedHashMap<>();
            int size = random.nextInt(9);
            for (int i = 0; i < size; i++) {
                values.put(text(random), text(random));
            }
            MetaData metaData = MetaData.from(values);
            SerializedObject<byte[]> ours = events.serialize(metaData, byte[].class);
            SerializedObject<byte[]> theirs = jackson.serialize(metaData, byte[].class);

            assertThat(new String(ours.getData(), java.nio.charset.StandardCharsets.UTF_8)).as("seed " + SEED + ", case " + n)
                    .isEqualTo(new String(theirs.getData(), java.nio.charset.StandardCharsets.UTF_8));
            assertThat(ours.getType()).isEqualTo(theirs.getType());
            assertThat((Object) events.deserialize(ours)).isEqualTo(metaData);
        }
    }

    @Test
    void givenMetadataWithOtherValuesOrAnUnpairedSurrogate_whenSerialized_thenJacksonWritesIt() {
        MetaData mixed = MetaData.with("count", 3).and("principal", "finance");
        MetaData surrogate = MetaData.with("purpose", "broken \uD800 text");

        for (MetaData m : new MetaData[] {mixed, surrogate}) {
            assertThat(events.serialize(m, byte[].class).getData()).isEqualTo(jackson.serialize(m, byte[].class).getData());
        }
    }

    private static String text(Random random) {
        StringBuilder s = new StringBuilder();
        int length = random.nextInt(30);
        for (int i = 0; i < length; i++) {
            char c = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
            if (Character.isHighSurrogate(c) && i + 1 < length) {
                s.append("\uD83D\uDE00");
                i++;
            } else if (!Character.isSurrogate(c)) {
                s.append(c);
            }
        }
        return s.toString();
    }
}
