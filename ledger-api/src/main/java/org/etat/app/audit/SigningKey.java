package org.etat.app.audit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Optional;
import org.etat.ledger.audit.DigestKeys;

/**
 * Where the Ed25519 key that signs digests lives. Configured: {@code etat.audit.signing-key} (or env
 * {@code ETAT_AUDIT_SIGNING_KEY}) names the private key PEM; the public key is the file next to it
 * with {@code .pub} instead of {@code .key} (or {@code .pub} appended). Embedded mode: generated
 * once as {@code signing.key} / {@code signing.pub} in a directory next to the database (./data/audit)
 * and kept. Otherwise there is none, and no digest is issued.
 */
public final class SigningKey {
    public static final String PROPERTY = "etat.audit.signing-key";
    public static final String ENV = "ETAT_AUDIT_SIGNING_KEY";
    static final String GENERATED_NAME = "signing.key";

    private SigningKey() {
    }

    /** The public key file that belongs to a private key file. */
    public static Path publicFile(Path privateFile) {
        String name = privateFile.getFileName().toString();
        String pub = name.endsWith(".key") ? name.substring(0, name.length() - 4) + ".pub" : name + ".pub";
        return privateFile.resolveSibling(pub);
    }

    /**
     * The key pair: the configured file if {@code configured} is not blank (it must exist), else the
     * one in {@code generatedDirectory} (created on first use), else empty.
     */
    public static Optional<KeyPair> resolve(String configured, Path generatedDirectory) throws IOException {
        if (configured != null && !configured.isBlank()) {
            Path file = Path.of(configured.trim());
            if (!Files.isRegularFile(file)) {
                throw new IOException("signing key " + file + " does not exist");
            }
            return Optional.of(DigestKeys.read(file, publicFile(file)));
        }
        if (generatedDirectory == null) {
            return Optional.empty();
        }
        Path file = generatedDirectory.resolve(GENERATED_NAME);
        if (!Files.exists(file)) {
            Files.createDirectories(generatedDirectory);
            DigestKeys.write(DigestKeys.generate(), file, publicFile(file));
        }
        return Optional.of(DigestKeys.read(file, publicFile(file)));
    }
}
