package org.etat.ledger.batch;

import java.util.List;

/**
 * Records many expenditures and revenues, across many lines, in one transaction: all or nothing.
 * A refusal lists every offending entry by index.
 */
public record RecordBatch(List<BatchEntry> entries) {
}
