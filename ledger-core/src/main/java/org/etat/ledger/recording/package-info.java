/**
 * How the ledger records: the metadata every event carries (who, which request, when recorded,
 * when effective) and idempotency by request id. Plain Java and Axon; the database side lives in
 * ledger-api behind the {@link org.etat.ledger.recording.RequestLog} port.
 */
package org.etat.ledger.recording;
