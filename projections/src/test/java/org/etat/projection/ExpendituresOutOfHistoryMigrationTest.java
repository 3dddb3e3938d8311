package org.etat.projection;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import javax.sql.DataSource;
import org.etat.testsupport.TestDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * Given read models written before V140 (an expenditure in both {@code expenditure} and
 * {@code line_history}), when V140 runs, then the expenditure row carries what its history row
 * said and the history no longer holds it: the as-of figures are the same as before.
 */
class ExpendituresOutOfHistoryMigrationTest {

    static final String LINE = "2024-08030-54669";

    @Test
    void anExpenditureMovesFromTheHistoryIntoItsOwnRow() throws Exception {
        DataSource ds = TestDatabase.create().dataSource();
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").target("130").load().migrate();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO projection.line_balance (line_id, year, kind, appropriated_cents, amended_cents, blocked_cents,"
                    + " consented_cents, reallocated_in_cents, reallocated_out_cents, carried_in_cents, carried_out_cents, spent_cents,"
                    + " revenue_cents, lapsed_cents, available_cents, planned_cents, last_global_sequence)"
                    + " VALUES ('" + LINE + "', 2024, 'EXPENDITURE', 1000, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1000, 1000, 4)");
            st.execute("INSERT INTO projection.line_history VALUES ('" + LINE + "', 2, 'e-enact', 'AppropriationEnacted', 2024, '2024-01-01',"
                    + " '2024-01-02T08:00:00Z', 'clerk', 1000, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)");
            st.execute("INSERT INTO projection.line_history VALUES ('" + LINE + "', 3, 'e-pay', 'ExpenditureRecorded', 2024, '2024-03-01',"
                    + " '2024-03-01T10:00:00Z', 'payer', 0, 0, 0, 0, 0, 0, 0, 0, 250, 0, 0)");
            st.execute("INSERT INTO projection.line_history VALUES ('" + LINE + "', 4, 'e-undo', 'EntryReversed', 2024, '2024-03-05',"
                    + " '2024-03-05T10:00:00Z', 'auditor', 0, 0, 0, 0, 0, 0, 0, 0, -250, 0, 0)");
            st.execute("INSERT INTO projection.expenditure (event_id, global_sequence, line_id, year, project_id, amount_cents,"
                    + " effective_date, purpose, document_reference, reversed, reversed_at)"
                    + " VALUES ('e-pay', 3, '" + LINE + "', 2024, 'RK-1', 250, '2024-03-01', 'Workshop', 'RE-1', TRUE, '2024-03-05T10:00:00Z')");
        }

        Migrations.migrate(ds);

        ReadModels models = new ReadModels(ds);
        var changes = models.recordedAfter(2024, Instant.parse("2024-01-01T00:00:00Z"));
        assertThat(changes).extracting(ReadModels.Change::eventType)
                .containsExactly("AppropriationEnacted", "ExpenditureRecorded", "EntryReversed");
        assertThat(changes.get(1).principal()).isEqualTo("payer");
        assertThat(changes.get(1).recordedAt()).isEqualTo(Instant.parse("2024-03-01T10:00:00Z"));
        assertThat(changes.get(1).deltas().spentCents()).isEqualTo(250);
        assertThat(models.lineAsOf(LINE, LocalDate.of(2024, 3, 2), null).orElseThrow().balance().spentCents()).isEqualTo(250);
        assertThat(models.lineAsOf(LINE, null, null).orElseThrow().balance().spentCents()).isZero();
        assertThat(models.lineAsOf(LINE, null, Instant.parse("2024-02-01T00:00:00Z")).orElseThrow().balance().spentCents()).isZero();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            var rs = st.executeQuery("SELECT count(*) FROM projection.line_history WHERE event_type = 'ExpenditureRecorded'");
            rs.next();
            assertThat(rs.getInt(1)).isZero();
            rs = st.executeQuery("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'expenditure_pkey'");
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("PRIMARY KEY (line_id, global_sequence)");
        }
    }
}
