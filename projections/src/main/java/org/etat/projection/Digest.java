package org.etat.projection;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * SHA-256 of a read model's rows in canonical form, so a rebuilt model can be compared with the
 * live one, and an auditor can compare two installations.
 *
 * <p>Canonical form: rows ordered by the table's primary key (text compared byte-wise, collation
 * "C"); columns in table order; each value as PostgreSQL's text output, except timestamps, which
 * are written in UTC as {@code YYYY-MM-DDTHH:MI:SS.ffffffZ} so the session time zone cannot change
 * them; NULL as {@code \N}; fields separated by TAB and every row ended by LF; UTF-8. The digest is
 * the lower-case hex SHA-256 of that text.
 */
public final class Digest {

    /** Primary key of every table, for the canonical row order. */
    static final Map<String, List<String>> KEYS = Map.of(
            "line_balance", List.of("line_id"),
            "line_history", List.of("line_id", "global_sequence"),
            "reallocation_flow", List.of("reallocation_id"),
            "carry_over", List.of("carry_over_id"),
            "expenditure", List.of("line_id", "global_sequence"),
            "overplan_consent", List.of("event_id"));

    private Digest() {
    }

    /** Digest of every table of a schema, by table name in {@link ReadModelSchema#TABLES} order. */
    public static Map<String, String> of(DataSource dataSource, ReadModelSchema schema) {
        Map<String, String> result = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            c.setReadOnly(true);
            // One snapshot for every table.
            try (var st = c.createStatement()) {
                st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
            }
            for (String table : ReadModelSchema.TABLES) {
                result.put(table, of(c, schema, table));
            }
            c.commit();
        } catch (SQLException e) {
            throw new ProjectionException("cannot digest schema " + schema.name(), e);
        }
        return result;
    }

    /** Digest of every table of a schema within the caller's transaction (e.g. a snapshot it also reads the log in). */
    public static Map<String, String> of(Connection c, ReadModelSchema schema) throws SQLException {
        Map<String, String> result = new LinkedHashMap<>();
        for (String table : ReadModelSchema.TABLES) {
            result.put(table, of(c, schema, table));
        }
        return result;
    }

    static String of(Connection c, ReadModelSchema schema, String table) throws SQLException {
        List<String> expressions = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT column_name, data_type FROM information_schema.columns"
                + " WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position")) {
            ps.setString(1, schema.name());
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String col = rs.getString(1);
                    String type = rs.getString(2);
                    expressions.add(type.startsWith("timestamp")
                            ? "to_char(" + col + " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
                            : col + "::text");
                }
            }
        }
        if (expressions.isEmpty()) {
            throw new ProjectionException("table " + schema.table(table) + " does not exist", null);
        }
        StringBuilder order = new StringBuilder();
        for (String k : KEYS.get(table)) {
            order.append(order.length() == 0 ? "" : ", ").append(k.endsWith("_id") ? k + " COLLATE \"C\"" : k);
        }
        String sql = "SELECT " + String.join(", ", expressions) + " FROM " + schema.table(table) + " ORDER BY " + order;
        MessageDigest sha = sha256();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setFetchSize(10_000);
            try (ResultSet rs = ps.executeQuery()) {
                int n = expressions.size();
                StringBuilder row = new StringBuilder();
                while (rs.next()) {
                    row.setLength(0);
                    for (int i = 1; i <= n; i++) {
                        String v = rs.getString(i);
                        row.append(v == null ? "\\N" : v).append(i < n ? '\t' : '\n');
                    }
                    sha.update(row.toString().getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
