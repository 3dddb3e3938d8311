package org.etat.app.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import org.etat.ledger.audit.ChainLink;
import org.etat.ledger.audit.Digest;
import org.etat.ledger.audit.Sha256Hash;

/** The stored chain ({@code audit_chain}) and the index of issued digests ({@code audit_digest}), V300. */
public final class JdbcAuditChainStore {

    /** The last link and its 1-based position, which is also the chain's length. */
    public record StoredHead(long position, ChainLink link) {
    }

    public Optional<StoredHead> head(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT chain_position, global_index, event_identifier, leaf_hash, "
                + "chain_hash FROM audit_chain ORDER BY chain_position DESC LIMIT 1");
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(new StoredHead(rs.getLong(1), link(rs, 2))) : Optional.empty();
        }
    }

    /** Appends links at positions {@code firstPosition, firstPosition + 1, ...} in one batch. */
    public void append(Connection c, long firstPosition, List<ChainLink> links) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_chain (chain_position, global_index, "
                + "event_identifier, leaf_hash, chain_hash) VALUES (?, ?, ?, ?, ?)")) {
            long position = firstPosition;
            for (ChainLink link : links) {
                ps.setLong(1, position++);
                ps.setLong(2, link.globalSequence());
                ps.setString(3, link.eventId());
                ps.setBytes(4, link.leafHash().bytes());
                ps.setBytes(5, link.chainHash().bytes());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** All links in chain order. */
    public JdbcCursor<ChainLink> links(Connection c) throws SQLException {
        PreparedStatement ps = c.prepareStatement("SELECT global_index, event_identifier, leaf_hash, chain_hash "
                + "FROM audit_chain ORDER BY chain_position");
        return new JdbcCursor<>(ps, rs -> link(rs, 1));
    }

    /** All links in chain order as a binary COPY: global_index, event_identifier, leaf_hash, chain_hash. */
    static final String LINKS_COPY_SQL = "COPY (SELECT global_index, event_identifier, leaf_hash, chain_hash FROM audit_chain "
            + "ORDER BY chain_position) TO STDOUT (FORMAT binary)";
    static final int LINK_COLUMN_COUNT = 4;

    public void insertDigest(Connection c, Digest d) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_digest (global_index, event_count, head_hash, "
                + "issued_at, key_fingerprint, signature) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, d.sequence());
            ps.setLong(2, d.eventCount());
            ps.setBytes(3, d.headHash().bytes());
            ps.setTimestamp(4, Timestamp.from(d.issuedAt()));
            ps.setString(5, d.keyFingerprint());
            ps.setBytes(6, d.signature());
            ps.executeUpdate();
        }
    }

    /** The digest issued last (latest issuedAt, then highest sequence), if any. */
    public Optional<Digest> latestDigest(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT global_index, event_count, head_hash, issued_at, key_fingerprint, "
                + "signature FROM audit_digest ORDER BY issued_at DESC, global_index DESC LIMIT 1");
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            return Optional.of(new Digest(rs.getLong(1), rs.getLong(2), Sha256Hash.of(rs.getBytes(3)), rs.getTimestamp(4).toInstant(),
                    rs.getString(5), rs.getBytes(6)));
        }
    }

    private static ChainLink link(ResultSet rs, int first) throws SQLException {
        return new ChainLink(rs.getLong(first), rs.getString(first + 1), Sha256Hash.of(rs.getBytes(first + 2)),
                Sha256Hash.of(rs.getBytes(first + 3)));
    }
}
