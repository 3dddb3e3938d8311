package org.etat.app.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.sql.DataSource;
import org.etat.ledger.audit.AuditChain;
import org.etat.ledger.audit.ChainLink;
import org.etat.ledger.audit.Damage;
import org.etat.ledger.audit.RandomHistory;
import org.etat.ledger.audit.RawEventRow;
import org.etat.ledger.audit.Seeds;
import org.etat.ledger.audit.Sha256Hash;
import org.etat.ledger.audit.VerificationResult;
import org.etat.testsupport.TestDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The chain verification over binary COPY (hashing the received tuples in place) against the
 * chain computed in memory from the rows as objects, and against the JDBC object path, on real
 * PostgreSQL: unusual fields, tuples larger than a chunk, 1,000 single-byte changes by SQL, and
 * random damage of every kind.
 */
class CopyChainVerifierTest {
    private long seed;
    private Random random;
    private RandomHistory history;
    private DataSource ds;
    private AuditChainWriter writer;
    private AuditService audit;
    private HikariDataSource pool;

    @AfterEach
    void closePool() {
        pool.close();
    }

    @BeforeEach
    void setUp() {
        seed = Seeds.seed("CopyChainVerifierTest");
        random = new Random(seed);
        history = RandomHistory.generate(new Random(seed), 300);
        TestDatabase.Database db = TestDatabase.create();
        // A pool: the 1,000-change test verifies 1,000 times, and a new backend per connection would dominate it.
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(db.jdbcUrl());
        config.setUsername(db.user());
        config.setPassword(db.password());
        config.setMaximumPoolSize(4);
        pool = new HikariDataSource(config);
        ds = pool;
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        JdbcRawEventReader reader = new JdbcRawEventReader();
        JdbcAuditChainStore store = new JdbcAuditChainStore();
        writer = new AuditChainWriter(reader, store);
        audit = new AuditService(ds, reader, store);
    }

    @Test
    void givenAnEmptyLog_whenVerified_thenIntactWithNothingChecked() throws SQLException {
        try (Connection c = ds.getConnection()) {
            assertThat(CopyChainVerifier.usable(c)).as("the test database sends text as UTF-8: the COPY path is the one tested").isTrue();
        }
        assertThat(audit.verifyChain()).isEqualTo(new VerificationResult.Intact(0, Long.MIN_VALUE, Sha256Hash.ZERO, 0))
                .isEqualTo(audit.verifyChainByJdbc());
    }

    @Test
    void givenRowsWithEveryShapeOfField_whenVerified_thenTheHeadIsTheOneComputedFromObjects() throws SQLException {
        List<RawEventRow> rows = new ArrayList<>(history.rows);
        RawEventRow t = rows.get(0);
        long next = history.lastSequence() + 1;
        byte[] big = new byte[700_000]; // larger than the reader's buffer: it must grow
        random.nextBytes(big);
        rows.add(new RawEventRow(next++, "e-null-type", null, "agg-1", 0, t.payloadType(), "1.0", t.payload(), null, t.timestamp()));
        rows.add(new RawEventRow(next++, "e-empty", "", "agg-1", 1, t.payloadType(), "", new byte[0], new byte[0], ""));
        rows.add(new RawEventRow(next++, "é-€-\uD834\uDD1E", "Haushaltsstelle ä", "Kapitel-ö-\uD83D\uDCB6", 0, "org.etat.Ü", null,
                "{\"zweck\":\"Brücke € \uD83C\uDF09\"}".getBytes(StandardCharsets.UTF_8), t.metadata(), "2024-03-01T10:15:30Z"));
        rows.add(new RawEventRow(next++, "e-big", "BudgetLine", "agg-2", 0, t.payloadType(), null, big, t.metadata(), t.timestamp()));
        for (int i = 0; i < 12; i++) { // several chunks' worth, boundaries falling anywhere
            byte[] payload = new byte[40_000 + random.nextInt(60_000)];
            random.nextBytes(payload);
            rows.add(new RawEventRow(next++, "e-mid-" + i, "BudgetLine", "agg-3", i, t.payloadType(), null, payload, t.metadata(),
                    t.timestamp()));
        }
        EventTable.insert(ds, rows);
        writer.catchUpFully(ds, Long.MAX_VALUE);
        List<ChainLink> expected = AuditChain.build(rows);

        VerificationResult result = audit.verifyChain();

        assertThat(result).as("seed %d", seed).isEqualTo(new VerificationResult.Intact(rows.size(), rows.get(rows.size() - 1).globalSequence(),
                expected.get(expected.size() - 1).chainHash(), 0)).isEqualTo(audit.verifyChainByJdbc());
    }

