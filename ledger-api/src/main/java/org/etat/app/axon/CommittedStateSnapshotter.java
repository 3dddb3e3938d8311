package org.etat.app.axon;

import java.util.concurrent.Executor;
import java.util.function.Function;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.Snapshotter;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.Repository;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshots an aggregate from the state the committing command already holds in memory instead of
 * replaying its events since the last snapshot (Axon's snapshotter deserializes every one of them
 * once more: about a third of the JVM's CPU per batched entry, bench/README.md).
 *
 * <p>Axon's snapshot trigger calls {@link #scheduleSnapshot} while the command's unit of work
 * prepares its commit, on the command's thread, which holds the aggregate's lock. Here the
 * aggregate that unit of work manages is looked up (no I/O), and after the commit, still under the
 * lock, its root is serialized together with its version: state and sequence number belong to the
 * same committed moment. A refused or failed command never reaches after-commit, so no snapshot of
 * state that was not stored. The bytes are written on the snapshot thread. Outside a preparing
 * unit of work (a trigger fired while a line was loaded), the replaying snapshotter does the work.
 */
public final class CommittedStateSnapshotter implements Snapshotter {

    private static final Logger log = LoggerFactory.getLogger(CommittedStateSnapshotter.class);

    private final Snapshotter replaying;
    private final Function<Class<?>, Repository<?>> repositories;
    private final Serializer serializer;
    private final EventStore eventStore;
    private final TransactionManager transactionManager;
    private final Executor executor;
    private final java.util.concurrent.atomic.AtomicLong fromMemory = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong replayed = new java.util.concurrent.atomic.AtomicLong();

    public CommittedStateSnapshotter(Snapshotter replaying, Function<Class<?>, Repository<?>> repositories, Serializer serializer,
            EventStore eventStore, TransactionManager transactionManager, Executor executor) {
        this.replaying = replaying;
        this.repositories = repositories;
        this.serializer = serializer;
        this.eventStore = eventStore;
        this.transactionManager = transactionManager;
        this.executor = executor;
    }

    @Override
    public void scheduleSnapshot(Class<?> aggregateType, String aggregateIdentifier) {
        if (!CurrentUnitOfWork.isStarted() || CurrentUnitOfWork.get().phase() != UnitOfWork.Phase.PREPARE_COMMIT) {
            replayed.incrementAndGet();
            replaying.scheduleSnapshot(aggregateType, aggregateIdentifier);
            return;
        }
        Repository<?> repository = repositories.apply(aggregateType);
        // The same Aggregate the command worked on: a repository returns the one its unit of work manages.
        Aggregate<?> aggregate = repository == null ? null : repository.load(aggregateIdentifier);
        if (aggregate == null) {
            replayed.incrementAndGet();
            replaying.scheduleSnapshot(aggregateType, aggregateIdentifier);
            return;
        }
        CurrentUnitOfWork.get().afterCommit(u -> capture(aggregateType, aggregateIdentifier, aggregate));
    }

    private void capture(Class<?> aggregateType, String aggregateIdentifier, Aggregate<?> aggregate) {
        Long version = aggregate.version();
        if (version == null) {
            return;
        }
        SerializedObject<byte[]> state = aggregate.invoke(root -> serializer.serialize(root, byte[].class));
        String type = aggregate.type();
        fromMemory.incrementAndGet();
        executor.execute(() -> store(type, aggregateIdentifier, version, state));
    }

    /** Snapshots taken from committed in-memory state so far (the rest replayed). */
    public long takenFromMemory() {
        return fromMemory.get();
    }

    /** Snapshots handed to Axon's replaying snapshotter so far. */
    public long handedToReplay() {
        return replayed.get();
    }

    private void store(String type, String aggregateIdentifier, long version, SerializedObject<byte[]> state) {
        try {
            Object copy = serializer.deserialize(state);
            transactionManager.executeInTransaction(
                    () -> eventStore.storeSnapshot(new GenericDomainEventMessage<>(type, aggregateIdentifier, version, copy)));
        } catch (RuntimeException e) {
            // A snapshot is an optimisation: the line still loads from its events.
            log.warn("snapshot of {} at sequence {} not stored: {}", aggregateIdentifier, version, e.toString());
        }
    }
}
