package org.etat.app.importer;

import org.etat.ledger.batch.BudgetBatch;
import org.etat.ledger.batch.RecordBatch;

/**
 * One ledger command of an import plan with its request id. The id is derived from the source file's
 * SHA-256 and rows, so importing the same file again sends the same ids and changes nothing.
 */
public record PlannedCommand(String requestId, Phase phase, Object command) {

    /** Commands run phase by phase: every line is open and funded before the first actual is booked. */
    public enum Phase {
        /** Lines opened with their appropriations enacted (Soll rows, then titles known only from Ist). */
        OPEN_LINE,
        GRANT_CONSENT,
        RECORD_ACTUALS
    }

    /** How many entries (source rows) the command carries: a batch's size, 1 otherwise. */
    public int entries() {
        if (command instanceof BudgetBatch b) {
            return b.entries().size();
        }
        if (command instanceof RecordBatch b) {
            return b.entries().size();
        }
        return 1;
    }
}
