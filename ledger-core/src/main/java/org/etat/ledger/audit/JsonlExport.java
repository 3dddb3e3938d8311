package org.etat.ledger.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Iterator;

/**
 * Raw events with their hashes, one JSON object per line. Payload and metadata are the stored
 * bytes in base64, so that an outside verifier can recompute every hash from this file alone
 * ({@link #parseRow} reads a line back into the row it came from).
 *
 * <pre>
 * {"globalSequence":1,"eventId":"…","aggregateType":"BudgetLine","aggregateId":"2024-08030-54669",
 *  "aggregateSequence":0,"payloadType":"org.etat…","payloadRevision":null,"timestamp":"…",
 *  "payload":"base64","metadata":"base64 or null","leafHash":"hex","chainHash":"hex"}
 * </pre>
 * Excerpts (one year's events) add {@code "previousChainHash":"hex"} to each line.
 */
public final class JsonlExport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonlExport() {
    }

    /** Writes one line per row, chaining as it goes; returns the head link (null for no rows). */
    public static ChainLink write(Iterator<RawEventRow> rows, Appendable out) {
        AuditChain chain = new AuditChain();
        ChainLink last = null;
        try {
            while (rows.hasNext()) {
                RawEventRow row = rows.next();
                last = chain.append(row);
                out.append(line(row, last)).append('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return last;
    }

    public static String line(RawEventRow row, ChainLink link) {
        return line(row, link, null);
    }

    /**
     * A line that also names the chain hash before it ({@code previousChainHash}), so that a line
     * checks on its own: {@code chainHash = SHA-256(previousChainHash || canonical row)}. Used for
     * excerpts of the log (one year's events), where the line before is not in the file.
     */
    public static String line(RawEventRow row, ChainLink link, Sha256Hash previousChainHash) {
        ObjectNode n = JSON.createObjectNode();
        n.put("globalSequence", row.globalSequence());
        n.put("eventId", row.eventId());
        n.put("aggregateType", row.aggregateType());
        n.put("aggregateId", row.aggregateId());
        n.put("aggregateSequence", row.aggregateSequence());
        n.put("payloadType", row.payloadType());
        n.put("payloadRevision", row.payloadRevision());
        n.put("timestamp", row.timestamp());
        n.put("payload", Base64.getEncoder().encodeToString(row.payload()));
        byte[] metadata = row.metadata();
        n.put("metadata", metadata == null ? null : Base64.getEncoder().encodeToString(metadata));
        n.put("leafHash", link.leafHash().hex());
        n.put("chainHash", link.chainHash().hex());
        if (previousChainHash != null) {
            n.put("previousChainHash", previousChainHash.hex());
        }
        try {
            return JSON.writeValueAsString(n);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static RawEventRow parseRow(String line) {
        try {
            JsonNode n = JSON.readTree(line);
            return new RawEventRow(n.get("globalSequence").asLong(), n.get("eventId").asText(), text(n, "aggregateType"),
                    text(n, "aggregateId"), n.get("aggregateSequence").asLong(), n.get("payloadType").asText(),
                    text(n, "payloadRevision"), Base64.getDecoder().decode(n.get("payload").asText()),
                    text(n, "metadata") == null ? null : Base64.getDecoder().decode(text(n, "metadata")),
                    n.get("timestamp").asText());
        } catch (IOException | NullPointerException e) {
            throw new IllegalArgumentException("not a line of an Etat audit JSONL export: " + e.getMessage(), e);
        }
    }

    public static ChainLink parseLink(String line) {
        try {
            JsonNode n = JSON.readTree(line);
            return new ChainLink(n.get("globalSequence").asLong(), n.get("eventId").asText(),
                    Sha256Hash.parseHex(n.get("leafHash").asText()), Sha256Hash.parseHex(n.get("chainHash").asText()));
        } catch (IOException | NullPointerException e) {
            throw new IllegalArgumentException("not a line of an Etat audit JSONL export: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
