package org.etat.app.audit;

import java.sql.Connection;
import java.sql.SQLException;
import java.security.PublicKey;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import javax.sql.DataSource;
import org.etat.ledger.audit.ChainLink;
import org.etat.ledger.audit.ChainVerifier;
import org.etat.ledger.audit.Digest;
import org.etat.ledger.audit.DigestSigner;
import org.etat.ledger.audit.DigestVerifier;
import org.etat.ledger.audit.JsonlExport;
import org.etat.ledger.audit.RawEventRow;
import org.etat.ledger.audit.VerificationResult;

/**
 * The audit operations over the database: verify the log against the stored chain, issue a signed
 * digest of the chain's head, verify the log against an exported digest, export JSONL. Reads run
 * in one REPEATABLE READ snapshot, so rows and links are compared as of one instant.
 */
public final class AuditService {
    private final DataSource dataSource;
    private final JdbcRawEventReader reader;
    private final JdbcAuditChainStore store;

    public AuditService(DataSource dataSource, JdbcRawEventReader reader, JdbcAuditChainStore store) {
        this.dataSource = dataSource;
        this.reader = reader;
        this.store = store;
    }

    @FunctionalInterface
    private interface InSnapshot<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T readSnapshot(InSnapshot<T> work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            try {
                return work.run(c);
            } finally {
                c.rollback();
            }
        }
    }

    /**
     * Rows and links are read in parallel, each on its own connection and thread, both in one
     * shared snapshot, as binary COPY streams hashed in place ({@link CopyChainVerifier}).
     */
    public VerificationResult verifyChain() throws SQLException {
        try (SharedSnapshot snapshot = SharedSnapshot.open(dataSource, 2)) {
            return verifyChain(reader, store, snapshot.connection(0), snapshot.connection(1), done -> { });
        }
    }

    /**
     * The chain pass on two connections of one snapshot: binary COPY hashed in place where the
     * database sends text as UTF-8 (as Etat's databases do), else rows and links as JDBC objects.
     */
    static VerificationResult verifyChain(JdbcRawEventReader reader, JdbcAuditChainStore store, Connection rowConnection,
            Connection linkConnection, java.util.function.LongConsumer rowsDone) throws SQLException {
        if (!CopyChainVerifier.usable(rowConnection)) {
            return verifyChainByJdbc(reader, store, rowConnection, linkConnection, rowsDone);
        }
        try (BinaryCopyStream rowStream = new BinaryCopyStream("audit-verify-rows", rowConnection,
                reader.copySql(Long.MIN_VALUE, Long.MAX_VALUE), JdbcRawEventReader.COLUMN_COUNT);
             BinaryCopyStream linkStream = new BinaryCopyStream("audit-verify-links", linkConnection,
                     JdbcAuditChainStore.LINKS_COPY_SQL, JdbcAuditChainStore.LINK_COLUMN_COUNT)) {
            return CopyChainVerifier.verify(new CopyTuples(rowStream), new CopyTuples(linkStream), rowsDone);
        }
    }

    /** The same pass over JDBC result sets and objects (each row and link read ahead on its own thread). */
    static VerificationResult verifyChainByJdbc(JdbcRawEventReader reader, JdbcAuditChainStore store, Connection rowConnection,
            Connection linkConnection, java.util.function.LongConsumer rowsDone) throws SQLException {
        try (JdbcCursor<RawEventRow> rowCursor = reader.openAll(rowConnection);
             JdbcCursor<ChainLink> linkCursor = store.links(linkConnection);
             ReadAhead<RawEventRow> rows = new ReadAhead<>("audit-verify-rows", rowCursor);
             ReadAhead<ChainLink> links = new ReadAhead<>("audit-verify-links", linkCursor)) {
            return ChainVerifier.verify(new java.util.Iterator<RawEventRow>() {
                private long done;

                @Override
                public boolean hasNext() {
                    return rows.hasNext();
                }

                @Override
                public RawEventRow next() {
                    RawEventRow row = rows.next();
                    if (++done % Progress.EVERY_ROWS == 0) {
                        rowsDone.accept(done);
                    }
                    return row;
                }
            }, links);
        }
    }

    /** {@link #verifyChain()} without COPY, for comparing the two paths. */
    VerificationResult verifyChainByJdbc() throws SQLException {
        try (SharedSnapshot snapshot = SharedSnapshot.open(dataSource, 2)) {
            return verifyChainByJdbc(reader, store, snapshot.connection(0), snapshot.connection(1), done -> { });
        }
    }

    /** Signs the stored chain's head and records the digest; export it with DigestFile and publish it. */
    public Digest issueDigest(DigestSigner signer, Instant issuedAt) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                JdbcAuditChainStore.StoredHead head = store.head(c)
                        .orElseThrow(() -> new IllegalStateException("the audit chain is empty: nothing to sign yet"));
                // audit_digest keeps microseconds; sign what is stored, or the stored digest's signature breaks.
                Digest digest = signer.sign(head.link(), head.position(), issuedAt.truncatedTo(ChronoUnit.MILLIS));
                store.insertDigest(c, digest);
                c.commit();
                return digest;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Recomputes the chain from the raw rows up to the digest's sequence; needs no stored links. */
    public DigestVerifier.Check verifyDigest(Digest digest, PublicKey trustedKey) throws SQLException {
        return readSnapshot(c -> {
            try (JdbcCursor<RawEventRow> rows = reader.open(c, Long.MIN_VALUE, digest.sequence())) {
                return DigestVerifier.verify(rows, digest, trustedKey);
            }
        });
    }

    public void exportJsonl(Appendable out) throws SQLException {
        readSnapshot(c -> {
            try (JdbcCursor<RawEventRow> rows = reader.openAll(c)) {
                return JsonlExport.write(rows, out);
            }
        });
    }
}
