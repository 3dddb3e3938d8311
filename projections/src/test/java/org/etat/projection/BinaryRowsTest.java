package org.etat.projection;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

/**
 * Rows encoded by {@link BinaryRows} load as the same values PostgreSQL stores for their text form
 * (what a CSV COPY or an INSERT of the live projector sends), including instants with nanoseconds,
 * which PostgreSQL rounds to microseconds.
 */
class BinaryRowsTest {

    @Test
    void binaryRowsStoreWhatTheTextFormStores() throws Exception {
        // Given values of every type the bulk load sends, instants with fractions that round up, down and half-way...
        List<Object[]> rows = new ArrayList<>();
        Instant[] instants = {Instant.parse("2024-01-02T08:00:00Z"), Instant.parse("2024-01-02T08:00:00.123456Z"),
                Instant.parse("2024-01-02T08:00:00.123456789Z"), Instant.parse("2024-01-02T08:00:00.000000500Z"),
                Instant.parse("2024-01-02T08:00:00.000001500Z"), Instant.parse("2024-12-31T23:59:59.999999700Z"),
                Instant.parse("1999-12-31T23:59:59.5Z")};
        for (int i = 0; i < instants.length; i++) {
            // ASCII (written byte by byte) and not (UTF-8 encoded): Latin-1, a character beyond it, one beyond the BMP, ASCII only.
            String[] texts = {"ä-", "Ł-", "\uD83D\uDCB6-", "ascii-"};
            rows.add(new Object[] {texts[i % texts.length] + i, (long) i * 1_000_000_007L, i, i % 2 == 0, LocalDate.of(1999 + i, 12, 31), instants[i],
                    i == 3 ? "" : null});
        }
        DataSource db = Fixtures.freshDatabase();
        try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
            String columns = "(t TEXT, l BIGINT, i INT, b BOOLEAN, d DATE, ts TIMESTAMPTZ, n TEXT)";
            st.execute("CREATE TABLE binary_rows " + columns);
            st.execute("CREATE TABLE text_rows " + columns);
            // ...when loaded once by binary COPY and once from their text (ISO-8601) form...
            BinaryRows out = new BinaryRows(16);
            for (Object[] row : rows) {
                out.row(row);
            }
            byte[] data = out.finish();
            c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY binary_rows FROM STDIN (FORMAT binary)",
                    new ByteArrayInputStream(data, 0, out.length()));
            Copy.in(c, "text_rows (t, l, i, b, d, ts, n)", rows);

            // ...both tables hold the same values.
            assertThat(dump(st, "binary_rows")).hasSize(rows.size()).isEqualTo(dump(st, "text_rows"));
        }
    }

    private static List<String> dump(Statement st, String table) throws Exception {
        List<String> lines = new ArrayList<>();
        try (ResultSet rs = st.executeQuery("SELECT t, l, i, b, d, to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US'), n FROM "
                + table + " ORDER BY l")) {
            while (rs.next()) {
                StringBuilder line = new StringBuilder();
                for (int i = 1; i <= 7; i++) {
                    line.append(rs.getString(i)).append('|');
                }
                lines.add(line.toString());
            }
        }
        return lines;
    }
}
