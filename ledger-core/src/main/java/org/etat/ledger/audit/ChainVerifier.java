package org.etat.ledger.audit;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Walks the raw rows (in rising global order) alongside the stored chain links and reports the
 * first damage. One pass, constant memory; only after the first mismatch are the rest of both
 * streams read, to look for the two event ids involved.
 *
 * <p>Classification at the first position where rows and links disagree (everything before it
 * matched one to one, so an event id seen there can only reappear further on):
 * <ul>
 *   <li>same sequence, same id, other bytes: CHANGED;</li>
 *   <li>same sequence, other id: the chained id is found later in the rows and the row's id later
 *       in the chain: REORDERED; only the row's id is chained later (the log closed a gap):
 *       MISSING; only the chained id is found later in the rows (the log made room): INSERTED;
 *       neither: CHANGED (the id itself was rewritten);</li>
 *   <li>a row at a sequence the chain does not have: REORDERED if its id is chained later,
 *       else INSERTED;</li>
 *   <li>a link at a sequence the log does not have (including a deleted head): REORDERED if its
 *       id is found later in the rows, else MISSING.</li>
 * </ul>
 * Rows beyond the chain's head are counted as unchained, not as damage: the chain may lag the log.
 * Signed digests ({@link DigestVerifier}) cover the head itself.
 */
public final class ChainVerifier {

    private ChainVerifier() {
    }

    public static VerificationResult verify(Iterable<RawEventRow> rows, Iterable<ChainLink> links) {
        return verify(rows.iterator(), links.iterator());
    }

    public static VerificationResult verify(Iterator<RawEventRow> rowIterator, Iterator<ChainLink> linkIterator) {
        return verifyFrom(Matched.START, rowIterator, linkIterator);
    }

    /**
     * Where a walk stands after {@code checked} rows and links matched one to one: the chain hash of
     * the last match and its global sequence ({@code Long.MIN_VALUE} before the first).
     */
    public record Matched(Sha256Hash head, long checked, long lastSequence) {
        public static final Matched START = new Matched(Sha256Hash.ZERO, 0, Long.MIN_VALUE);

        public Matched {
            java.util.Objects.requireNonNull(head, "head");
            if (checked < 0) {
                throw new IllegalArgumentException("checked must not be negative: " + checked);
            }
        }
    }

    /**
     * Continues a walk that a faster reader began (one that compares rows and links without
     * building them as objects): {@code rowIterator} and {@code linkIterator} start at the first row
     * and link not yet matched. The result is the one {@link #verify} gives for the whole streams.
     */
    public static VerificationResult verifyFrom(Matched from, Iterator<RawEventRow> rowIterator, Iterator<ChainLink> linkIterator) {
        Peeking<RawEventRow> rows = new Peeking<>(rowIterator);
        Peeking<ChainLink> links = new Peeking<>(linkIterator);
        Sha256Hash previous = from.head();
        long checked = from.checked();
        long lastRowSequence = from.lastSequence();
        long lastLinkSequence = from.lastSequence();
        while (links.hasNext()) {
            ChainLink link = links.peek();
            if (checked > 0 && link.globalSequence() <= lastLinkSequence) {
                return new VerificationResult.Damaged(link.globalSequence(), Damage.CHAIN_CORRUPT,
                        "chain link " + link.globalSequence() + " follows link " + lastLinkSequence, checked);
            }
            if (!rows.hasNext()) {
                return new VerificationResult.Damaged(link.globalSequence(), Damage.MISSING,
                        "event " + link.eventId() + " is chained but the log ends before it", checked);
            }
            RawEventRow row = rows.peek();
            if (checked > 0 && row.globalSequence() <= lastRowSequence) {
                throw new IllegalArgumentException("rows must come in rising global order: " + row.globalSequence()
                        + " after " + lastRowSequence);
            }
            if (row.globalSequence() == link.globalSequence() && row.eventId().equals(link.eventId())) {
                byte[] canonical = CanonicalEncoding.encode(row);
                Sha256Hash expected = AuditChain.chainHash(previous, canonical);
                boolean leafMatches = AuditChain.leafHash(canonical).equals(link.leafHash());
                if (!expected.equals(link.chainHash())) {
                    String detail = leafMatches
                            ? "row differs from what was chained; its leaf hash in the chain was rewritten to match"
                            : "row content differs from what was chained";
                    return new VerificationResult.Damaged(row.globalSequence(), Damage.CHANGED,
                            detail + " (event " + row.eventId() + ")", checked);
                }
                if (!leafMatches) {
                    return new VerificationResult.Damaged(row.globalSequence(), Damage.CHAIN_CORRUPT,
                            "the chain hash matches the row but the stored leaf hash does not", checked);
                }
                previous = expected;
                lastRowSequence = row.globalSequence();
                lastLinkSequence = link.globalSequence();
                checked++;
                rows.next();
                links.next();
                continue;
            }
            return classify(rows, links, checked);
        }
        long unchained = 0;
        while (rows.hasNext()) {
            rows.next();
            unchained++;
        }
        return new VerificationResult.Intact(checked, lastLinkSequence, previous, unchained);
    }

