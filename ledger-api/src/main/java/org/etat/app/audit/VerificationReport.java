package org.etat.app.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.etat.ledger.conservation.ConservationReport;

/**
 * The answer of one verification of the log, as the CLI prints it and the HTTP API returns and
 * stores it. {@code ok} when the chain is intact, the books balance and the digest (if one was
 * given) is valid. {@code firstBad} is the first damaged global sequence of the chain (null when
 * intact); {@code unchainedEvents} were appended after the chain's head and are not covered yet.
 */
@JsonPropertyOrder({"ok", "verifiedAt", "eventsChecked", "headSequence", "headHash", "unchainedEvents", "firstBad", "conservation",
        "digest"})
@JsonInclude(JsonInclude.Include.ALWAYS)
public record VerificationReport(boolean ok, String verifiedAt, long eventsChecked, Long headSequence, String headHash,
        long unchainedEvents, FirstBad firstBad, Conservation conservation, DigestCheck digest) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The first damaged position: its global sequence, the kind (CHANGED, MISSING, INSERTED, REORDERED, CHAIN_CORRUPT), why. */
    public record FirstBad(long globalSequence, String kind, String detail) {
    }

    /** ConservationCheck over the whole log. */
    public record Conservation(boolean ok, long eventsChecked, ConservationReport.Violation firstViolation) {
    }

    /** The log against an exported digest: outcome VALID, WRONG_KEY, BAD_SIGNATURE, SEQUENCE_MISSING, COUNT_MISMATCH, HEAD_MISMATCH. */
    public record DigestCheck(boolean valid, String outcome, long sequence, String headHash, String issuedAt, String detail) {
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
