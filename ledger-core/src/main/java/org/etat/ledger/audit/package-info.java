/**
 * The tamper-evident audit log, as pure functions over the event store's raw rows.
 *
 * <ul>
 *   <li>{@link org.etat.ledger.audit.CanonicalEncoding}: the published byte layout of one row (version "EAC1").</li>
 *   <li>{@link org.etat.ledger.audit.AuditChain}: {@code chain_n = SHA-256(chain_{n-1} || canonical_n)}, in global
 *       order, plus a leaf hash per event for a later Merkle tree.</li>
 *   <li>{@link org.etat.ledger.audit.ChainVerifier}: rows against stored links; the first damage and its kind.</li>
 *   <li>{@link org.etat.ledger.audit.Digest}, {@link org.etat.ledger.audit.DigestVerifier}: Ed25519-signed heads,
 *       exported as JSON; they catch a log rewritten and re-chained from scratch, which the stored chain cannot.</li>
 *   <li>Exports: {@link org.etat.ledger.audit.JsonlExport} (rows and hashes, enough to re-verify outside Etat),
 *       {@link org.etat.ledger.audit.HledgerJournal}, {@link org.etat.ledger.audit.LineBalanceCsv}.</li>
 * </ul>
 *
 * What it does not do: an event appended after the chain's head looks like any legitimate append;
 * only publishing digests often bounds how much history an owner of the database could rewrite.
 */
package org.etat.ledger.audit;
