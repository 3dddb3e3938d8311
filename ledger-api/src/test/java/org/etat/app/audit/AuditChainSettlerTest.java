package org.etat.app.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import javax.sql.DataSource;
import org.etat.ledger.audit.RandomHistory;
import org.etat.ledger.audit.RawEventRow;
import org.etat.testsupport.TestDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The settler chains the quiet tail of the log past a missing index as soon as PostgreSQL shows that
 * no transaction that could hold the index is still writing, and not before.
 */
class AuditChainSettlerTest {

    private DataSource ds;
    private AuditChainWriter writer;
    private RawEventRow template;

    @BeforeEach
    void setUp() {
        ds = TestDatabase.create().dataSource();
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        writer = new AuditChainWriter(new JdbcRawEventReader(), new JdbcAuditChainStore());
        template = RandomHistory.generate(new Random(1), 1).rows.get(0);
    }

    /** Rows 1, 2, 4, 5 with a young event time (the JVM's), inserted now (PostgreSQL's insert time). */
    private void insertWithHoleAt3(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO domain_event_entry (global_index, event_identifier, meta_data, payload, "
                + "payload_revision, payload_type, time_stamp, aggregate_identifier, sequence_number, type) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (long index : new long[] {1, 2, 4, 5}) {
                ps.setLong(1, index);
                ps.setString(2, "e" + index);
                ps.setBytes(3, template.metadata());
                ps.setBytes(4, template.payload());
                ps.setString(5, null);
                ps.setString(6, template.payloadType());
                ps.setString(7, Instant.now().toString());
                ps.setString(8, "a");
                ps.setLong(9, index);
                ps.setString(10, "BudgetLine");
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private long chained() throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); var rs = st.executeQuery("SELECT count(*) FROM audit_chain")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void given_a_hole_no_running_transaction_can_fill_when_the_settler_runs_then_it_chains_past_it_at_once() throws SQLException {
        try (Connection c = ds.getConnection()) {
            insertWithHoleAt3(c);
        }
        AuditChainSettler settler = new AuditChainSettler(ds, writer, Duration.ofSeconds(10), Duration.ZERO);

        // The rows' event time is young, so by the 60 s rule alone the chain would stop at 2.
        assertThat(settler.settle(Instant.now())).isEqualTo(4);
        assertThat(chained()).isEqualTo(4);
    }

    @Test
    void given_a_transaction_writing_since_before_the_row_after_the_hole_when_the_settler_runs_then_it_stops_before_the_hole() throws SQLException {
        try (Connection holder = ds.getConnection()) {
            holder.setAutoCommit(false);
            try (Statement st = holder.createStatement()) {
                st.execute("SELECT txid_current()"); // writing (has a transaction id), as a transaction that took index 3 would be
            }
            try (Connection c = ds.getConnection()) {
                insertWithHoleAt3(c);
            }
            AuditChainSettler settler = new AuditChainSettler(ds, writer, Duration.ofSeconds(10), Duration.ZERO);

            assertThat(settler.settle(Instant.now())).as("3 may still come").isEqualTo(2);

            holder.rollback();
        }
        assertThat(new AuditChainSettler(ds, writer, Duration.ofSeconds(10), Duration.ZERO).settle(Instant.now()))
                .as("once that transaction ended, 3 can no longer come").isEqualTo(2);
        assertThat(chained()).isEqualTo(4);
    }

    @Test
    void given_a_hole_below_a_row_inserted_within_the_margin_when_the_settler_runs_then_it_waits() throws SQLException {
        try (Connection c = ds.getConnection()) {
            insertWithHoleAt3(c);
        }

        assertThat(new AuditChainSettler(ds, writer, Duration.ofSeconds(10), Duration.ofMinutes(5)).settle(Instant.now())).isEqualTo(2);
    }
}
