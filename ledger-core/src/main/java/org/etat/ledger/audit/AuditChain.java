package org.etat.ledger.audit;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Builds the audit chain over raw rows, in global order. Stateful: holds the head. Not thread-safe;
 * the writer is a single-segment processor, so one instance sees the events in commit order.
 */
public final class AuditChain {
    private Sha256Hash head;
    private long headSequence;
    private long length;

    /** An empty chain. */
    public AuditChain() {
        this(Sha256Hash.ZERO, Long.MIN_VALUE, 0);
    }

    private AuditChain(Sha256Hash head, long headSequence, long length) {
        this.head = head;
        this.headSequence = headSequence;
        this.length = length;
    }

    /** Continues a stored chain from its last link (after a restart). */
    public static AuditChain resumeFrom(ChainLink last, long length) {
        return new AuditChain(last.chainHash(), last.globalSequence(), length);
    }

    public static Sha256Hash leafHash(byte[] canonical) {
        return Sha256Hash.digest(canonical);
    }

    public static Sha256Hash chainHash(Sha256Hash previous, byte[] canonical) {
        return Sha256Hash.digestAfter(previous, canonical);
    }

    /** Chains one more row; its global sequence must be above the head's. */
    public ChainLink append(RawEventRow row) {
        if (length > 0 && row.globalSequence() <= headSequence) {
            throw new IllegalArgumentException("rows must be chained in rising global order: " + row.globalSequence()
                    + " after " + headSequence);
        }
        byte[] canonical = CanonicalEncoding.encode(row);
        Sha256Hash chained = chainHash(head, canonical);
        ChainLink link = new ChainLink(row.globalSequence(), row.eventId(), leafHash(canonical), chained);
        head = chained;
        headSequence = row.globalSequence();
        length++;
        return link;
    }

    /** The hash of the last link, or 32 zero bytes for an empty chain. */
    public Sha256Hash head() {
        return head;
    }

    public long headSequence() {
        return headSequence;
    }

    public long length() {
        return length;
    }

    public static List<ChainLink> build(Iterator<RawEventRow> rows) {
        AuditChain chain = new AuditChain();
        List<ChainLink> links = new ArrayList<>();
        while (rows.hasNext()) {
            links.add(chain.append(rows.next()));
        }
        return links;
    }

    public static List<ChainLink> build(Iterable<RawEventRow> rows) {
        return build(rows.iterator());
    }
}
