package org.etat.app.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.etat.app.audit.AuditSerializers;
import org.etat.app.audit.AuditVerification;
import org.etat.app.audit.JdbcAuditChainStore;
import org.etat.app.audit.JdbcRawEventReader;
import org.etat.app.audit.JdbcVerificationStore;
import org.etat.app.audit.SigningKey;
import org.etat.app.audit.VerificationReport;
import org.etat.ledger.audit.Digest;
import org.etat.ledger.audit.DigestFile;
import org.etat.ledger.audit.DigestKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code etat verify [--digest FILE]}: recomputes the audit chain from the raw event table and
 * compares it with the stored chain (and with an exported digest), then runs the conservation
 * check over the whole log. Prints what was checked, or the first damaged global sequence and
 * the kind of damage. The result is stored like an HTTP verification's. Exit codes: {@link AuditCli}.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Verify the log: the hash chain against the raw events, conservation over the whole log, and optionally an "
                + "exported digest.", "Exit: 0 verified, 1 verification failed, 2 bad input, 3 database unreachable, 4 other error."})
public final class VerifyCommand implements Callable<Integer> {

    @Option(names = "--digest", paramLabel = "FILE", description = "An exported digest file (./etat digest, GET /api/v1/audit/digests/latest/file) to check the log against.")
    Path digestFile;

    @Option(names = "--public-key", paramLabel = "FILE", description = "The Ed25519 public key (PEM) the digest must be signed with "
            + "(default: the signing key's .pub: ETAT_AUDIT_SIGNING_KEY, or ./data/audit/signing.pub embedded).")
    Path publicKeyFile;

    @Option(names = "--data", defaultValue = "data/pg", description = "Data directory of the embedded PostgreSQL (default: ${DEFAULT-VALUE}).")
    Path dataDirectory;

    @Option(names = "--port", defaultValue = "54329", description = "Port of the embedded PostgreSQL (default: ${DEFAULT-VALUE}).")
    int port;

    /** Where the settings and the output come from; tests replace them. */
    Map<String, String> env = System.getenv();
    PrintStream out = System.out;
    PrintStream err = System.err;
    boolean terminal = System.console() != null;

    @Override
    public Integer call() {
        return AuditCli.run("verify", err, this::verify);
    }

    private int verify() throws Exception {
        Digest digest = null;
        if (digestFile != null) {
            try {
                digest = DigestFile.read(digestFile);
            } catch (IOException | IllegalArgumentException e) {
                throw new AuditCli.Failure(AuditCli.USAGE, "cannot read digest " + digestFile + ": " + AuditCli.oneLine(e));
            }
        }
        try (AuditCli.Session session = AuditCli.open(env, dataDirectory, port, err)) {
            PublicKey trusted = digest == null ? null : trustedKey(session.db);
            AuditVerification verification = new AuditVerification(session.dataSource, new JdbcRawEventReader(), new JdbcAuditChainStore(),
                    AuditSerializers.eventSerializer(), Clock.systemUTC());
            AuditCli.CliProgress progress = AuditCli.progress(err, terminal);
            VerificationReport report = verification.verify(digest, trusted, progress);
            progress.finish();
            print(report);
            try {
                new JdbcVerificationStore(session.dataSource).save(report, "cli:" + System.getProperty("user.name", "?"));
            } catch (java.sql.SQLException e) {
                err.println("etat verify: the result could not be stored: " + AuditCli.oneLine(e));
            }
            return report.ok() ? AuditCli.OK : AuditCli.FAILED;
        }
    }

    private PublicKey trustedKey(LedgerDatabase db) throws AuditCli.Failure {
        Optional<Path> file = Optional.ofNullable(publicKeyFile)
                .or(() -> AuditCli.configuredSigningKey(env).map(SigningKey::publicFile))
                .or(() -> db.auditKeyDirectory().map(dir -> SigningKey.publicFile(dir.resolve("signing.key"))));
        if (file.isEmpty() || !Files.isRegularFile(file.get())) {
            throw new AuditCli.Failure(AuditCli.USAGE, "no public key to check the digest against"
                    + file.map(f -> " (" + f + " does not exist)").orElse("") + ": pass --public-key FILE");
        }
        try {
            return DigestKeys.readPublic(file.get());
        } catch (IOException | IllegalArgumentException e) {
            throw new AuditCli.Failure(AuditCli.USAGE, "cannot read public key " + file.get() + ": " + AuditCli.oneLine(e));
        }
    }

    private void print(VerificationReport r) {
        if (r.firstBad() == null) {
            out.printf("Chain:        intact, %d events checked, head sequence %s, head hash %s%n", r.eventsChecked(),
                    r.headSequence() == null ? "none (empty chain)" : r.headSequence(), r.headHash());
            if (r.unchainedEvents() > 0) {
                out.printf("              %d events after the head are not chained yet (not covered by this check)%n", r.unchainedEvents());
            }
        } else {
            out.printf("Chain:        DAMAGED at global sequence %d: %s (%s); %d events before it are intact%n",
                    r.firstBad().globalSequence(), r.firstBad().kind(), r.firstBad().detail(), r.eventsChecked());
        }
        VerificationReport.Conservation c = r.conservation();
        out.printf("Conservation: %s over %d events%n", c.ok() ? "ok, the books balance" : "VIOLATED: " + c.firstViolation(),
                c.eventsChecked());
        if (r.digest() != null) {
            VerificationReport.DigestCheck d = r.digest();
            out.printf("Digest:       %s (sequence %d, issued %s): %s%n", d.outcome(), d.sequence(), d.issuedAt(), d.detail());
        }
        out.println(r.ok() ? "VERIFIED" : "VERIFICATION FAILED");
    }
}
