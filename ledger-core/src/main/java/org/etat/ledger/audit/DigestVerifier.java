package org.etat.ledger.audit;

import java.security.PublicKey;
import java.util.Iterator;

/**
 * Checks the log against an exported digest: the digest was signed by the trusted key, and the
 * chain recomputed from the raw rows up to the digest's sequence ends in the digest's head hash.
 * Needs no stored chain links: a log rewritten and re-chained from scratch fails here.
 */
public final class DigestVerifier {

    public enum Outcome {
        /** Signature good and the log reproduces the head hash. */
        VALID,
        /** The digest names another key than the trusted one. */
        WRONG_KEY,
        /** The signature does not match the digest's fields. */
        BAD_SIGNATURE,
        /** The log has no row at the digest's sequence (it ends before, or the row is gone). */
        SEQUENCE_MISSING,
        /** The log up to the sequence holds another number of events than the digest says. */
        COUNT_MISMATCH,
        /** The recomputed head hash differs: something up to the sequence changed. */
        HEAD_MISMATCH
    }

    public record Check(Outcome outcome, String detail, Sha256Hash recomputedHead, long eventsRecomputed) {
        public boolean valid() {
            return outcome == Outcome.VALID;
        }
    }

    private DigestVerifier() {
    }

    public static Check verify(Iterable<RawEventRow> rows, Digest digest, PublicKey trustedKey) {
        return verify(rows.iterator(), digest, trustedKey);
    }

    public static Check verify(Iterator<RawEventRow> rows, Digest digest, PublicKey trustedKey) {
        String trusted = DigestKeys.fingerprint(trustedKey);
        if (!trusted.equals(digest.keyFingerprint())) {
            return new Check(Outcome.WRONG_KEY, "digest was signed with key " + digest.keyFingerprint()
                    + ", trusted key is " + trusted, null, 0);
        }
        if (!DigestSigner.signatureValid(digest, trustedKey)) {
            return new Check(Outcome.BAD_SIGNATURE, "the signature does not match the digest's fields", null, 0);
        }
        AuditChain chain = new AuditChain();
        boolean reached = false;
        while (rows.hasNext()) {
            RawEventRow row = rows.next();
            if (row.globalSequence() > digest.sequence()) {
                break;
            }
            chain.append(row);
            reached = row.globalSequence() == digest.sequence();
        }
        if (!reached) {
            return new Check(Outcome.SEQUENCE_MISSING, "the log has no event at sequence " + digest.sequence()
                    + " (last chained: " + (chain.length() == 0 ? "none" : chain.headSequence()) + ")", chain.head(), chain.length());
        }
        if (chain.length() != digest.eventCount()) {
            return new Check(Outcome.COUNT_MISMATCH, "the log holds " + chain.length() + " events up to sequence "
                    + digest.sequence() + ", the digest says " + digest.eventCount(), chain.head(), chain.length());
        }
        if (!chain.head().equals(digest.headHash())) {
            return new Check(Outcome.HEAD_MISMATCH, "recomputed head " + chain.head() + " differs from the digest's "
                    + digest.headHash(), chain.head(), chain.length());
        }
        return new Check(Outcome.VALID, "the log up to sequence " + digest.sequence() + " is the one that was signed",
                chain.head(), chain.length());
    }
}
