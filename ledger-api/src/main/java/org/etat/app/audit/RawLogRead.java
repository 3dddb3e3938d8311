package org.etat.app.audit;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The floor any verification that reads every byte must stand on, for the verification benchmark:
 * the log's rows read the way the verifier reads them (the same columns in global order, as a
 * binary COPY on a reading thread, {@link BinaryCopyStream}) and one SHA-256 over each row's bytes
 * as received. No stored chain, no canonical encoding, no comparison.
 */
public final class RawLogRead {
    private RawLogRead() {
    }

    /** Reads and hashes every row inside the caller's transaction; returns the number of rows. */
    public static long sha256PerRow(Connection c, JdbcRawEventReader reader) throws SQLException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java 17 runtime has SHA-256", e);
        }
        byte[] hash = new byte[32];
        try (BinaryCopyStream stream = new BinaryCopyStream("raw-read", c, reader.copySql(Long.MIN_VALUE, Long.MAX_VALUE),
                JdbcRawEventReader.COLUMN_COUNT)) {
            CopyTuples rows = new CopyTuples(stream);
            while (rows.next()) {
                int from = rows.prefix(0);
                sha.update(rows.data(), from, rows.prefix(JdbcRawEventReader.COLUMN_COUNT) - from);
                sha.digest(hash, 0, hash.length);
            }
            return rows.count();
        } catch (DigestException e) {
            throw new IllegalStateException("SHA-256 into a 32-byte array cannot fail", e);
        }
    }
}
