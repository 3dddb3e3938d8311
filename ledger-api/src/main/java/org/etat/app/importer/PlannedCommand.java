package org.etat.app.importer;

/**
 * One ledger command of an import plan with its request id. The id is derived from the source file's
 * SHA-256 and row, so importing the same file again sends the same ids and changes nothing.
 */
public record PlannedCommand(String requestId, Phase phase, Object command) {

    /** Commands run phase by phase: every line is open and funded before the first actual is booked. */
    public enum Phase {
        OPEN_LINE,
        ENACT_APPROPRIATION,
        GRANT_CONSENT,
        RECORD_ACTUALS
    }
}
