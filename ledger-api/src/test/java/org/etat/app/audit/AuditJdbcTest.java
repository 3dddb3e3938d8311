package org.etat.app.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.sql.DataSource;
import org.etat.ledger.audit.AuditChain;
import org.etat.ledger.audit.ChainLink;
import org.etat.ledger.audit.Damage;
import org.etat.ledger.audit.Digest;
import org.etat.ledger.audit.DigestFile;
import org.etat.ledger.audit.DigestKeys;
import org.etat.ledger.audit.DigestSigner;
import org.etat.ledger.audit.DigestVerifier;
import org.etat.ledger.audit.JsonlExport;
import org.etat.ledger.audit.RandomHistory;
import org.etat.ledger.audit.RawEventRow;
import org.etat.ledger.audit.Seeds;
import org.etat.ledger.audit.VerificationResult;
import org.etat.testsupport.TestDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The audit chain on real PostgreSQL: written from raw rows, verified, tampered with by SQL. */
class AuditJdbcTest {
    /** Axon's JDBC event table in snake_case, as Axon's PostgresEventTableFactory shapes it; kept if a migration made it. */
    private static final String EVENT_TABLE = """
            CREATE TABLE IF NOT EXISTS domain_event_entry (
                global_index BIGSERIAL NOT NULL PRIMARY KEY,
                event_identifier VARCHAR(255) NOT NULL UNIQUE,
                meta_data BYTEA,
                payload BYTEA NOT NULL,
                payload_revision VARCHAR(255),
                payload_type VARCHAR(255) NOT NULL,
                time_stamp VARCHAR(255) NOT NULL,
                aggregate_identifier VARCHAR(255) NOT NULL,
                sequence_number BIGINT NOT NULL,
                type VARCHAR(255),
                UNIQUE (aggregate_identifier, sequence_number))
            """;

    private long seed;
    private RandomHistory history;
    private DataSource ds;
    private AuditChainWriter writer;
    private AuditService audit;

    @BeforeEach
    void setUp() throws SQLException {
        seed = Seeds.seed("AuditJdbcTest");
        history = RandomHistory.generate(new Random(seed), 300);
        ds = TestDatabase.create().dataSource();
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        EventTable.sql(ds, EVENT_TABLE);
        JdbcRawEventReader reader = new JdbcRawEventReader();
        JdbcAuditChainStore store = new JdbcAuditChainStore();
        writer = new AuditChainWriter(reader, store);
        audit = new AuditService(ds, reader, store);
    }

    private VerificationResult.Damaged damaged() throws SQLException {
        VerificationResult result = audit.verifyChain();
        assertThat(result).as("seed %d", seed).isInstanceOf(VerificationResult.Damaged.class);
        return (VerificationResult.Damaged) result;
    }

    private long seq(int index) {
        return history.rows.get(index).globalSequence();
    }

    @Test
    void chainWrittenInTwoStepsEqualsTheChainComputedInMemory() throws SQLException {
        EventTable.insert(ds, history.rows.subList(0, 120));
        assertThat(writer.catchUpFully(ds, Long.MAX_VALUE)).isEqualTo(120);
        EventTable.insert(ds, history.rows.subList(120, history.rows.size()));
        assertThat(writer.catchUpFully(ds, Long.MAX_VALUE)).isEqualTo(history.rows.size() - 120);

        List<ChainLink> expected = AuditChain.build(history.rows);
        VerificationResult result = audit.verifyChain();

        assertThat(result).as("seed %d", seed).isEqualTo(new VerificationResult.Intact(history.rows.size(),
                history.lastSequence(), expected.get(expected.size() - 1).chainHash(), 0));
        assertThat(writer.catchUpFully(ds, Long.MAX_VALUE)).as("nothing left to chain").isZero();
    }

    @Test
    void rowsAboveTheHorizonWaitAndCountAsUnchained() throws SQLException {
        EventTable.insert(ds, history.rows);

        writer.catchUpFully(ds, seq(99));

        VerificationResult.Intact intact = (VerificationResult.Intact) audit.verifyChain();
        assertThat(intact.eventsChecked()).isEqualTo(100);
        assertThat(intact.unchainedRows()).isEqualTo(history.rows.size() - 100);
    }

    @Test
    void chainStopsBeforeAYoungOpenGapAndPassesItOnceTheRowAfterItIsOld() throws SQLException {
        Instant now = Instant.parse("2026-11-24T17:00:00Z");
        RawEventRow t = history.rows.get(0);
        List<RawEventRow> rows = new ArrayList<>();
        for (long index : new long[] {1, 2, 4, 5}) {
            rows.add(new RawEventRow(index, "e" + index, "BudgetLine", "a", index, t.payloadType(), null, t.payload(),
                    t.metadata(), now.minusSeconds(index == 4 ? 10 : 3_600).toString()));
        }
        EventTable.insert(ds, rows);
        java.util.TreeSet<Long> gapAt3 = new java.util.TreeSet<>(List.of(3L));

        assertThat(catchUp(new AuditHorizon(5, gapAt3, now.minusSeconds(60)))).as("row 4 is 10 s old: 3 may still come").isEqualTo(2);
        assertThat(catchUp(new AuditHorizon(5, gapAt3, now.plusSeconds(60)))).as("a minute later 3 counts as lost").isEqualTo(2);
        assertThat(audit.verifyChain()).isInstanceOfSatisfying(VerificationResult.Intact.class,
                ok -> assertThat(ok.headSequence()).isEqualTo(5));
    }

