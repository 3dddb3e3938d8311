package org.etat.app.axon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

class SnapshotThreadTest {

    @Test
    void givenQueuedSnapshots_whenClosed_thenEveryQueuedSnapshotHasRunBeforeCloseReturns() {
        SnapshotThread thread = new SnapshotThread();
        AtomicInteger done = new AtomicInteger();
        for (int i = 0; i < 3; i++) {
            thread.executor().execute(() -> {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100)); // a snapshot's work
                done.incrementAndGet();
            });
        }

        thread.close();

        assertThat(done).hasValue(3);
    }
}