    private static VerificationResult classify(Peeking<RawEventRow> rows, Peeking<ChainLink> links, long checked) {
        RawEventRow row = rows.next();
        ChainLink link = links.next();
        // Each stream is read to its end once; the ids sought sit at or after the current position.
        boolean rowIdChainedLater = false;
        while (links.hasNext()) {
            if (links.next().eventId().equals(row.eventId())) {
                rowIdChainedLater = true;
                break;
            }
        }
        boolean linkIdInRowsLater = false;
        while (rows.hasNext()) {
            if (rows.next().eventId().equals(link.eventId())) {
                linkIdInRowsLater = true;
                break;
            }
        }
        long rowSeq = row.globalSequence();
        long linkSeq = link.globalSequence();
        if (rowSeq == linkSeq) {
            if (rowIdChainedLater && linkIdInRowsLater) {
                return damaged(rowSeq, Damage.REORDERED, "event " + row.eventId() + " stands where " + link.eventId()
                        + " was chained; both are still in the log", checked);
            }
            if (rowIdChainedLater) {
                return damaged(rowSeq, Damage.MISSING, "chained event " + link.eventId() + " is gone; "
                        + row.eventId() + " moved up into its place", checked);
            }
            if (linkIdInRowsLater) {
                return damaged(rowSeq, Damage.INSERTED, "unchained event " + row.eventId() + " stands where "
                        + link.eventId() + " was chained; that one moved down", checked);
            }
            return damaged(rowSeq, Damage.CHANGED, "the event id changed from " + link.eventId() + " to "
                    + row.eventId(), checked);
        }
        if (rowSeq < linkSeq) {
            // Also covers a row id equal to this link's id at a lower sequence: the event moved earlier.
            if (rowIdChainedLater || row.eventId().equals(link.eventId())) {
                return damaged(rowSeq, Damage.REORDERED, "event " + row.eventId()
                        + " is chained at a later position", checked);
            }
            return damaged(rowSeq, Damage.INSERTED, "event " + row.eventId() + " was never chained", checked);
        }
        if (linkIdInRowsLater || row.eventId().equals(link.eventId())) {
            return damaged(linkSeq, Damage.REORDERED, "chained event " + link.eventId()
                    + " is in the log at a later position", checked);
        }
        return damaged(linkSeq, Damage.MISSING, "chained event " + link.eventId() + " is gone", checked);
    }

    private static VerificationResult damaged(long sequence, Damage damage, String detail, long checked) {
        return new VerificationResult.Damaged(sequence, damage, detail, checked);
    }

    /** An iterator with one element of look-ahead. */
    private static final class Peeking<T> {
        private final Iterator<T> source;
        private T next;
        private boolean hasPeeked;

        Peeking(Iterator<T> source) {
            this.source = source;
        }

        boolean hasNext() {
            return hasPeeked || source.hasNext();
        }

        T peek() {
            if (!hasPeeked) {
                next = source.next();
                hasPeeked = true;
            }
            return next;
        }

        T next() {
            if (hasPeeked) {
                hasPeeked = false;
                T value = next;
                next = null;
                return value;
            }
            if (!source.hasNext()) {
                throw new NoSuchElementException();
            }
            return source.next();
        }
    }
}
