package org.etat.app.axon;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.axonframework.common.AxonThreadFactory;

/**
 * The one background thread that takes aggregate snapshots, with a bounded queue (requests beyond
 * it are dropped: a snapshot is only an optimisation). Not an {@link Executor} bean, so that nothing
 * else picks it up by type and queues unrelated work behind snapshots.
 */
public final class SnapshotThread implements AutoCloseable {

    /** Pending snapshot requests at most. */
    static final int QUEUE_CAPACITY = 1_000;

    private final ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(QUEUE_CAPACITY), new AxonThreadFactory("etat-snapshotter"), new ThreadPoolExecutor.DiscardPolicy());

    public Executor executor() {
        return executor;
    }

    /** Longest wait on close for queued snapshots; a snapshot is an optimisation, shutdown must not hang on it. */
    static final long CLOSE_WAIT_SECONDS = 60;

    /**
     * Takes no more requests and waits (at most {@value #CLOSE_WAIT_SECONDS} s) for the queued ones:
     * the context closes the connection pool after this bean, and a snapshot started after that only
     * logs a failure.
     */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
