package org.etat.app.projection;

/** The rebuild lock's key, for tests in other packages that hold it to simulate a running rebuild. */
public final class RebuildServiceAccess {

    private RebuildServiceAccess() {
    }

    public static long lockKey() {
        return RebuildService.LOCK_KEY;
    }
}
