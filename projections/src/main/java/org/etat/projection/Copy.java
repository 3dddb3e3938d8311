package org.etat.projection;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.postgresql.PGConnection;

/** Rows into a table with PostgreSQL's COPY (CSV): what a batched INSERT of the same values stores. */
final class Copy {

    private Copy() {
    }

    /** {@code tableAndColumns} like {@code projection.expenditure (event_id, ...)}; values: String, Number, Boolean, LocalDate, Instant or null. */
    static void in(Connection c, String tableAndColumns, List<Object[]> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        StringBuilder csv = new StringBuilder(rows.size() * 160);
        for (Object[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                if (i > 0) {
                    csv.append(',');
                }
                append(csv, row[i]);
            }
            csv.append('\n');
        }
        try {
            c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + tableAndColumns + " FROM STDIN (FORMAT csv)", new StringReader(csv.toString()));
        } catch (IOException e) {
            throw new SQLException("COPY into " + tableAndColumns + " failed", e);
        }
    }

    /** Rows as COPY CSV text. */
    static StringBuilder rows(List<Object[]> rows) {
        StringBuilder csv = new StringBuilder(rows.size() * 160);
        for (Object[] row : rows) {
            row(csv, row);
        }
        return csv;
    }

    /** One row as a line of COPY CSV text. */
    static void row(StringBuilder csv, Object... values) {
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                csv.append(',');
            }
            append(csv, values[i]);
        }
        csv.append('\n');
    }

    /** NULL is an unquoted empty field; every text is quoted, so an empty text stays a text. */
    private static void append(StringBuilder csv, Object v) {
        if (v == null) {
            return;
        }
        if (v instanceof String s) {
            csv.append('"');
            for (int i = 0; i < s.length(); i++) {
                char ch = s.charAt(i);
                if (ch == '"') {
                    csv.append('"');
                }
                csv.append(ch);
            }
            csv.append('"');
        } else if (v instanceof Boolean b) {
            csv.append(b ? 't' : 'f');
        } else if (v instanceof BigDecimal d) {
            csv.append(d.toPlainString());
        } else if (v instanceof Long || v instanceof Integer) {
            csv.append(v);
        } else if (v instanceof LocalDate || v instanceof Instant) {
            csv.append(v); // ISO-8601; an Instant ends in Z, so the session time zone does not matter
        } else {
            throw new IllegalArgumentException("no COPY form for " + v.getClass().getName());
        }
    }
}
