package org.etat.app.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.etat.ledger.audit.RawEventRow;

/** Direct SQL on the event table, behind the ledger's back: what the tamper tests need. */
final class EventTable {
    private EventTable() {
    }

    static void sql(DataSource ds, String statement) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }

    /** Inserts rows exactly as given (global index included), as a forger with database access could. */
    static void insert(DataSource ds, List<RawEventRow> rows) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO domain_event_entry "
                + "(global_index, event_identifier, meta_data, payload, payload_revision, payload_type, time_stamp, "
                + "aggregate_identifier, sequence_number, type) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (RawEventRow r : rows) {
                ps.setLong(1, r.globalSequence());
                ps.setString(2, r.eventId());
                ps.setBytes(3, r.metadata());
                ps.setBytes(4, r.payload());
                ps.setString(5, r.payloadRevision());
                ps.setString(6, r.payloadType());
                ps.setString(7, r.timestamp());
                ps.setString(8, r.aggregateId());
                ps.setLong(9, r.aggregateSequence());
                ps.setString(10, r.aggregateType());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
