package org.etat.ledger.recording;

import org.etat.ledger.common.Receipt;

/**
 * The same request was recorded before: a concurrent retry won the race and committed first, or an
 * earlier one did. This unit of work rolls back (it must not record twice); the caller answers with
 * the first receipt.
 */
public class RequestAlreadyRecorded extends RuntimeException {

    private final transient Receipt receipt;

    public RequestAlreadyRecorded(String requestId, Receipt receipt) {
        super("request " + requestId + " was recorded before", null, false, false);
        this.receipt = receipt;
    }

    public Receipt receipt() {
        return receipt;
    }
}