    private int catchUp(AuditHorizon horizon) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            int n = writer.catchUp(c, horizon);
            c.commit();
            return n;
        }
    }

    @Test
    void tamperingBySqlIsFoundAndClassified() throws SQLException {
        EventTable.insert(ds, history.rows);
        writer.catchUpFully(ds, Long.MAX_VALUE);

        EventTable.sql(ds, "UPDATE domain_event_entry SET payload = set_byte(payload, 5, get_byte(payload, 5) # 1) WHERE global_index = " + seq(150));
        assertThat(damaged()).extracting(VerificationResult.Damaged::damage, VerificationResult.Damaged::globalSequence)
                .containsExactly(Damage.CHANGED, seq(150));

        EventTable.sql(ds, "DELETE FROM domain_event_entry WHERE global_index = " + seq(40));
        assertThat(damaged()).extracting(VerificationResult.Damaged::damage, VerificationResult.Damaged::globalSequence)
                .containsExactly(Damage.MISSING, seq(40));

        EventTable.sql(ds, "UPDATE domain_event_entry SET global_index = -1 WHERE global_index = " + seq(10));
        EventTable.sql(ds, "UPDATE domain_event_entry SET global_index = " + seq(10) + " WHERE global_index = " + seq(11));
        EventTable.sql(ds, "UPDATE domain_event_entry SET global_index = " + seq(11) + " WHERE global_index = -1");
        assertThat(damaged()).extracting(VerificationResult.Damaged::damage, VerificationResult.Damaged::globalSequence)
                .containsExactly(Damage.REORDERED, seq(10));
    }

    @Test
    void rowInsertedBelowTheHeadIsInserted() throws SQLException {
        EventTable.insert(ds, history.rows);
        writer.catchUpFully(ds, Long.MAX_VALUE);
        long free = firstFreeSequence();
        RawEventRow template = history.rows.get(3);

        EventTable.insert(ds, List.of(new RawEventRow(free, "forged", "BudgetLine", "forged-aggregate", 0, template.payloadType(), null,
                template.payload(), template.metadata(), template.timestamp())));

        assertThat(damaged()).extracting(VerificationResult.Damaged::damage, VerificationResult.Damaged::globalSequence)
                .containsExactly(Damage.INSERTED, free);
    }

    @Test
    void chainAndDigestTablesRefuseUpdateDeleteAndTruncate() throws SQLException {
        EventTable.insert(ds, history.rows.subList(0, 5));
        writer.catchUpFully(ds, Long.MAX_VALUE);
        audit.issueDigest(new DigestSigner(DigestKeys.generate()), Instant.parse("2026-11-24T17:00:00Z"));

        for (String attack : List.of("UPDATE audit_chain SET chain_hash = leaf_hash", "DELETE FROM audit_chain",
                "TRUNCATE audit_chain", "UPDATE audit_digest SET event_count = 0", "DELETE FROM audit_digest",
                "TRUNCATE audit_digest")) {
            assertThatThrownBy(() -> EventTable.sql(ds, attack)).as(attack).hasMessageContaining("append-only");
        }
    }

    @Test
    void exportedDigestVerifiesUntilARowBeforeItChanges() throws SQLException {
        EventTable.insert(ds, history.rows);
        writer.catchUpFully(ds, Long.MAX_VALUE);
        KeyPair keys = DigestKeys.generate();
        Digest issued = audit.issueDigest(new DigestSigner(keys), Instant.parse("2026-11-24T17:00:00Z"));
        Digest exported = DigestFile.fromJson(DigestFile.toJson(issued));

        assertThat(exported.sequence()).isEqualTo(history.lastSequence());
        assertThat(audit.verifyDigest(exported, keys.getPublic()).outcome()).isEqualTo(DigestVerifier.Outcome.VALID);

        EventTable.sql(ds, "UPDATE domain_event_entry SET meta_data = set_byte(meta_data, 2, get_byte(meta_data, 2) # 4) WHERE global_index = "
                + seq(0));
        assertThat(audit.verifyDigest(exported, keys.getPublic()).outcome()).isEqualTo(DigestVerifier.Outcome.HEAD_MISMATCH);
    }

    @Test
    void jsonlExportFromTheDatabaseHasTheStoredBytes() throws SQLException {
        EventTable.insert(ds, history.rows);
        StringBuilder out = new StringBuilder();

        audit.exportJsonl(out);

        List<RawEventRow> back = new ArrayList<>();
        for (String line : out.toString().split("\n")) {
            back.add(JsonlExport.parseRow(line));
        }
        assertThat(back).as("seed %d", seed).isEqualTo(history.rows);
    }

    private long firstFreeSequence() {
        for (int k = 0; k + 1 < history.rows.size(); k++) {
            if (seq(k + 1) > seq(k) + 1) {
                return seq(k) + 1;
            }
        }
        throw new AssertionError("seed " + seed + ": the generated log has no gap");
    }
}
