package org.etat.app.audit;

import java.security.PublicKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Iterator;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.etat.ledger.audit.ChainVerifier;
import org.etat.ledger.audit.Digest;
import org.etat.ledger.audit.DigestVerifier;
import org.etat.ledger.audit.RawEventRow;
import org.etat.ledger.audit.VerificationResult;
import org.etat.ledger.conservation.ConservationCheck;
import org.etat.ledger.conservation.ConservationReport;
import org.etat.ledger.conservation.RecordedEvent;

/**
 * One full verification of the log, in one REPEATABLE READ snapshot (shared by several connections): (1) the raw rows against the
 * stored chain ({@link ChainVerifier}), (2) {@link ConservationCheck} over every event, deserialized
 * with the event serializer, (3) if given, the rows against an exported digest ({@link DigestVerifier},
 * which recomputes the chain from the rows alone). Plain JDBC, no Spring: the CLI and the HTTP API share it.
 */
public final class AuditVerification {
    public static final String PHASE_CHAIN = "chain";
    public static final String PHASE_CONSERVATION = "conservation";
    public static final String PHASE_DIGEST = "digest";

    private final DataSource dataSource;
    private final JdbcRawEventReader reader;
    private final JdbcAuditChainStore store;
    private final Serializer serializer;
    private final Clock clock;

    public AuditVerification(DataSource dataSource, JdbcRawEventReader reader, JdbcAuditChainStore store, Serializer serializer,
            Clock clock) {
        this.dataSource = dataSource;
        this.reader = reader;
        this.store = store;
        this.serializer = serializer;
        this.clock = clock;
    }

    /**
     * Verifies; {@code digest} and {@code trustedKey} are both null or both given. The chain pass
     * (rows and links read ahead on two connections) and the conservation pass (a third) run at the
     * same time in one shared snapshot; the digest pass follows.
     */
    public VerificationReport verify(Digest digest, PublicKey trustedKey, Progress progress) throws SQLException {
        if ((digest == null) != (trustedKey == null)) {
            throw new IllegalArgumentException("a digest is checked against a trusted public key: give both or neither");
        }
        String verifiedAt = clock.instant().toString();
        try (SharedSnapshot snapshot = SharedSnapshot.open(dataSource, 3)) {
            long total = countRows(snapshot.connection(0));
            AtomicBoolean cancelled = new AtomicBoolean();
            FutureTask<VerificationReport.Conservation> conservationTask = new FutureTask<>(
                    () -> conservation(snapshot.connection(2), total, progress, cancelled));
            Thread conservationThread = new Thread(conservationTask, "audit-verify-conservation");
            conservationThread.setDaemon(true);
            conservationThread.start();
            VerificationResult chain;
            try {
                chain = AuditService.verifyChain(reader, store, snapshot.connection(0), snapshot.connection(1),
                        done -> progress.update(PHASE_CHAIN, done, Math.max(done, total)));
                long done = chain instanceof VerificationResult.Intact ok ? ok.eventsChecked() + ok.unchainedRows()
                        : ((VerificationResult.Damaged) chain).eventsCheckedBefore();
                progress.update(PHASE_CHAIN, done, Math.max(done, total));
            } catch (RuntimeException | SQLException e) {
                cancelled.set(true);
                join(conservationThread);
                throw e;
            }
            VerificationReport.Conservation conservation = await(conservationTask);
            VerificationReport.DigestCheck digestCheck = null;
            if (digest != null) {
                try (JdbcCursor<RawEventRow> rows = reader.open(snapshot.connection(0), Long.MIN_VALUE, digest.sequence())) {
                    DigestVerifier.Check check = DigestVerifier.verify(counting(rows, PHASE_DIGEST, total, progress), digest, trustedKey);
                    digestCheck = new VerificationReport.DigestCheck(check.valid(), check.outcome().name(), digest.sequence(),
                            digest.headHash().hex(), digest.issuedAt().toString(), check.detail());
                }
            }
            return report(verifiedAt, chain, conservation, digestCheck);
        }
    }

