package org.etat.ledger.recording;

import org.etat.ledger.common.Receipt;

/**
 * A concurrent retry of the same request won the race and committed first. This unit of work rolls
 * back (it must not record twice); the caller answers with the winner's receipt.
 */
public class RequestAlreadyRecorded extends RuntimeException {

    private final transient Receipt receipt;

    public RequestAlreadyRecorded(String requestId, Receipt receipt) {
        super("request " + requestId + " was recorded by a concurrent retry", null, false, false);
        this.receipt = receipt;
    }

    public Receipt receipt() {
        return receipt;
    }
}
