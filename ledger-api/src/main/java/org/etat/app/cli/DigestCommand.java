package org.etat.app.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.etat.app.audit.AuditChainWriter;
import org.etat.app.audit.AuditService;
import org.etat.app.audit.JdbcAuditChainStore;
import org.etat.app.audit.JdbcRawEventReader;
import org.etat.app.audit.SigningKey;
import org.etat.ledger.audit.Digest;
import org.etat.ledger.audit.DigestFile;
import org.etat.ledger.audit.DigestSigner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code etat digest --out FILE}: signs the audit chain's head now (sequence, event count, head
 * hash, time, Ed25519 signature), records the digest and writes the exportable file. The key is
 * ETAT_AUDIT_SIGNING_KEY, or, on the embedded database, ./data/audit/signing.key (generated on first
 * use and kept). On an embedded database this process started itself nothing else writes, so the
 * chain is first brought up to the log's end.
 */
@Command(name = "digest", mixinStandardHelpOptions = true,
        description = {"Issue a signed digest of the audit chain's head and write it to a file.",
                "Exit: 0 written, 1 nothing to sign, 2 bad input, 3 database unreachable, 4 other error."})
public final class DigestCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the digest (must not exist yet: digests are evidence).")
    Path outFile;

    @Option(names = "--data", defaultValue = "data/pg", description = "Data directory of the embedded PostgreSQL (default: ${DEFAULT-VALUE}).")
    Path dataDirectory;

    @Option(names = "--port", defaultValue = "54329", description = "Port of the embedded PostgreSQL (default: ${DEFAULT-VALUE}).")
    int port;

    Map<String, String> env = System.getenv();
    PrintStream out = System.out;
    PrintStream err = System.err;

    @Override
    public Integer call() {
        return AuditCli.run("digest", err, this::digest);
    }

    private int digest() throws Exception {
        if (Files.exists(outFile)) {
            throw new AuditCli.Failure(AuditCli.USAGE, outFile + " exists: digests are evidence, choose a new file name");
        }
        Path parent = outFile.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new AuditCli.Failure(AuditCli.USAGE, "directory " + parent + " does not exist");
        }
        try (AuditCli.Session session = AuditCli.open(env, dataDirectory, port, err)) {
            KeyPair keys = keys(session.db);
            JdbcRawEventReader reader = new JdbcRawEventReader();
            JdbcAuditChainStore store = new JdbcAuditChainStore();
            if (session.db.startedHere()) {
                long chained = new AuditChainWriter(reader, store).catchUpFully(session.dataSource, Long.MAX_VALUE);
                if (chained > 0) {
                    err.printf("Chained %d events the application had not chained yet.%n", chained);
                }
            }
            Digest digest;
            try {
                digest = new AuditService(session.dataSource, reader, store).issueDigest(new DigestSigner(keys), Instant.now());
            } catch (IllegalStateException e) {
                throw new AuditCli.Failure(AuditCli.FAILED, AuditCli.oneLine(e));
            }
            Path tmp = outFile.resolveSibling(outFile.getFileName() + ".tmp");
            DigestFile.write(digest, tmp);
            Files.move(tmp, outFile, StandardCopyOption.ATOMIC_MOVE);
            out.printf("Digest written to %s%n", outFile);
            out.printf("  sequence %d, %d events, head hash %s%n", digest.sequence(), digest.eventCount(), digest.headHash());
            out.printf("  issued at %s, Ed25519 key %s%n", digest.issuedAt(), digest.keyFingerprint());
            return AuditCli.OK;
        }
    }

    private KeyPair keys(LedgerDatabase db) throws AuditCli.Failure {
        Optional<Path> configured = AuditCli.configuredSigningKey(env);
        try {
            return SigningKey.resolve(configured.map(Path::toString).orElse(null), db.auditKeyDirectory().orElse(null))
                    .orElseThrow(() -> new AuditCli.Failure(AuditCli.USAGE,
                            "no signing key: set " + SigningKey.ENV + " to an Ed25519 private key (PEM)"));
        } catch (IOException | IllegalArgumentException e) {
            throw new AuditCli.Failure(AuditCli.USAGE, "cannot read the signing key: " + AuditCli.oneLine(e));
        }
    }
}