    private static void join(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static VerificationReport.Conservation await(FutureTask<VerificationReport.Conservation> task) throws SQLException {
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking conservation", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("the conservation check failed", e.getCause());
        }
    }

    private static VerificationReport report(String verifiedAt, VerificationResult chain, VerificationReport.Conservation conservation,
            VerificationReport.DigestCheck digest) {
        boolean digestOk = digest == null || digest.valid();
        if (chain instanceof VerificationResult.Intact intact) {
            return new VerificationReport(conservation.ok() && digestOk, verifiedAt, intact.eventsChecked(),
                    intact.eventsChecked() == 0 ? null : intact.headSequence(), intact.headHash().hex(), intact.unchainedRows(), null,
                    conservation, digest);
        }
        VerificationResult.Damaged damaged = (VerificationResult.Damaged) chain;
        return new VerificationReport(false, verifiedAt, damaged.eventsCheckedBefore(), null, null, 0,
                new VerificationReport.FirstBad(damaged.globalSequence(), damaged.damage().name(), damaged.detail()), conservation, digest);
    }

    private VerificationReport.Conservation conservation(Connection c, long total, Progress progress, AtomicBoolean cancelled)
            throws SQLException {
        ConservationCheck check = new ConservationCheck();
        long done = 0;
        if (CopyChainVerifier.usable(c)) {
            // Binary COPY of the five columns deserializing needs, read ahead on a thread of its own.
            try (BinaryCopyStream stream = new BinaryCopyStream("audit-verify-conservation-rows", c,
                    reader.copySql(JdbcRawEventReader.PAYLOAD_COLUMNS, Long.MIN_VALUE, Long.MAX_VALUE), JdbcRawEventReader.PAYLOAD_COLUMN_COUNT)) {
                CopyTuples rows = new CopyTuples(stream);
                while (!cancelled.get() && rows.next()) {
                    Object payload = deserialize(rows.bytes(4), rows.text(2), rows.text(3));
                    done++;
                    if (done % Progress.EVERY_ROWS == 0) {
                        progress.update(PHASE_CONSERVATION, done, total);
                    }
                    if (!check.accept(new RecordedEvent(rows.text(1), rows.int8(0), payload))) {
                        break;
                    }
                }
            }
        } else {
            try (JdbcCursor<RawEventRow> rows = reader.openAll(c)) {
                while (!cancelled.get() && rows.hasNext()) {
                    RawEventRow row = rows.next();
                    Object payload = deserialize(row.payload(), row.payloadType(), row.payloadRevision());
                    done++;
                    if (done % Progress.EVERY_ROWS == 0) {
                        progress.update(PHASE_CONSERVATION, done, total);
                    }
                    if (!check.accept(new RecordedEvent(row.eventId(), row.globalSequence(), payload))) {
                        break;
                    }
                }
            }
        }
        progress.update(PHASE_CONSERVATION, done, Math.max(done, total));
        ConservationReport report = check.report();
        return new VerificationReport.Conservation(report.balanced(), report.eventsChecked(), report.firstViolation());
    }

    private Object deserialize(byte[] payload, String type, String revision) {
        return serializer.deserialize(new SimpleSerializedObject<>(payload, byte[].class, type, revision));
    }

    private static long countRows(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM domain_event_entry"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The rows, reporting progress as they are read (and once at the end). */
    static Iterator<RawEventRow> counting(Iterator<RawEventRow> rows, String phase, long total, Progress progress) {
        return new Iterator<>() {
            private long done;

            @Override
            public boolean hasNext() {
                boolean more = rows.hasNext();
                if (!more) {
                    progress.update(phase, done, Math.max(done, total));
                }
                return more;
            }

            @Override
            public RawEventRow next() {
                RawEventRow row = rows.next();
                if (++done % Progress.EVERY_ROWS == 0) {
                    progress.update(phase, done, total);
                }
                return row;
            }
        };
    }
}
