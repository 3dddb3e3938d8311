package org.etat.ledger.yearclose;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Closes one line as part of closing its year. Dispatched by {@link YearCloseHandler}. */
public record CloseLine(@TargetAggregateIdentifier String lineId, String justification) {
}
