package org.etat.ledger.recording;

import java.util.Optional;
import org.etat.ledger.common.Receipt;

/**
 * Remembers every request the ledger recorded, by the client's request id. An implementation must
 * write in the same transaction as the request's events, and the request id must be unique, so that
 * two concurrent retries cannot both record.
 */
public interface RequestLog {

    /** The request recorded under this id, if one committed. */
    Optional<LoggedRequest> find(String requestId);

    /**
     * Records a request in the current transaction. Returns empty when this call recorded it, or the
     * request another transaction committed first under the same id (this one must then roll back).
     */
    Optional<LoggedRequest> record(LoggedRequest request);

    /** One recorded request: who sent what (as a fingerprint), and what the ledger answered. */
    record LoggedRequest(String requestId, String fingerprint, String principal, String commandType, Receipt receipt) {
    }
}
