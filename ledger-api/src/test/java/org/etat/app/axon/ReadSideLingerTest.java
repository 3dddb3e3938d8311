package org.etat.app.axon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.junit.jupiter.api.Test;

class ReadSideLingerTest {

    @Test
    void givenALinger_whenABatchCommits_thenItsSizeIsCheckedAfterTheCommitNotBefore() {
        AtomicInteger asked = new AtomicInteger();
        UnitOfWork<?> batch = DefaultUnitOfWork.startAndGet(null);
        new ReadSideLinger(1, 64).afterCommit(batch, () -> {
            asked.incrementAndGet();
            return 1_000; // a large batch: no wait
        });

        assertThat(asked).hasValue(0);
        batch.commit();
        assertThat(asked).hasValue(1);
    }

    @Test
    void givenNoLinger_whenABatchCommits_thenNothingIsRegistered() {
        AtomicInteger asked = new AtomicInteger();
        UnitOfWork<?> batch = DefaultUnitOfWork.startAndGet(null);
        new ReadSideLinger(0, 64).afterCommit(batch, asked::incrementAndGet);

        batch.commit();
        assertThat(asked).hasValue(0);
    }

    @Test
    void givenABatchThatRollsBack_whenItEnds_thenTheProcessorDoesNotWait() {
        AtomicInteger asked = new AtomicInteger();
        UnitOfWork<?> batch = DefaultUnitOfWork.startAndGet(null);
        new ReadSideLinger(1, 64).afterCommit(batch, asked::incrementAndGet);

        batch.rollback();
        assertThat(asked).hasValue(0);
    }

    @Test
    void givenALingerOutsideItsLimits_whenConfigured_thenItIsRefused() {
        assertThatThrownBy(() -> new ReadSideLinger(-1, 64)).hasMessageContaining("etat.read-side.linger-ms");
        assertThatThrownBy(() -> new ReadSideLinger(ReadSideLinger.MAX_LINGER_MILLIS + 1, 64)).hasMessageContaining("0..1000");
        assertThatThrownBy(() -> new ReadSideLinger(20, -1)).hasMessageContaining("small-batch-events");
    }
}
