package org.etat.ledger.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Ed25519 keys for signing digests (the JDK's own provider, no extra library). Stored as PEM: the
 * private key as PKCS#8 ("PRIVATE KEY"), the public key as X.509 SubjectPublicKeyInfo
 * ("PUBLIC KEY"), the forms {@code openssl pkey} reads. The fingerprint is the lower-case hex
 * SHA-256 of the public key's X.509 DER bytes ({@code openssl pkey -pubin -outform DER | sha256sum}).
 */
public final class DigestKeys {
    public static final String ALGORITHM = "Ed25519";
    /** PEM files larger than this are not keys. */
    private static final long MAX_PEM_BYTES = 16 * 1024;

    private DigestKeys() {
    }

    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no Ed25519 (needs Java 15+)", e);
        }
    }

    public static String fingerprint(PublicKey key) {
        return Sha256Hash.digest(key.getEncoded()).hex();
    }

    public static String publicPem(PublicKey key) {
        return pem("PUBLIC KEY", key.getEncoded());
    }

    public static String privatePem(PrivateKey key) {
        return pem("PRIVATE KEY", key.getEncoded());
    }

    public static PublicKey parsePublicPem(String pem) {
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(unpem("PUBLIC KEY", pem)));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 public key: " + e.getMessage(), e);
        }
    }

    public static PrivateKey parsePrivatePem(String pem) {
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(unpem("PRIVATE KEY", pem)));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 private key: " + e.getMessage(), e);
        }
    }

    /**
     * Writes {@code <base>.key} (private, owner-only where the file system has POSIX permissions)
     * and {@code <base>.pub}. Refuses to overwrite: losing a signing key orphans its digests.
     */
    public static void write(KeyPair pair, Path privateFile, Path publicFile) throws IOException {
        if (Files.exists(privateFile) || Files.exists(publicFile)) {
            throw new FileAlreadyExistsException(Files.exists(privateFile) ? privateFile.toString() : publicFile.toString());
        }
        Files.writeString(publicFile, publicPem(pair.getPublic()), StandardCharsets.US_ASCII);
        Path tmp = privateFile.resolveSibling(privateFile.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp);
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system: permissions are the operator's job
        }
        Files.writeString(tmp, privatePem(pair.getPrivate()), StandardCharsets.US_ASCII);
        Files.move(tmp, privateFile);
    }

    public static PublicKey readPublic(Path file) throws IOException {
        return parsePublicPem(readSmall(file));
    }

    public static PrivateKey readPrivate(Path file) throws IOException {
        return parsePrivatePem(readSmall(file));
    }

    public static KeyPair read(Path privateFile, Path publicFile) throws IOException {
        return new KeyPair(readPublic(publicFile), readPrivate(privateFile));
    }

    private static String readSmall(Path file) throws IOException {
        if (Files.size(file) > MAX_PEM_BYTES) {
            throw new IOException(file + " is larger than " + MAX_PEM_BYTES + " bytes: not a key file");
        }
        return Files.readString(file, StandardCharsets.US_ASCII);
    }

    private static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    private static byte[] unpem(String label, String pem) {
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        int from = pem.indexOf(begin);
        int to = pem.indexOf(end);
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("expected a PEM block \"" + label + "\"");
        }
        String body = pem.substring(from + begin.length(), to).replaceAll("\\s", "");
        return Base64.getDecoder().decode(body);
    }
}
