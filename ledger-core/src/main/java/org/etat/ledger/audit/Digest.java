package org.etat.ledger.audit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;

/**
 * A signed statement "the audit chain up to global sequence {@code sequence} has head
 * {@code headHash}", issued at {@code issuedAt} with the key whose SHA-256 fingerprint is
 * {@code keyFingerprint}. Published outside the database, it makes a rewrite of history that
 * is also rebuilt from scratch detectable.
 *
 * <p>The signature covers {@link #signedText()}. A later version may add a Merkle root over the
 * leaf hashes of this digest's range (see {@link ChainLink}); it will be a new line in a new
 * format version, so digests of this version stay verifiable.
 */
public record Digest(long sequence, long eventCount, Sha256Hash headHash, Instant issuedAt, String keyFingerprint,
                     byte[] signature) {
    public static final String FORMAT = "etat-audit-digest/1";

    public Digest {
        Objects.requireNonNull(headHash, "headHash");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(keyFingerprint, "keyFingerprint");
        Objects.requireNonNull(signature, "signature");
        if (eventCount < 0) {
            throw new IllegalArgumentException("eventCount must not be negative");
        }
        signature = signature.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /** The exact bytes that are signed: one field per line, LF endings, UTF-8. */
    public byte[] signedText() {
        return signedText(sequence, eventCount, headHash, issuedAt, keyFingerprint);
    }

    static byte[] signedText(long sequence, long eventCount, Sha256Hash headHash, Instant issuedAt, String keyFingerprint) {
        return (FORMAT + "\n"
                + "sequence=" + sequence + "\n"
                + "eventCount=" + eventCount + "\n"
                + "headHash=" + headHash.hex() + "\n"
                + "issuedAt=" + issuedAt + "\n"
                + "keyFingerprint=" + keyFingerprint + "\n").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Digest d && sequence == d.sequence && eventCount == d.eventCount && headHash.equals(d.headHash)
                && issuedAt.equals(d.issuedAt) && keyFingerprint.equals(d.keyFingerprint)
                && java.util.Arrays.equals(signature, d.signature);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sequence, headHash, issuedAt);
    }

    @Override
    public String toString() {
        return "Digest[sequence=" + sequence + ", eventCount=" + eventCount + ", headHash=" + headHash + ", issuedAt="
                + issuedAt + ", key=" + keyFingerprint + ", signature=" + Base64.getEncoder().encodeToString(signature) + "]";
    }
}
