package org.etat.ledger.audit;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;

/** Signs and checks digests with Ed25519. */
public final class DigestSigner {
    private final KeyPair keys;
    private final String fingerprint;

    public DigestSigner(KeyPair keys) {
        this.keys = keys;
        this.fingerprint = DigestKeys.fingerprint(keys.getPublic());
    }

    /** A digest of the chain whose last link is {@code head}, {@code eventCount} links long. */
    public Digest sign(ChainLink head, long eventCount, Instant issuedAt) {
        return sign(head.globalSequence(), eventCount, head.chainHash(), issuedAt);
    }

    public Digest sign(long sequence, long eventCount, Sha256Hash headHash, Instant issuedAt) {
        byte[] text = Digest.signedText(sequence, eventCount, headHash, issuedAt, fingerprint);
        try {
            Signature s = Signature.getInstance(DigestKeys.ALGORITHM);
            s.initSign(keys.getPrivate());
            s.update(text);
            return new Digest(sequence, eventCount, headHash, issuedAt, fingerprint, s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    public String fingerprint() {
        return fingerprint;
    }

    /** True when {@code key} made the digest's signature over its fields. */
    public static boolean signatureValid(Digest digest, PublicKey key) {
        try {
            Signature s = Signature.getInstance(DigestKeys.ALGORITHM);
            s.initVerify(key);
            s.update(digest.signedText());
            return s.verify(digest.signature());
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
