package org.etat.ledger.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;

/**
 * A digest as a small JSON file, to be published or handed to an auditor:
 *
 * <pre>
 * {
 *   "format" : "etat-audit-digest/1",
 *   "sequence" : 1042,
 *   "eventCount" : 1042,
 *   "headHash" : "9f86d0...",          (64 hex digits)
 *   "issuedAt" : "2026-11-24T17:00:00Z",
 *   "keyAlgorithm" : "Ed25519",
 *   "keyFingerprint" : "3b1c...",      (SHA-256 of the public key's X.509 DER, hex)
 *   "signature" : "base64..."          (over Digest.signedText())
 * }
 * </pre>
 */
public final class DigestFile {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final long MAX_FILE_BYTES = 64 * 1024;

    private DigestFile() {
    }

    public static String toJson(Digest d) {
        ObjectNode n = JSON.createObjectNode();
        n.put("format", Digest.FORMAT);
        n.put("sequence", d.sequence());
        n.put("eventCount", d.eventCount());
        n.put("headHash", d.headHash().hex());
        n.put("issuedAt", d.issuedAt().toString());
        n.put("keyAlgorithm", DigestKeys.ALGORITHM);
        n.put("keyFingerprint", d.keyFingerprint());
        n.put("signature", Base64.getEncoder().encodeToString(d.signature()));
        try {
            return JSON.writeValueAsString(n) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Digest fromJson(String text) {
        JsonNode n;
        try {
            n = JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException("a digest file is JSON: " + e.getMessage(), e);
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("a digest file holds one JSON object");
        }
        String format = text(n, "format");
        if (!Digest.FORMAT.equals(format)) {
            throw new IllegalArgumentException("unknown digest format \"" + format + "\", expected " + Digest.FORMAT);
        }
        if (!DigestKeys.ALGORITHM.equals(text(n, "keyAlgorithm"))) {
            throw new IllegalArgumentException("digest key algorithm must be " + DigestKeys.ALGORITHM);
        }
        try {
            return new Digest(number(n, "sequence"), number(n, "eventCount"), Sha256Hash.parseHex(text(n, "headHash")),
                    Instant.parse(text(n, "issuedAt")), text(n, "keyFingerprint"),
                    Base64.getDecoder().decode(text(n, "signature")));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("digest issuedAt is not an ISO instant: " + e.getParsedString(), e);
        }
    }

    public static void write(Digest d, Path file) throws IOException {
        Files.writeString(file, toJson(d), StandardCharsets.UTF_8);
    }

    public static Digest read(Path file) throws IOException {
        if (Files.size(file) > MAX_FILE_BYTES) {
            throw new IOException(file + " is larger than " + MAX_FILE_BYTES + " bytes: not a digest file");
        }
        return fromJson(Files.readString(file, StandardCharsets.UTF_8));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("digest field \"" + field + "\" is missing or not a string");
        }
        return v.asText();
    }

    private static long number(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.canConvertToLong() || !v.isIntegralNumber()) {
            throw new IllegalArgumentException("digest field \"" + field + "\" is missing or not an integer");
        }
        return v.asLong();
    }
}
