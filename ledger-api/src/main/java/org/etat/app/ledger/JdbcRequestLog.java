package org.etat.app.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;
import org.etat.ledger.common.Receipt;
import org.etat.ledger.recording.RequestLog;
import org.springframework.jdbc.datasource.DataSourceUtils;

/**
 * The request log in PostgreSQL ({@code request_log}, V1). It writes on the connection bound to the
 * command's transaction, so the row commits or rolls back with the request's events; the primary
 * key on request_id lets only one of two concurrent retries record.
 */
public class JdbcRequestLog implements RequestLog {

    private final DataSource dataSource;
    private final ObjectMapper json;

    public JdbcRequestLog(DataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    @Override
    public Optional<LoggedRequest> find(String requestId) {
        Connection c = DataSourceUtils.getConnection(dataSource);
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT request_id, fingerprint, principal, command_type, receipt::text FROM request_log WHERE request_id = ?")) {
            ps.setString(1, requestId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new LoggedRequest(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        json.readValue(rs.getString(5), Receipt.class)));
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("cannot read request " + requestId + " from the request log", e);
        } finally {
            DataSourceUtils.releaseConnection(c, dataSource);
        }
    }

    @Override
    public Optional<LoggedRequest> record(LoggedRequest request) {
        Connection c = DataSourceUtils.getConnection(dataSource);
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO request_log (request_id, fingerprint, principal, command_type, receipt) VALUES (?, ?, ?, ?, ?::jsonb) "
                        + "ON CONFLICT (request_id) DO NOTHING")) {
            ps.setString(1, request.requestId());
            ps.setString(2, request.fingerprint());
            ps.setString(3, request.principal());
            ps.setString(4, request.commandType());
            ps.setString(5, json.writeValueAsString(request.receipt()));
            if (ps.executeUpdate() == 1) {
                return Optional.empty();
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("cannot record request " + request.requestId(), e);
        } finally {
            DataSourceUtils.releaseConnection(c, dataSource);
        }
        // The insert waited for the other transaction and found its row: that one won.
        return Optional.of(find(request.requestId()).orElseThrow(
                () -> new IllegalStateException("request " + request.requestId() + " conflicted but is not visible")));
    }
}
