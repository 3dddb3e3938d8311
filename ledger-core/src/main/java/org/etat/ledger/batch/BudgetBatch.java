package org.etat.ledger.batch;

import java.util.List;

/**
 * Sets up many lines in one transaction, all or nothing: opens them, enacts their appropriations and
 * grants § 37 consents (what a budget law and its execution bring at once, e.g. an imported year).
 * Entries are decided in order; a refusal lists every offending entry by index.
 */
public record BudgetBatch(List<BudgetEntry> entries) {
}
