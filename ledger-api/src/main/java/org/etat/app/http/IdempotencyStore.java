package org.etat.app.http;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.etat.ledger.common.LedgerRejection;
import org.etat.ledger.common.Rule;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Idempotency keys in PostgreSQL, durable across restarts and shared by every node. A key is claimed
 * by an insert (the primary key decides between concurrent requests), completed with the response,
 * or released when the write was refused. A claim older than {@code etat.http.idempotency.stale-after}
 * is taken to be from a crashed node and may be taken over; the ledger's own idempotency by request
 * id still prevents a second effect.
 *
 * <p>Ledger writes take a cheaper path ({@link #claimWithinTransaction}): the key is claimed inside
 * the command's own transaction, so it commits with the events, and no response is stored. A repeat
 * runs the command again, and the ledger answers it from its request log with the first receipt, from
 * which the controller builds the same response: one transaction per write and no round trip before it.
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

    /**
     * Claims the key in the caller's (the ledger command's) transaction. A concurrent claim of the same
     * key makes this wait until that transaction ends; if it committed for another request, this one is
     * refused with {@link Rule#IDEMPOTENCY_CONFLICT} and its transaction rolls back.
     *
     * @return true when this claimed the key; false when the same request (path, principal and body)
     *     holds it from an earlier transaction, i.e. this one is a repeat
     */
    public boolean claimWithinTransaction(String key, byte[] requestSha256, String principal) {
        for (int attempt = 0; attempt < 3; attempt++) {
            if (jdbc.update("INSERT INTO http_idempotency (idempotency_key, request_sha256, principal) VALUES (?, ?, ?) "
                    + "ON CONFLICT (idempotency_key) DO NOTHING", key, requestSha256, principal) == 1) {
                return true;
            }
            List<byte[]> held = jdbc.query("SELECT request_sha256 FROM http_idempotency WHERE idempotency_key = ?",
                    (rs, n) -> rs.getBytes(1), key);
            if (!held.isEmpty()) {
                if (!Arrays.equals(held.get(0), requestSha256)) {
                    throw new LedgerRejection(Rule.IDEMPOTENCY_CONFLICT,
                            "this Idempotency-Key was used for a different request; use a new key for a new write");
                }
                return false;
            }
        }
        throw new IllegalStateException("Idempotency-Key " + key + " could not be claimed");
    }

    private Row row(String key) {
        List<Row> rows = jdbc.query("SELECT request_sha256, claimed_at, completed_at, status, headers, body FROM http_idempotency "
                + "WHERE idempotency_key = ?", (rs, n) -> new Row(rs.getBytes(1), rs.getTimestamp(2), rs.getTimestamp(3),
                        (Integer) rs.getObject(4), rs.getString(5), rs.getBytes(6)), key);
        return rows.isEmpty() ? null : rows.get(0);
    }

    private boolean takeOverIfStale(String key, Row row) {
        return jdbc.update("UPDATE http_idempotency SET claimed_at = now() WHERE idempotency_key = ? AND completed_at IS NULL "
                + "AND claimed_at = ? AND claimed_at < now() - make_interval(secs => ?)", key, row.claimedAt(), staleAfter.toSeconds()) == 1;
    }

    public Claim claim(String key, byte[] requestSha256, String principal) {
        for (int attempt = 0; attempt < 5; attempt++) {
            int inserted = jdbc.update("INSERT INTO http_idempotency (idempotency_key, request_sha256, principal) VALUES (?, ?, ?) "
                    + "ON CONFLICT (idempotency_key) DO NOTHING", key, requestSha256, principal);
            if (inserted == 1) {
                return new Claimed();
            }
            Row row = row(key);
            if (row == null) {
                continue; // released meanwhile: try to claim again
            }
            if (!Arrays.equals(row.sha256(), requestSha256)) {
                return new Mismatch();
            }
            if (row.completedAt() != null) {
                return new Replay(row.status(), decode(row.headers()), row.body() == null ? new byte[0] : row.body());
            }
            return takeOverIfStale(key, row) ? new Claimed() : new InProgress();
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
