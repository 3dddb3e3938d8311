package org.etat.ledger.audit;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/** A SHA-256 value (32 bytes), compared by content, written as lower-case hex. Immutable. */
public final class Sha256Hash {
    public static final int LENGTH_BYTES = 32;
    /** The "previous hash" of the first link of a chain. */
    public static final Sha256Hash ZERO = new Sha256Hash(new byte[LENGTH_BYTES]);

    private final byte[] bytes;

    private Sha256Hash(byte[] bytes) {
        this.bytes = bytes;
    }

    public static Sha256Hash of(byte[] bytes) {
        if (bytes == null || bytes.length != LENGTH_BYTES) {
            throw new IllegalArgumentException("a SHA-256 hash has 32 bytes, got " + (bytes == null ? "none" : bytes.length));
        }
        return new Sha256Hash(bytes.clone());
    }

    public static Sha256Hash parseHex(String hex) {
        if (hex == null || hex.length() != 2 * LENGTH_BYTES) {
            throw new IllegalArgumentException("a SHA-256 hash is 64 hex digits, got " + (hex == null ? "nothing" : "\"" + hex + "\""));
        }
        return new Sha256Hash(HexFormat.of().parseHex(hex));
    }

    /** SHA-256 over the concatenation of the parts. */
    public static Sha256Hash digest(byte[]... parts) {
        MessageDigest md = PER_THREAD.get();
        md.reset();
        for (byte[] part : parts) {
            md.update(part);
        }
        return new Sha256Hash(md.digest());
    }

    /** SHA-256 of {@code previous || data}, without copying {@code previous}'s bytes (the chain's hot path). */
    static Sha256Hash digestAfter(Sha256Hash previous, byte[] data) {
        MessageDigest md = PER_THREAD.get();
        md.reset();
        md.update(previous.bytes);
        md.update(data);
        return new Sha256Hash(md.digest());
    }

    /** One instance per thread: getInstance looks the provider up on every call, which the verifier would pay twice per event. */
    private static final ThreadLocal<MessageDigest> PER_THREAD = ThreadLocal.withInitial(Sha256Hash::newDigest);

    static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java 17 runtime has SHA-256", e);
        }
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sha256Hash other && MessageDigest.isEqual(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return hex();
    }
}
