package org.etat.app.projection;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * How many events of a ledger's log a read side holds: those at or below their line's last applied
 * position there (the projector applies a line's events in log order). The read side may be the
 * ledger's own database or one of its own (the Kafka-fed projections service).
 */
public final class Projected {

    private Projected() {
    }

    /** Events of {@code ledger}'s log that {@code readSide}'s live read models hold. */
    public static long events(DataSource readSide, DataSource ledger) {
        Map<String, Long> last = new HashMap<>();
        try (Connection c = readSide.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT line_id, last_global_sequence FROM projection.line_balance")) {
            while (rs.next()) {
                last.put(rs.getString(1), rs.getLong(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        long held = 0;
        try (Connection c = ledger.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT aggregate_identifier, global_index FROM domain_event_entry")) {
            while (rs.next()) {
                Long upTo = last.get(rs.getString(1));
                held += upTo != null && rs.getLong(2) <= upTo ? 1 : 0;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return held;
    }

    /** Events of the log that the read models in the same database hold. */
    public static long events(DataSource ledger) {
        return events(ledger, ledger);
    }
}
