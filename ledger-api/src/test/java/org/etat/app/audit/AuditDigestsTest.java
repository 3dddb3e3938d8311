package org.etat.app.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.etat.app.bench.SyntheticLog;
import org.etat.ledger.audit.Digest;
import org.etat.ledger.audit.DigestKeys;
import org.etat.testsupport.TestDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Digests on demand and on a schedule, and the embedded signing key that is generated once and kept. */
class AuditDigestsTest {
    /** A hang guard for the scheduled digest on a busy machine, not a timing assertion. */
    private static final long SCHEDULE_LIMIT_SECONDS = 60;

    @TempDir
    Path keys;

    private DataSource ds;
    private AuditDigests digests;
    private final SyntheticLog log = new SyntheticLog(2, 11);

    @BeforeEach
    void setUp() {
        ds = TestDatabase.create().dataSource();
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").outOfOrder(true).load().migrate();
        JdbcAuditChainStore store = new JdbcAuditChainStore();
        digests = new AuditDigests(new AuditService(ds, new JdbcRawEventReader(), store), ds, store, null, keys, Clock.systemUTC());
    }

    private long append(int expenditures) throws SQLException {
        try (Connection c = ds.getConnection()) {
            log.write(c, expenditures, true);
        }
        try (Connection c = ds.getConnection()) {
            return new JdbcAuditChainStore().head(c).orElseThrow().link().globalSequence();
        }
    }

    @Test
    void aDigestIsIssuedOnlyWhenTheChainGrewSinceTheLastOne() throws Exception {
        assertThat(digests.issueIfHeadMoved()).as("nothing chained").isEmpty();

        long head = append(10);
        Optional<Digest> first = digests.issueIfHeadMoved();
        Optional<Digest> again = digests.issueIfHeadMoved();
        long grown = append(5);
        Optional<Digest> second = digests.issueIfHeadMoved();

        assertThat(first).map(Digest::sequence).contains(head);
        assertThat(again).as("head unchanged").isEmpty();
        assertThat(second).map(Digest::sequence).contains(grown);
        assertThat(digests.latest()).isEqualTo(second);
    }

    @Test
    void theScheduleIssuesADigestOfTheNewHead() throws Exception {
        long head = append(3);
        PeriodicDigests schedule = new PeriodicDigests(digests, Duration.ofMillis(50));
        schedule.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SCHEDULE_LIMIT_SECONDS);
            while (digests.latest().map(Digest::sequence).orElse(-1L) != head) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no scheduled digest of head " + head + " within " + SCHEDULE_LIMIT_SECONDS + " s");
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
        } finally {
            schedule.stop();
        }
        assertThat(schedule.isRunning()).isFalse();
    }

    @Test
    void withoutAKeyOrAZeroIntervalNothingIsScheduled() {
        JdbcAuditChainStore store = new JdbcAuditChainStore();
        AuditDigests keyless = new AuditDigests(new AuditService(ds, new JdbcRawEventReader(), store), ds, store, "", null,
                Clock.systemUTC());
        PeriodicDigests noKey = new PeriodicDigests(keyless, Duration.ofMillis(50));
        PeriodicDigests off = new PeriodicDigests(digests, Duration.ZERO);

        noKey.start();
        off.start();

        assertThat(noKey.isRunning()).isFalse();
        assertThat(off.isRunning()).isFalse();
    }

    @Test
    void theEmbeddedKeyIsGeneratedOnceOwnerOnlyAndKept() throws Exception {
        KeyPair first = SigningKey.resolve(null, keys).orElseThrow();
        KeyPair second = SigningKey.resolve("", keys).orElseThrow();

        assertThat(DigestKeys.fingerprint(second.getPublic())).isEqualTo(DigestKeys.fingerprint(first.getPublic()));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys.resolve("signing.key")))).isEqualTo("rw-------");
        assertThat(SigningKey.resolve(null, null)).as("external database, nothing configured").isEmpty();
        assertThat(SigningKey.resolve(keys.resolve("signing.key").toString(), null).map(k -> DigestKeys.fingerprint(k.getPublic())))
                .as("configured by path").contains(DigestKeys.fingerprint(first.getPublic()));
    }
}
