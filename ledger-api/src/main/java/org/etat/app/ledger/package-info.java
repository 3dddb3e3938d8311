/**
 * The ledger inside the application. Callers (HTTP API, importer, command line) use
 * {@link org.etat.app.ledger.LedgerGateway#send}: it returns a {@link org.etat.ledger.common.Receipt}
 * or throws {@link org.etat.ledger.common.LedgerRejection} (a rule refused it; nothing recorded) or
 * {@link org.etat.app.ledger.LedgerBusyException} (contention; retry with the same request id).
 * {@link org.etat.app.ledger.EventLog} reads the raw log back from PostgreSQL.
 */
package org.etat.app.ledger;
