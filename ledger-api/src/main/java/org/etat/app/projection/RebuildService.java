package org.etat.app.projection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.serialization.Serializer;
import org.etat.projection.BulkProjector;
import org.etat.projection.Digest;
import org.etat.projection.ProjectedEvent;
import org.etat.projection.ProjectionException;
import org.etat.projection.Projector;
import org.etat.projection.ReadModelSchema;
import org.etat.projection.Rebuild;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds every read model from the event log while the ledger keeps accepting writes, then makes
 * the rebuilt tables current.
 *
 * <ol>
 * <li>An empty shadow generation ({@code projection_rebuild}) is created.</li>
 * <li>Bulk: the log is read straight from {@code domain_event_entry} in global order as a binary
 *     COPY ({@link StoredEvents#copy}: a thread reads, this one decodes, another folds with
 *     {@link BulkProjector}, which keeps lines, moves and carry-overs in memory and streams the
 *     append-only rows by binary COPY) into the shadow, and read again from where it stopped until
 *     fewer than one batch of new events arrived (at most {@value #MAX_CATCH_UP_PASSES} passes);
 *     then the streamed load is committed, and per table, on two connections side by side, what
 *     was kept in memory loaded (the folded models, the expenditures with their reversal flags) or
 *     reversal flags set, keys and indexes built and statistics taken ({@link Rebuild#complete}).</li>
 * <li>This node's live processor {@value ProjectionConfiguration#PROCESSING_GROUP} is stopped. Every
 *     committed event the shadow lacks is projected into it: the positions after the last one read
 *     and the holes seen while reading (a transaction that had taken a position but not committed
 *     yet), each checked against the shadow's lines ({@link #applied}).</li>
 * <li>The live tables are brought to the same events (those the shadow has and they lack), so the
 *     digests compare like with like; then the schemas are swapped in one transaction
 *     ({@link Rebuild#switchOver}) and the processor is started again.</li>
 * </ol>
 * The processor keeps its token: the rebuilt tables hold every event committed before it stopped,
 * so everything it delivers from its token on is either new to them or skipped as seen before
 * (at or below its line's last applied position). Events of one line reach the shadow in log order, because a line's
 * events commit in sequence order (its aggregate is locked, the store's key refuses a second
 * writer), so a later event of a line is never visible before an earlier one.
 *
 * <p>One rebuild at a time per database: a session advisory lock ({@value #LOCK_KEY}) is held for
 * the whole job, so a second request, from this node, another node or {@code etat replay}, is
 * refused. On a deployment with several nodes, only this node's processor is stopped during the
 * final step; run rebuilds with the others' {@code etat.projection.enabled=false} or stopped.
 */
public class RebuildService {

    private static final Logger LOG = LoggerFactory.getLogger(RebuildService.class);

    /**
     * The condition that a generation's line (alias {@code line}) holds the log's event {@code e}: a
     * line's events are applied in log order, so it holds those up to its last applied position (see
     * {@link org.etat.projection.Projector}). The aggregate of every event is its line; line ids
     * compare in "C", the log's in the database's collation.
     */
    public static String applied(String line) {
        return line + ".line_id = e.aggregate_identifier COLLATE \"C\" AND e.global_index <= " + line + ".last_global_sequence";
    }

    /** The events of the log that {@code schema} holds: a join of {@code domain_event_entry e} with its lines. */
    static String appliedIn(ReadModelSchema schema) {
        return " JOIN " + schema.table("line_balance") + " held ON " + applied("held");
    }

    /** Whether {@code schema} lacks the event {@code e}. */
    static String notIn(ReadModelSchema schema) {
        return " NOT EXISTS (SELECT 1 FROM " + schema.table("line_balance") + " lacking WHERE " + applied("lacking") + ")";
    }

    /** Key of the PostgreSQL advisory lock that keeps rebuilds of one database one at a time. */
    static final long LOCK_KEY = 4_711_2026_03L;
    static final int MAX_CATCH_UP_PASSES = 5;
    /** Holes remembered while reading; more (each is a rolled-back position) and the final step checks the whole log instead. */
    static final int MAX_TRACKED_HOLES = 100_000;
    static final int MAX_JOBS_KEPT = 20;
    static final long PROCESSOR_STOP_TIMEOUT_SECONDS = 60;
    /** Batches read ahead of the projecting thread. */
    private static final int READ_AHEAD_BATCHES = 4;

    /** Progress of the phases of a rebuild, for the command line. */
    public interface Progress {
        void phase(String name, long total);

        void advance(long events);

        void endPhase();

        /** A phase of the job begins (every phase, also those without a count): e.g. to read a CPU clock. */
        default void jobPhase(String name) {
        }

        Progress NONE = new Progress() {
            @Override
            public void phase(String name, long total) {
            }

            @Override
            public void advance(long events) {
            }

            @Override
            public void endPhase() {
            }
        };
    }

    /** Another rebuild holds the lock. */
    public static final class AlreadyRunning extends RuntimeException {
        AlreadyRunning() {
            super("a rebuild of the read models is already running on this database", null, false, false);
        }
    }

    private final DataSource dataSource;
    private final StoredEvents events;
    private final EventProcessingConfiguration processing;
    private final int batchSize;
    private final Map<String, RebuildJob> jobs = Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, RebuildJob> eldest) {
            return size() > MAX_JOBS_KEPT && eldest.getValue().state() != RebuildJob.State.RUNNING;
        }
    });
    private final ExecutorService background = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "etat-rebuild");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param processing the application's processors, or null where none runs here
     * @param batchSize  events per projected batch
     */
    public RebuildService(DataSource dataSource, Serializer eventSerializer, EventProcessingConfiguration processing, int batchSize) {
        if (batchSize < 1 || batchSize > Projector.MAX_BATCH_SIZE) {
            throw new IllegalArgumentException("rebuild batch size must be 1.." + Projector.MAX_BATCH_SIZE + ", got " + batchSize);
        }
        this.dataSource = dataSource;
        this.events = new StoredEvents(eventSerializer);
        this.processing = processing;
        this.batchSize = batchSize;
    }

    /** Stops the background thread; a running rebuild is abandoned (its shadow schema is dropped by the next one). */
    public void close() {
        background.shutdownNow();
    }

    public Optional<RebuildJob> job(String id) {
        return Optional.ofNullable(jobs.get(id));
    }

    /** Starts a rebuild in the background; refuses with {@link AlreadyRunning} at once if one runs. */
    public RebuildJob start() {
        Connection lock = lock();
        RebuildJob job = new RebuildJob();
        jobs.put(job.id(), job);
        background.execute(() -> runLocked(lock, job, Progress.NONE));
        return job;
    }

    /** Rebuilds in the calling thread (the command line); the job says how it ended. */
    public RebuildJob run(Progress progress) {
        Connection lock = lock();
        RebuildJob job = new RebuildJob();
        jobs.put(job.id(), job);
        runLocked(lock, job, progress);
        return job;
    }

    /**
     * Rebuilds into a scratch schema from exactly the events the live models have applied (read in
     * one snapshot with the live digests), compares, and drops the scratch schema. Nothing live is
     * touched: what {@code etat replay} does while another process serves (and owns the processor).
     */
    public RebuildJob verify(Progress progress) {
        Connection lock = lock();
        RebuildJob job = new RebuildJob();
        jobs.put(job.id(), job);
        Rebuild scratch = new Rebuild(dataSource, new ReadModelSchema("projection_replay"));
        try (lock) {
            enter(job, progress, "prepare");
            scratch.prepare();
            try (Connection c = dataSource.getConnection(); BulkProjector bulk = new BulkProjector(dataSource, scratch.target())) {
                c.setAutoCommit(false);
                c.setReadOnly(true);
                try (var st = c.createStatement()) {
                    st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
                }
                enter(job, progress, "digest live");
                Map<String, String> live = Digest.of(c, ReadModelSchema.LIVE);
                long total = count(c, "SELECT count(*) FROM domain_event_entry e" + appliedIn(ReadModelSchema.LIVE));
                job.eventsInLog(total);
                enter(job, progress, "rebuild");
                progress.phase("rebuild", total);
                pipe(c, "SELECT " + StoredEvents.COLUMNS + " FROM domain_event_entry e" + appliedIn(ReadModelSchema.LIVE)
                        + " ORDER BY e.global_index", List.of(), bulk::project, job, progress, null);
                bulk.finish();
                progress.endPhase();
                c.commit();
                enter(job, progress, "digest rebuilt");
                job.digests(Digest.of(dataSource, scratch.target()), live);
            }
            job.succeeded();
        } catch (SQLException | RuntimeException e) {
            LOG.warn("verifying replay failed", e);
            job.failed(reason(e));
        } finally {
            try {
                scratch.drop();
            } catch (RuntimeException e) {
                LOG.warn("could not drop the scratch schema {}", scratch.target().name(), e);
            }
        }
        return job;
    }

    private void runLocked(Connection lock, RebuildJob job, Progress progress) {
        try (lock) {
            rebuild(job, progress);
            job.succeeded();
        } catch (SQLException | RuntimeException e) {
            LOG.warn("rebuild {} failed", job.id(), e);
            job.failed(reason(e));
        }
    }

    private void rebuild(RebuildJob job, Progress progress) throws SQLException {
        Rebuild rebuild = new Rebuild(dataSource);
        enter(job, progress, "prepare");
        rebuild.prepare();
        Projector shadow = rebuild.bulkProjector();
        List<String> deferredIndexes = rebuild.deferIndexes(true);
        Holes holes = new Holes();
        Map<String, List<Rebuild.Step>> flags;
        // Bulk: every line, move and carry-over folded in memory, append-only rows streamed by COPY,
        // nothing read back; the final catch-up below goes through the regular projector.
        try (Connection c = dataSource.getConnection(); BulkProjector bulk = new BulkProjector(dataSource, ReadModelSchema.SHADOW)) {
            c.setAutoCommit(false);
            long total = count(c, "SELECT count(*) FROM domain_event_entry");
            job.eventsInLog(total);
            enter(job, progress, "rebuild");
            progress.phase("rebuild", total);
            for (int pass = 0; pass < MAX_CATCH_UP_PASSES; pass++) {
                // A binary COPY: no parameters, so the position (a long) is spliced in.
                String sql = "SELECT " + StoredEvents.COLUMNS + " FROM domain_event_entry e WHERE e.global_index > " + holes.last
                        + " ORDER BY e.global_index";
                long read = pipe(sink -> events.copy(c, sql, batchSize, sink), bulk::project, job, progress, holes);
                c.commit();
                if (read < batchSize) {
                    break;
                }
                enter(job, progress, "catch up");
            }
            enter(job, progress, "write folded models");
            flags = bulk.finishLoad();
            progress.endPhase();
        }
        enter(job, progress, "build indexes");
        rebuild.complete(deferredIndexes, flags);
        Optional<EventProcessor> processor = processor();
        enter(job, progress, "final catch-up (live processor stopped)");
        processor.ifPresent(RebuildService::stop);
        try {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                String notInShadow = notIn(ReadModelSchema.SHADOW);
                if (holes.overflowed) {
                    pipe(c, "SELECT " + StoredEvents.COLUMNS + " FROM domain_event_entry e WHERE" + notInShadow + " ORDER BY e.global_index",
                            List.of(), shadow, job, progress, null);
                } else {
                    pipe(c, "SELECT " + StoredEvents.COLUMNS + " FROM domain_event_entry e WHERE (e.global_index > ? OR e.global_index = ANY(?))"
                            + " AND" + notInShadow + " ORDER BY e.global_index",
                            List.of(holes.last, c.createArrayOf("bigint", holes.seen.toArray())), shadow, job, progress, null);
                }
                c.commit();
                enter(job, progress, "bring live to the same events");
                // What the live processor had not projected yet: projected here into the retiring
                // generation only so both digests describe the same events.
                pipe(c, "SELECT " + StoredEvents.COLUMNS + " FROM domain_event_entry e" + appliedIn(ReadModelSchema.SHADOW) + " WHERE"
                        + notIn(ReadModelSchema.LIVE) + " ORDER BY e.global_index",
                        List.of(), new Projector(dataSource, ReadModelSchema.LIVE), null, Progress.NONE, null);
                c.commit();
            }
            enter(job, progress, "digests");
            Map<String, String> rebuilt = Digest.of(dataSource, ReadModelSchema.SHADOW);
            Map<String, String> live = Digest.of(dataSource, ReadModelSchema.LIVE);
            job.digests(rebuilt, live);
            enter(job, progress, "switch over");
            rebuild.switchOver();
            job.switchedOver();
        } finally {
            processor.ifPresent(EventProcessor::start);
        }
    }

    /**
     * Streams the query's events on {@code c} to {@code projector}: this thread reads and
     * deserializes, another projects, with a few batches in between.
     */
    private long pipe(Connection c, String sql, List<Object> params, Projector projector, RebuildJob job, Progress progress, Holes holes)
            throws SQLException {
        return pipe(c, sql, params, (BatchProjection) projector::project, job, progress, holes);
    }

    /** Where {@link #pipe} hands each batch. */
    @FunctionalInterface
    private interface BatchProjection {
        void project(List<ProjectedEvent> batch);
    }

    private long pipe(Connection c, String sql, List<Object> params, BatchProjection projector, RebuildJob job, Progress progress, Holes holes)
            throws SQLException {
        return pipe(sink -> events.stream(c, sql, params, batchSize, sink), projector, job, progress, holes);
    }

    /** Reads events into a sink, in global order; returns how many. */
    @FunctionalInterface
    private interface Reading {
        long read(StoredEvents.BatchSink sink) throws SQLException;
    }

    private long pipe(Reading reading, BatchProjection projector, RebuildJob job, Progress progress, Holes holes) throws SQLException {
        BlockingQueue<List<ProjectedEvent>> queue = new ArrayBlockingQueue<>(READ_AHEAD_BATCHES);
        List<ProjectedEvent> end = List.of();
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try {
                for (List<ProjectedEvent> batch = queue.take(); batch != end; batch = queue.take()) {
                    projector.project(batch);
                    if (job != null) {
                        job.processed(batch.size());
                    }
                    progress.advance(batch.size());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ProjectionException("interrupted", e);
            }
        }, task -> {
            Thread t = new Thread(task, "etat-rebuild-writer");
            t.setDaemon(true);
            t.start();
        });
        long read;
        try {
            read = reading.read(batch -> {
                if (holes != null) {
                    holes.observe(batch);
                }
                put(queue, batch, writer);
            });
            put(queue, end, writer);
            writer.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new ProjectionException("projecting failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProjectionException("interrupted", e);
        } finally {
            writer.cancel(true);
        }
        return read;
    }

    /** Hands a batch over, giving up if the projecting side has failed (it stopped taking). */
    private static void put(BlockingQueue<List<ProjectedEvent>> queue, List<ProjectedEvent> batch, CompletableFuture<Void> writer) {
        try {
            while (!queue.offer(batch, 100, TimeUnit.MILLISECONDS)) {
                if (writer.isDone()) {
                    writer.join(); // throws the projecting side's failure
                    throw new ProjectionException("projecting side stopped", null);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProjectionException("interrupted", e);
        }
    }

    private static void enter(RebuildJob job, Progress progress, String phase) {
        job.phase(phase);
        progress.jobPhase(phase);
    }

    /** Positions skipped while reading in order: taken by a transaction not committed yet, or rolled back. */
    private static final class Holes {
        long last;
        final List<Long> seen = new ArrayList<>();
        boolean overflowed;

        void observe(List<ProjectedEvent> batch) {
            for (ProjectedEvent e : batch) {
                for (long p = last + 1; p < e.globalSequence() && !overflowed; p++) {
                    seen.add(p);
                    overflowed = seen.size() > MAX_TRACKED_HOLES;
                }
                last = Math.max(last, e.globalSequence());
            }
        }
    }

    private Optional<EventProcessor> processor() {
        return processing == null ? Optional.empty() : processing.eventProcessor(ProjectionConfiguration.PROCESSING_GROUP);
    }

    private static void stop(EventProcessor processor) {
        try {
            processor.shutdownAsync().get(PROCESSOR_STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProjectionException("interrupted while stopping the live processor", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new ProjectionException("the live processor did not stop within " + PROCESSOR_STOP_TIMEOUT_SECONDS + " s", e);
        }
    }

    /** A connection holding the rebuild lock; closing it releases the lock. */
    private Connection lock() {
        try {
            Connection c = dataSource.getConnection();
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                ps.setLong(1, LOCK_KEY);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        c.close();
                        throw new AlreadyRunning();
                    }
                }
            }
            // A pooled connection outlives close(): hand out one that unlocks first.
            return (Connection) java.lang.reflect.Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("close")) {
                            try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                                ps.setLong(1, LOCK_KEY);
                                ps.execute();
                            } finally {
                                c.close();
                            }
                            return null;
                        }
                        return method.invoke(c, args);
                    });
        } catch (SQLException e) {
            throw new ProjectionException("cannot take the rebuild lock", e);
        }
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String reason(Throwable e) {
        Throwable t = e;
        StringBuilder why = new StringBuilder(String.valueOf(t.getMessage()));
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
            why.append(": ").append(t.getMessage());
        }
        return why.toString().replace('\n', ' ');
    }
}
