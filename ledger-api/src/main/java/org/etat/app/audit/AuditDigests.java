package org.etat.app.audit;

import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;
import javax.sql.DataSource;
import org.etat.ledger.audit.Digest;
import org.etat.ledger.audit.DigestSigner;

/**
 * Issues signed digests of the stored chain's head with the configured key ({@link SigningKey}),
 * on demand and periodically ({@link PeriodicDigests}), and reads the latest one back. The key is
 * loaded (or, embedded, generated) on first use.
 */
public class AuditDigests {

    /** No signing key is configured: digests can be neither issued nor checked. */
    public static final class NoSigningKeyException extends RuntimeException {
        NoSigningKeyException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Nothing is chained yet, so there is no head to sign. */
    public static final class EmptyChainException extends RuntimeException {
        EmptyChainException(String message) {
            super(message);
        }
    }

    private final AuditService audit;
    private final DataSource dataSource;
    private final JdbcAuditChainStore store;
    private final String configuredKey;
    private final Path keyDirectory;
    private final Clock clock;
    private KeyPair keys;

    public AuditDigests(AuditService audit, DataSource dataSource, JdbcAuditChainStore store, String configuredKey, Path keyDirectory,
            Clock clock) {
        this.audit = audit;
        this.dataSource = dataSource;
        this.store = store;
        this.configuredKey = configuredKey;
        this.keyDirectory = keyDirectory;
        this.clock = clock;
    }

    /** True when a key is configured or can be generated (does not load it). */
    public boolean keyConfigured() {
        return (configuredKey != null && !configuredKey.isBlank()) || keyDirectory != null;
    }

    synchronized KeyPair keys() {
        if (keys == null) {
            try {
                keys = SigningKey.resolve(configuredKey, keyDirectory).orElseThrow(() -> new NoSigningKeyException(
                        "no signing key configured: set " + SigningKey.PROPERTY + " (env " + SigningKey.ENV + ")", null));
            } catch (IOException | IllegalArgumentException e) {
                throw new NoSigningKeyException("the signing key cannot be read: " + e.getMessage(), e);
            }
        }
        return keys;
    }

    public PublicKey trustedKey() {
        return keys().getPublic();
    }

    public Digest issue() throws SQLException {
        DigestSigner signer = new DigestSigner(keys());
        try {
            return audit.issueDigest(signer, clock.instant());
        } catch (IllegalStateException e) {
            throw new EmptyChainException(e.getMessage());
        }
    }

    /** Issues a digest only if the chain grew since the latest one; for the periodic schedule. */
    public Optional<Digest> issueIfHeadMoved() throws SQLException {
        Optional<JdbcAuditChainStore.StoredHead> head;
        Optional<Digest> latest;
        try (Connection c = dataSource.getConnection()) {
            head = store.head(c);
            latest = store.latestDigest(c);
        }
        if (head.isEmpty() || latest.map(d -> d.sequence() >= head.get().link().globalSequence()).orElse(false)) {
            return Optional.empty();
        }
        return Optional.of(issue());
    }

    public Optional<Digest> latest() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return store.latestDigest(c);
        }
    }
}
