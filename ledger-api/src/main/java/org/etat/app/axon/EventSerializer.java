package org.etat.app.axon;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.json.JacksonSerializer;

/**
 * Axon's Jackson serializer, with a short path for event metadata: a flat map of strings (who,
 * which request, recordedAt, effectiveDate, correlation ids) is written as the same JSON bytes
 * Jackson writes, without Jackson's generator per event (it cost more than the payload itself per
 * appended event). Anything else, and metadata with other values, goes through Jackson. Reading is
 * Jackson's in every case.
 */
public final class EventSerializer extends JacksonSerializer {

    private EventSerializer(Builder builder) {
        super(builder);
    }

    /** A serializer on {@code builder}'s settings (object mapper, lenient deserialization, ...). */
    public static EventSerializer of(Builder builder) {
        return new EventSerializer(builder);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> SerializedObject<T> serialize(Object object, Class<T> expectedRepresentation) {
        if (object instanceof MetaData metaData && expectedRepresentation == byte[].class) {
            byte[] json = flatJson(metaData);
            if (json != null) {
                return (SerializedObject<T>) new SimpleSerializedObject<>(json, byte[].class, typeForClass(MetaData.class));
            }
        }
        return super.serialize(object, expectedRepresentation);
    }

    /** {"key":"value",...} in the map's order, escaped as Jackson escapes; null if a value is not a string. */
    static byte[] flatJson(Map<String, ?> map) {
        StringBuilder json = new StringBuilder(64 + 48 * map.size()).append('{');
        boolean first = true;
        for (Map.Entry<String, ?> e : map.entrySet()) {
            if (!(e.getValue() instanceof String value) || e.getKey() == null) {
                return null;
            }
            if (!first) {
                json.append(',');
            }
            first = false;
            if (!string(json, e.getKey())) {
                return null;
            }
            json.append(':');
            if (!string(json, value)) {
                return null;
            }
        }
        return json.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /** False for text Jackson would treat differently (unpaired surrogates are left to it). */
    private static boolean string(StringBuilder json, String s) {
        json.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20) {
                switch (c) {
                    case '\b' -> json.append("\\b");
                    case '\t' -> json.append("\\t");
                    case '\n' -> json.append("\\n");
                    case '\f' -> json.append("\\f");
                    case '\r' -> json.append("\\r");
                    default -> json.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                }
            } else if (Character.isSurrogate(c)) {
                return false;
            } else {
                json.append(c);
            }
        }
        json.append('"');
        return true;
    }
}
