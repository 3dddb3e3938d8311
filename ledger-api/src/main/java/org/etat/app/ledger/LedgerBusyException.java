package org.etat.app.ledger;

/**
 * Other writers kept winning the race for the same lines; nothing was recorded. Safe to retry with
 * the same request id (HTTP: 503 with Retry-After).
 */
public class LedgerBusyException extends RuntimeException {
    public LedgerBusyException(String message, Throwable cause) {
        super(message, cause);
    }
}
