package org.etat.app.ledger;

import java.lang.reflect.Constructor;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.AggregateFactory;
import org.etat.ledger.budgetline.BudgetLine;

/**
 * Creates BudgetLine roots: from a snapshot when the stream starts with one, else empty, to be
 * rebuilt from its events. Axon's GenericAggregateFactory would inspect the aggregate's handlers
 * without Spring's parameter resolvers and fail on OpenLine's YearDirectory parameter.
 */
final class BudgetLineFactory implements AggregateFactory<BudgetLine> {

    private final Constructor<BudgetLine> constructor;

    BudgetLineFactory() {
        try {
            constructor = BudgetLine.class.getDeclaredConstructor();
            constructor.setAccessible(true);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("BudgetLine needs a no-argument constructor for event sourcing", e);
        }
    }

    @Override
    public BudgetLine createAggregateRoot(String aggregateIdentifier, DomainEventMessage<?> firstEvent) {
        if (firstEvent != null && firstEvent.getPayload() instanceof BudgetLine snapshot) {
            return snapshot;
        }
        try {
            return constructor.newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create BudgetLine " + aggregateIdentifier, e);
        }
    }

    @Override
    public Class<BudgetLine> getAggregateType() {
        return BudgetLine.class;
    }
}
