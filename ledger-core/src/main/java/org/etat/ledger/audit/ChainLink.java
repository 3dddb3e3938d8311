package org.etat.ledger.audit;

import java.util.Objects;

/**
 * One stored link of the audit chain: which event (global sequence and id), the leaf hash of its
 * canonical bytes, and the chain hash that commits to it and to everything before it.
 *
 * <pre>
 * leafHash_n  = SHA-256(canonical_n)
 * chainHash_n = SHA-256(chainHash_{n-1} || canonical_n),   chainHash_0's predecessor = 32 zero bytes
 * </pre>
 *
 * The leaf hash is redundant for the chain; it is kept so that a Merkle tree over the leaves of a
 * digest (an inclusion proof for one event) can be built later from the stored links alone.
 */
public record ChainLink(long globalSequence, String eventId, Sha256Hash leafHash, Sha256Hash chainHash) {
    public ChainLink {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(leafHash, "leafHash");
        Objects.requireNonNull(chainHash, "chainHash");
    }
}
