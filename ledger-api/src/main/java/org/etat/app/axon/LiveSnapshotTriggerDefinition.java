package org.etat.app.axon;

import java.io.Serializable;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.SnapshotTrigger;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.modelling.command.AggregateLifecycle;

/**
 * Axon's snapshot trigger, told that an aggregate created in this JVM is initialized.
 *
 * <p>Axon marks a trigger initialized only at the end of loading an aggregate from the store. An
 * aggregate created here (a line opened by this node) and then kept in the aggregate cache never
 * gets there, so each of its snapshots was scheduled after the unit of work, outside its commit, and
 * {@link CommittedStateSnapshotter} had to hand it to Axon's replaying snapshotter, which re-read and
 * deserialized every event since the last snapshot. Here the first event applied live (not replayed
 * while loading) marks the trigger initialized, so snapshots of such lines are taken from memory too.
 */
public final class LiveSnapshotTriggerDefinition implements SnapshotTriggerDefinition {

    private final SnapshotTriggerDefinition delegate;

    public LiveSnapshotTriggerDefinition(SnapshotTriggerDefinition delegate) {
        this.delegate = delegate;
    }

    @Override
    public SnapshotTrigger prepareTrigger(Class<?> aggregateType) {
        return new LiveTrigger(delegate.prepareTrigger(aggregateType));
    }

    @Override
    public SnapshotTrigger reconfigure(Class<?> aggregateType, SnapshotTrigger trigger) {
        if (trigger instanceof LiveTrigger live) {
            return new LiveTrigger(delegate.reconfigure(aggregateType, live.delegate), live.initialized);
        }
        return new LiveTrigger(delegate.reconfigure(aggregateType, trigger));
    }

    static final class LiveTrigger implements SnapshotTrigger, Serializable {
        private static final long serialVersionUID = 1L;

        private final SnapshotTrigger delegate;
        private boolean initialized;

        LiveTrigger(SnapshotTrigger delegate) {
            this(delegate, false);
        }

        LiveTrigger(SnapshotTrigger delegate, boolean initialized) {
            this.delegate = delegate;
            this.initialized = initialized;
        }

        @Override
        public void eventHandled(EventMessage<?> msg) {
            if (!initialized && live()) {
                initialized = true;
                delegate.initializationFinished();
            }
            delegate.eventHandled(msg);
        }

        @Override
        public void initializationFinished() {
            initialized = true;
            delegate.initializationFinished();
        }

        /** True while a command applies an event; false while the aggregate is rebuilt from its events. */
        private static boolean live() {
            try {
                return AggregateLifecycle.isLive();
            } catch (IllegalStateException noAggregateInScope) {
                return false;
            }
        }
    }
}
