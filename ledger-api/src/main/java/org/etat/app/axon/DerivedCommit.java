package org.etat.app.axon;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The read side's transactions (read models, audit chain) commit without waiting for the disk.
 * What they write is derived from the log and commits together with the processor's token: a crash
 * that loses the last of them also loses the token, and the events are processed again on restart.
 * Each such commit would otherwise be one more fsync beside the ledger's own, on every event batch.
 */
public final class DerivedCommit {

    private DerivedCommit() {
    }

    /** For the rest of the caller's current transaction on {@code c}. */
    public static void withoutWaitingForDisk(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SET LOCAL synchronous_commit TO OFF");
        }
    }
}