    @Test
    void givenOneThousandSingleByteChangesBySql_whenVerifiedAfterEach_thenEachIsChangedAtItsSequence() throws SQLException {
        EventTable.insert(ds, history.rows);
        writer.catchUpFully(ds, Long.MAX_VALUE);
        int changes = 1_000;
        for (int i = 0; i < changes; i++) {
            int index = random.nextInt(history.rows.size());
            RawEventRow row = history.rows.get(index);
            String column = i % 2 == 0 ? "payload" : "meta_data";
            int length = (i % 2 == 0 ? row.payload() : row.metadata()).length;
            int position = random.nextInt(length);
            int mask = 1 + random.nextInt(255);
            String flip = "UPDATE domain_event_entry SET " + column + " = set_byte(" + column + ", " + position + ", get_byte(" + column
                    + ", " + position + ") # " + mask + ") WHERE global_index = " + row.globalSequence();
            EventTable.sql(ds, flip);

            VerificationResult result = audit.verifyChain();

            assertThat(result).as("seed %d, change %d", seed, i).isInstanceOfSatisfying(VerificationResult.Damaged.class, d -> {
                assertThat(d.damage()).isEqualTo(Damage.CHANGED);
                assertThat(d.globalSequence()).isEqualTo(row.globalSequence());
                assertThat(d.eventsCheckedBefore()).isEqualTo(index);
            });
            if (i % 50 == 0) {
                assertThat(result).as("seed %d, change %d: both paths", seed, i).isEqualTo(audit.verifyChainByJdbc());
            }
            EventTable.sql(ds, flip); // the same XOR again restores the byte
        }
        assertThat(audit.verifyChain()).as("seed %d: all restored", seed).isInstanceOf(VerificationResult.Intact.class);
    }

    /** One kind of damage done by SQL; the sequence where it must be found, or null if the verifiers only have to agree. */
    private record Attack(String name, List<String> statements, Long expectedAt) {
    }

    @Test
    void givenRandomDamageOfEveryKind_whenVerified_thenTheCopyPathReportsExactlyWhatTheObjectPathReports() throws SQLException {
        EventTable.insert(ds, history.rows);
        writer.catchUpFully(ds, Long.MAX_VALUE);
        for (int round = 0; round < 60; round++) {
            Attack attack = attack();
            for (String s : attack.statements()) {
                EventTable.sql(ds, s);
            }

            VerificationResult copy = audit.verifyChain();
            VerificationResult objects = audit.verifyChainByJdbc();

            assertThat(copy).as("seed %d, round %d, %s", seed, round, attack.name()).isEqualTo(objects);
            if (attack.expectedAt() != null) {
                assertThat(copy).as("seed %d, round %d, %s", seed, round, attack.name()).isInstanceOfSatisfying(
                        VerificationResult.Damaged.class, d -> assertThat(d.globalSequence()).isEqualTo(attack.expectedAt()));
            }
            restore();
        }
    }

