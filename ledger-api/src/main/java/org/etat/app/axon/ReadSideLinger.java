package org.etat.app.axon;

import java.util.function.IntSupplier;
import org.axonframework.messaging.unitofwork.UnitOfWork;

/**
 * After a small batch commits, the read side's processor thread waits a moment, so the next batch
 * gathers more events. Each batch costs a fetch, a transaction, a token update and a handful of
 * statements whatever its size; at a few hundred single writes a second, batches of one or two events
 * made the read side cost more CPU than the writes it followed (bench/README.md, HTTP). A busy read
 * side (large batches, catching up) never waits. The price: read models trail the log by up to
 * {@code lingerMillis} more.
 */
public record ReadSideLinger(long lingerMillis, int smallBatchEvents) {

    public static final long MAX_LINGER_MILLIS = 1_000;

    public ReadSideLinger {
        if (lingerMillis < 0 || lingerMillis > MAX_LINGER_MILLIS) {
            throw new IllegalArgumentException("etat.read-side.linger-ms must be 0.." + MAX_LINGER_MILLIS + ", not " + lingerMillis);
        }
        if (smallBatchEvents < 0) {
            throw new IllegalArgumentException("etat.read-side.small-batch-events must not be negative");
        }
    }

    /** Registers the wait on {@code batch}: after it commits, if it held fewer than the small-batch events. */
    public void afterCommit(UnitOfWork<?> batch, IntSupplier events) {
        if (lingerMillis == 0) {
            return;
        }
        batch.afterCommit(u -> {
            if (events.getAsInt() < smallBatchEvents) {
                pause();
            }
        });
    }

    private void pause() {
        try {
            Thread.sleep(lingerMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // shutting down: the processor sees the flag
        }
    }
}
