package org.etat.app.axon;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackedDomainEventData;
import org.axonframework.eventhandling.TrackedEventData;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.statements.CleanGapsStatementBuilder;

/**
 * Axon's JDBC engine, except that a gap in the global index is never given up because of the
 * clock. A gap is a position taken by a transaction that has not committed yet (or never will).
 * Axon drops a gap once the events after it are older than its gap timeout: a transaction that
 * stays open longer (a slow commit, a lock wait after the insert) then commits an event that no
 * processor ever delivers. Here:
 * <ul>
 * <li>reading, every hole between two delivered positions is kept as a gap, however old the events
 *     (Axon keeps none when the later event is older than the timeout);</li>
 * <li>cleaning (when a token holds more than the cleaning threshold of gaps), a gap before row r is
 *     dropped only when no transaction of this database that has written anything and started
 *     before r was inserted (PostgreSQL's {@code inserted_at}, plus {@value #MARGIN_SECONDS} s) is
 *     still open ({@code pg_stat_activity}): the transaction holding the gap's position started
 *     before r's insert took its later position, so while it runs it is among those. The SQL answers
 *     Axon's timestamp test with a time long past (may drop) or far ahead (keep).</li>
 * </ul>
 * Gaps more than {@code maxGapOffset} positions behind the newest event are still dropped (Axon).
 * The database role must see the other writers in {@code pg_stat_activity}: the same role, or one
 * with {@code pg_read_all_stats}.
 */
public final class GapSafeJdbcEventStorageEngine extends JdbcEventStorageEngine {

    /** Tolerance between the start of the transaction holding a gap and the insert of the row after it. */
    static final int MARGIN_SECONDS = 1;
    private static final String MAY_DROP = "1970-01-01T00:00:00Z";
    private static final String KEEP = "9999-12-31T23:59:59Z";

    private final int maxGapOffset;
    private final long lowestGlobalSequence;

    private GapSafeJdbcEventStorageEngine(Builder builder, int maxGapOffset, long lowestGlobalSequence) {
        super(builder);
        this.maxGapOffset = maxGapOffset;
        this.lowestGlobalSequence = lowestGlobalSequence;
    }

    /** Axon's own text for the timestamp (EventTimestamps), formatted without a DateTimeFormatter. */
    @Override
    protected void writeTimestamp(java.sql.PreparedStatement preparedStatement, int position, java.time.Instant timestamp)
            throws SQLException {
        preparedStatement.setString(position, EventTimestamps.format(timestamp));
    }

    /** The engine of {@code builder}, with {@code maxGapOffset} and the first position set on it here. */
    public static GapSafeJdbcEventStorageEngine of(Builder builder, int maxGapOffset) {
        long lowest = 1L;
        builder.maxGapOffset(maxGapOffset).lowestGlobalSequence(lowest).cleanGaps(GapSafeJdbcEventStorageEngine::cleanGapsStatement);
        return new GapSafeJdbcEventStorageEngine(builder, maxGapOffset, lowest);
    }

    @Override
    protected TrackedEventData<?> getTrackedEventData(ResultSet resultSet, GapAwareTrackingToken previousToken) throws SQLException {
        TrackedEventData<?> axons = super.getTrackedEventData(resultSet, previousToken);
        long index = resultSet.getLong(schema().globalIndexColumn());
        GapAwareTrackingToken token = previousToken == null
                ? GapAwareTrackingToken.newInstance(index, LongStream.range(Math.min(lowestGlobalSequence, index), index).boxed()
                        .collect(Collectors.toCollection(TreeSet::new)))
                : previousToken.advanceTo(index, maxGapOffset);
        return new TrackedDomainEventData<>(token, (DomainEventData<?>) axons);
    }

    /** Rows from the first gap to the one after the last, each with a timestamp that tells Axon whether the gap before it may go. */
    static PreparedStatement cleanGapsStatement(Connection connection, EventSchema schema, SortedSet<Long> gaps) throws SQLException {
        String sql = "WITH writing AS (SELECT min(a.xact_start) AS oldest FROM pg_stat_activity a WHERE a.datname = current_database()"
                + " AND a.pid <> pg_backend_pid() AND a.backend_xid IS NOT NULL)"
                + " SELECT e." + schema.globalIndexColumn() + ", CASE WHEN e.inserted_at IS NULL OR w.oldest IS NULL"
                + " OR w.oldest > e.inserted_at + make_interval(secs => " + MARGIN_SECONDS + ")"
                + " THEN '" + MAY_DROP + "' ELSE '" + KEEP + "' END AS " + schema.timestampColumn()
                + " FROM " + schema.domainEventTable() + " e CROSS JOIN writing w"
                + " WHERE e." + schema.globalIndexColumn() + " >= ? AND e." + schema.globalIndexColumn() + " <= ?"
                + " ORDER BY e." + schema.globalIndexColumn();
        PreparedStatement ps = connection.prepareStatement(sql);
        ps.setLong(1, gaps.first());
        ps.setLong(2, gaps.last() + 1L);
        return ps;
    }
}
