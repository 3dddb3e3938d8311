package org.etat.app.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.etat.app.axon.AxonJson;
import org.etat.ledger.common.LedgerMetadata;
import org.etat.ledger.common.LineEvent;
import org.etat.projection.ProjectedEvent;

/**
 * What the topic carries for one recorded event: a canonical JSON object (UTF-8, keys sorted at every
 * level, no white space), so the same event always has the same bytes (except {@code auditHash}, see
 * below).
 *
 * <pre>
 * {"auditHash":"3f..."|null,"eventId":"...","globalSequence":42,"lineId":"2024-...",
 *  "metadata":{"effectiveDate":"2024-03-01","principal":"finance","recordedAt":"2024-...Z","requestId":"...",...},
 *  "payload":{...the event as stored, amounts in integer cents...},"schemaVersion":1,"type":"ExpenditureRecorded"}
 * </pre>
 *
 * <p>{@code auditHash} is the event's link in the audit chain (hex SHA-256 {@code chain_hash}) when the
 * chain already covered the event at the moment it was published, else null: the publisher does not
 * wait for the chain, so an outage of the chain writer cannot stop the stream. A consumer that needs
 * the hash of a null-hash event asks the ledger's audit API by event id.
 */
public record EventEnvelope(
        int schemaVersion,
        String eventId,
        long globalSequence,
        String type,
        String lineId,
        JsonNode payload,
        Map<String, String> metadata,
        String auditHash) {

    public static final int SCHEMA_VERSION = 1;
    /** An envelope bigger than this is refused on both sides (Kafka's default max message is 1 MB). */
    public static final int MAX_BYTES = 900_000;

    private static final ObjectMapper PAYLOAD = AxonJson.newMapper();
    private static final ObjectMapper CANONICAL = new ObjectMapper()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    public EventEnvelope {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    /** The envelope of one projected event (the publisher builds both from Axon's message). */
    public static EventEnvelope of(ProjectedEvent event, String auditHash) {
        if (!(event.payload() instanceof LineEvent line)) {
            throw new IllegalArgumentException("event " + event.eventId() + " is not a ledger line event");
        }
        Map<String, String> metadata = new TreeMap<>(event.metadata());
        metadata.put(LedgerMetadata.RECORDED_AT, event.recordedAt().toString());
        if (event.effectiveDate() != null) {
            metadata.put(LedgerMetadata.EFFECTIVE_DATE, event.effectiveDate().toString());
        }
        if (event.principal() != null) {
            metadata.put(LedgerMetadata.PRINCIPAL, event.principal());
        }
        return new EventEnvelope(SCHEMA_VERSION, event.eventId(), event.globalSequence(), EventTypes.nameOf(line.getClass()),
                line.lineId(), PAYLOAD.valueToTree(line), metadata, auditHash);
    }

    /** Canonical JSON bytes. */
    public byte[] toJson() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("schemaVersion", schemaVersion);
        root.put("eventId", eventId);
        root.put("globalSequence", globalSequence);
        root.put("type", type);
        root.put("lineId", lineId);
        root.put("payload", CANONICAL.convertValue(payload, Object.class));
        root.put("metadata", metadata);
        root.put("auditHash", auditHash);
        try {
            return CANONICAL.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write envelope of event " + eventId, e);
        }
    }

    /** Reads an envelope; anything malformed is a {@link PoisonMessageException} naming the reason. */
    public static EventEnvelope parse(byte[] json) {
        if (json == null) {
            throw new PoisonMessageException("empty value (tombstone)");
        }
        if (json.length > MAX_BYTES) {
            throw new PoisonMessageException("value of " + json.length + " bytes exceeds " + MAX_BYTES);
        }
        JsonNode root;
        try {
            root = CANONICAL.readTree(json);
        } catch (JsonProcessingException e) {
            throw new PoisonMessageException("not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new PoisonMessageException("not JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new PoisonMessageException("not a JSON object");
        }
        int version = required(root, "schemaVersion").asInt(-1);
        if (version != SCHEMA_VERSION) {
            throw new PoisonMessageException("unsupported schemaVersion " + root.get("schemaVersion") + " (this reader knows " + SCHEMA_VERSION + ")");
        }
        JsonNode sequence = required(root, "globalSequence");
        if (!sequence.canConvertToLong() || !sequence.isIntegralNumber() || sequence.asLong() < 0) {
            throw new PoisonMessageException("globalSequence is not a non-negative integer");
        }
        JsonNode payload = required(root, "payload");
        if (!payload.isObject()) {
            throw new PoisonMessageException("payload is not a JSON object");
        }
        JsonNode meta = required(root, "metadata");
        if (!meta.isObject()) {
            throw new PoisonMessageException("metadata is not a JSON object");
        }
        Map<String, String> metadata = new TreeMap<>();
        meta.fields().forEachRemaining(e -> {
            if (!e.getValue().isNull()) {
                metadata.put(e.getKey(), e.getValue().asText());
            }
        });
        JsonNode hash = root.get("auditHash");
        return new EventEnvelope(version, text(root, "eventId"), sequence.asLong(), text(root, "type"), text(root, "lineId"), payload,
                metadata, hash == null || hash.isNull() ? null : hash.asText());
    }

    /** The event as the projector consumes it; an unknown type or a payload that does not fit is poison. */
    public ProjectedEvent toProjected() {
        Class<?> cls = EventTypes.byName(type).orElseThrow(() -> new PoisonMessageException("unknown event type " + type));
        Object event;
        try {
            event = PAYLOAD.treeToValue(payload, cls);
        } catch (IOException | IllegalArgumentException e) {
            throw new PoisonMessageException("payload does not fit " + type + ": " + e.getMessage());
        }
        if (!(event instanceof LineEvent line) || !lineId.equals(line.lineId())) {
            throw new PoisonMessageException("payload names another line than the envelope's " + lineId);
        }
        Instant recordedAt;
        LocalDate effectiveDate;
        try {
            String recorded = metadata.get(LedgerMetadata.RECORDED_AT);
            if (recorded == null) {
                throw new PoisonMessageException("metadata.recordedAt is missing");
            }
            recordedAt = Instant.parse(recorded);
            String effective = metadata.get(LedgerMetadata.EFFECTIVE_DATE);
            effectiveDate = effective != null ? LocalDate.parse(effective) : line.effectiveDate();
        } catch (java.time.format.DateTimeParseException e) {
            throw new PoisonMessageException("metadata date is malformed: " + e.getParsedString());
        }
        return new ProjectedEvent(globalSequence, eventId, event, recordedAt, effectiveDate, metadata.get(LedgerMetadata.PRINCIPAL), metadata);
    }

    private static JsonNode required(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            throw new PoisonMessageException(field + " is missing");
        }
        return node;
    }

    private static String text(JsonNode root, String field) {
        JsonNode node = required(root, field);
        if (!node.isTextual() || node.asText().isBlank()) {
            throw new PoisonMessageException(field + " is not a non-empty string");
        }
        return node.asText();
    }
}
