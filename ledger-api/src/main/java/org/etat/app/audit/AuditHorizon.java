package org.etat.app.audit;

import java.time.Duration;
import java.time.Instant;
import java.util.NavigableSet;
import java.util.TreeSet;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;

/**
 * How far the log is settled, seen from an Axon tracking token: rows up to {@code upToInclusive}
 * have been delivered, except the token's open gaps. A gap may still fill (a lower global index can
 * commit after a higher one), so the chain must not pass it while it is young; it may pass it once
 * the row after it is older than {@code settledBefore} (Axon's own rule: a transaction does not
 * stay open that long; a rolled-back insert or a lost race leaves a gap that never fills, and Axon
 * keeps such gaps in the token for up to 10,000 events).
 */
public record AuditHorizon(long upToInclusive, NavigableSet<Long> openGaps, Instant settledBefore) {
    /** Axon's default gap timeout (JdbcEventStorageEngine): after this a gap counts as permanent. */
    public static final Duration DEFAULT_SETTLE_TIME = Duration.ofSeconds(60);

    public AuditHorizon {
        openGaps = new TreeSet<>(openGaps);
    }

    /** Everything up to the index is final: no open gaps. */
    public static AuditHorizon settled(long upToInclusive) {
        return new AuditHorizon(upToInclusive, new TreeSet<>(), Instant.MAX);
    }

    public static AuditHorizon of(TrackingToken token, Instant now, Duration settleTime) {
        TrackingToken lower = WrappedToken.unwrapLowerBound(token);
        if (lower instanceof GapAwareTrackingToken gapAware) {
            return new AuditHorizon(gapAware.getIndex(), new TreeSet<>(gapAware.getGaps()), now.minus(settleTime));
        }
        throw new IllegalArgumentException("the audit chain needs the JDBC engine's GapAwareTrackingToken, got "
                + (lower == null ? "no token" : lower.getClass().getName()));
    }

    /** True when an open gap lies strictly between two global indexes. */
    public boolean openGapBetween(long lowerExclusive, long upperExclusive) {
        Long g = openGaps.higher(lowerExclusive);
        return g != null && g < upperExclusive;
    }
}