    private Attack attack() {
        int k = random.nextInt(history.rows.size());
        long seq = history.rows.get(k).globalSequence();
        String where = " WHERE global_index = " + seq;
        String leafOrChain = random.nextBoolean() ? "leaf_hash" : "chain_hash";
        int kind = random.nextInt(12);
        return switch (kind) {
            case 0 -> new Attack("event id", List.of("UPDATE domain_event_entry SET event_identifier = event_identifier || 'x'" + where), seq);
            case 1 -> new Attack("type", List.of("UPDATE domain_event_entry SET type = NULL" + where), seq);
            case 2 -> new Attack("aggregate id", List.of("UPDATE domain_event_entry SET aggregate_identifier = "
                    + "overlay(aggregate_identifier placing 'Z' from 1 for 1)" + where), seq);
            case 3 -> new Attack("aggregate sequence", List.of("UPDATE domain_event_entry SET sequence_number = sequence_number + 1000000"
                    + where), seq);
            case 4 -> new Attack("revision and metadata", List.of("UPDATE domain_event_entry SET payload_revision = '2', meta_data = NULL"
                    + where), seq);
            case 5 -> new Attack("timestamp", List.of("UPDATE domain_event_entry SET time_stamp = time_stamp || ' '" + where), seq);
            case 6 -> new Attack("deleted", List.of("DELETE FROM domain_event_entry" + where), seq);
            case 7 -> {
                int j = random.nextInt(history.rows.size());
                long other = history.rows.get(j).globalSequence();
                yield new Attack("swapped " + seq + " and " + other, List.of(
                        "UPDATE domain_event_entry SET global_index = -1" + where,
                        "UPDATE domain_event_entry SET global_index = " + seq + " WHERE global_index = " + other,
                        "UPDATE domain_event_entry SET global_index = " + other + " WHERE global_index = -1"),
                        seq == other ? null : Math.min(seq, other));
            }
            case 8 -> new Attack("inserted", List.of("INSERT INTO domain_event_entry (global_index, event_identifier, meta_data, payload, "
                    + "payload_revision, payload_type, time_stamp, aggregate_identifier, sequence_number, type) SELECT " + freeSequence()
                    + ", 'forged', meta_data, payload, payload_revision, payload_type, time_stamp, 'forged', 0, type "
                    + "FROM domain_event_entry" + where), null);
            case 9 -> new Attack("moved to the end", List.of("UPDATE domain_event_entry SET global_index = "
                    + (history.lastSequence() + 10) + where), seq);
            case 10 -> new Attack(leafOrChain + " rewritten", List.of(
                    "ALTER TABLE audit_chain DISABLE TRIGGER audit_chain_append_only",
                    "UPDATE audit_chain SET " + leafOrChain + " = sha256(" + leafOrChain + ")" + where,
                    "ALTER TABLE audit_chain ENABLE TRIGGER audit_chain_append_only"), seq);
            default -> new Attack("payload byte", List.of("UPDATE domain_event_entry SET payload = set_byte(payload, 0, get_byte(payload, 0) # 32)"
                    + where), seq);
        };
    }

    /** The log back as written and the chain back as computed (the chain table's triggers paused for the repair). */
    private void restore() throws SQLException {
        EventTable.sql(ds, "DELETE FROM domain_event_entry");
        EventTable.insert(ds, history.rows);
        List<ChainLink> links = AuditChain.build(history.rows);
        EventTable.sql(ds, "ALTER TABLE audit_chain DISABLE TRIGGER audit_chain_append_only");
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE audit_chain SET leaf_hash = ?, chain_hash = ? WHERE global_index = ?")) {
            for (ChainLink link : links) {
                ps.setBytes(1, link.leafHash().bytes());
                ps.setBytes(2, link.chainHash().bytes());
                ps.setLong(3, link.globalSequence());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        EventTable.sql(ds, "ALTER TABLE audit_chain ENABLE TRIGGER audit_chain_append_only");
    }

    private long freeSequence() {
        List<Long> free = new ArrayList<>();
        for (int k = 0; k + 1 < history.rows.size(); k++) {
            if (history.rows.get(k + 1).globalSequence() > history.rows.get(k).globalSequence() + 1) {
                free.add(history.rows.get(k).globalSequence() + 1);
            }
        }
        free.add(history.lastSequence() + 1);
        return free.get(random.nextInt(free.size()));
    }
}
