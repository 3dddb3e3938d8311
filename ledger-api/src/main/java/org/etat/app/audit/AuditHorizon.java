package org.etat.app.audit;

import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;

/**
 * The highest global index up to which the log is settled, seen from an Axon tracking token: below
 * the token's first gap every row has either been delivered or will never come (Axon drops a gap
 * after its gap timeout). Rows above a gap wait, so the chain stays in global order even when a
 * lower index commits after a higher one.
 */
public final class AuditHorizon {
    private AuditHorizon() {
    }

    public static long of(TrackingToken token) {
        TrackingToken lower = WrappedToken.unwrapLowerBound(token);
        if (lower instanceof GapAwareTrackingToken gapAware) {
            return gapAware.getGaps().isEmpty() ? gapAware.getIndex() : gapAware.getGaps().first() - 1;
        }
        throw new IllegalArgumentException("the audit chain needs the JDBC engine's GapAwareTrackingToken, got "
                + (lower == null ? "no token" : lower.getClass().getName()));
    }
}
