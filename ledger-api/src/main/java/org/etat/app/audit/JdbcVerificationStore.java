package org.etat.app.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;

/** Stored verification results ({@code audit_verification}, V301): append-only, the latest is what the API shows. */
public final class JdbcVerificationStore {
    private final DataSource dataSource;

    public JdbcVerificationStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void save(VerificationReport report, String principal) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO audit_verification (verified_at, principal, ok, result) VALUES (?, ?, ?, ?)")) {
            ps.setTimestamp(1, Timestamp.from(Instant.parse(report.verifiedAt())));
            ps.setString(2, principal.length() > 255 ? principal.substring(0, 255) : principal);
            ps.setBoolean(3, report.ok());
            ps.setString(4, report.toJson());
            ps.executeUpdate();
        }
    }

    /** The JSON of the latest stored result. */
    public Optional<String> latestJson() throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT result FROM audit_verification ORDER BY id DESC LIMIT 1"); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
        }
    }
}
