package org.etat.app.http;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Idempotency keys in PostgreSQL, durable across restarts and shared by every node. A key is claimed
 * by an insert (the primary key decides between concurrent requests), completed with the response,
 * or released when the write was refused. A claim older than {@code etat.http.idempotency.stale-after}
 * is taken to be from a crashed node and may be taken over; the ledger's own idempotency by request
 * id still prevents a second effect.
 */
@Component
public class IdempotencyStore {

    private final JdbcTemplate jdbc;
    private final Duration staleAfter;

    public IdempotencyStore(JdbcTemplate jdbc, @Value("${etat.http.idempotency.stale-after:PT2M}") Duration staleAfter) {
        this.jdbc = jdbc;
        this.staleAfter = staleAfter;
    }

    /** The outcome of claiming a key. */
    public sealed interface Claim {
    }

    /** This request owns the key now and runs. */
    public record Claimed() implements Claim {
    }

    /** The key answered before: the stored first response. */
    public record Replay(int status, Map<String, String> headers, byte[] body) implements Claim {
    }

    /** The key was used for a different request (body, path or principal). */
    public record Mismatch() implements Claim {
    }

    /** The first request with this key is still running. */
    public record InProgress() implements Claim {
    }

    private record Row(byte[] sha256, Timestamp claimedAt, Timestamp completedAt, Integer status, String headers, byte[] body) {
    }

    public Claim claim(String key, byte[] requestSha256, String principal) {
        for (int attempt = 0; attempt < 5; attempt++) {
            int inserted = jdbc.update("INSERT INTO http_idempotency (idempotency_key, request_sha256, principal) VALUES (?, ?, ?) "
                    + "ON CONFLICT (idempotency_key) DO NOTHING", key, requestSha256, principal);
            if (inserted == 1) {
                return new Claimed();
            }
            List<Row> rows = jdbc.query("SELECT request_sha256, claimed_at, completed_at, status, headers, body FROM http_idempotency "
                    + "WHERE idempotency_key = ?", (rs, n) -> new Row(rs.getBytes(1), rs.getTimestamp(2), rs.getTimestamp(3),
                            (Integer) rs.getObject(4), rs.getString(5), rs.getBytes(6)), key);
            if (rows.isEmpty()) {
                continue; // released meanwhile: try to claim again
            }
            Row row = rows.get(0);
            if (!Arrays.equals(row.sha256(), requestSha256)) {
                return new Mismatch();
            }
            if (row.completedAt() != null) {
                return new Replay(row.status(), decode(row.headers()), row.body() == null ? new byte[0] : row.body());
            }
            int taken = jdbc.update("UPDATE http_idempotency SET claimed_at = now() WHERE idempotency_key = ? AND completed_at IS NULL "
                    + "AND claimed_at = ? AND claimed_at < now() - make_interval(secs => ?)", key, row.claimedAt(), staleAfter.toSeconds());
            return taken == 1 ? new Claimed() : new InProgress();
        }
        return new InProgress();
    }

    public void complete(String key, int status, Map<String, String> headers, byte[] body) {
        jdbc.update("UPDATE http_idempotency SET completed_at = now(), status = ?, headers = ?, body = ? WHERE idempotency_key = ?",
                status, encode(headers), body, key);
    }

    public void release(String key) {
        jdbc.update("DELETE FROM http_idempotency WHERE idempotency_key = ? AND completed_at IS NULL", key);
    }

    /** Header lines "name: value"; names and values of stored headers never hold line breaks. */
    private static String encode(Map<String, String> headers) {
        StringBuilder sb = new StringBuilder();
        headers.forEach((name, value) -> sb.append(name).append(": ").append(value.replace('\n', ' ').replace('\r', ' ')).append('\n'));
        return sb.toString();
    }

    private static Map<String, String> decode(String text) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (text != null) {
            for (String line : text.split("\n")) {
                int colon = line.indexOf(": ");
                if (colon > 0) {
                    headers.put(line.substring(0, colon), line.substring(colon + 2));
                }
            }
        }
        return headers;
    }
}
