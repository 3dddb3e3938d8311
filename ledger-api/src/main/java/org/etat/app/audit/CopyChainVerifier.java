package org.etat.app.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.LongConsumer;
import org.etat.ledger.audit.CanonicalEncoding;
import org.etat.ledger.audit.ChainLink;
import org.etat.ledger.audit.ChainVerifier;
import org.etat.ledger.audit.RawEventRow;
import org.etat.ledger.audit.Sha256Hash;
import org.etat.ledger.audit.VerificationResult;

/**
 * {@link ChainVerifier} over binary COPY tuples, without building a row or link object per event:
 * as long as a row and its link match, the canonical bytes are hashed straight from the received
 * tuple. At the first position that is not a clean match (or a row it cannot judge in place), the
 * rest of both streams is decoded into objects and handed to {@link ChainVerifier#verifyFrom}, so the
 * outcome, including the classification of damage, is the one {@link ChainVerifier#verify} gives.
 *
 * <p>Why hashing in place is exact: the binary COPY of the columns in {@link JdbcRawEventReader#COLUMNS}
 * order writes every field as a 4-byte big-endian length (-1 for NULL) and its bytes, which is how
 * {@link CanonicalEncoding} writes a string or bytes field (-1 for absent). The canonical bytes of a
 * row are therefore the tag, the 8 bytes of global_index, fields 1-3 verbatim (event id, type,
 * aggregate id, with their prefixes), the 8 bytes of sequence_number and fields 5-9 verbatim (payload
 * type, revision, payload, metadata, timestamp). Text fields arrive as UTF-8 when the database's
 * encoding is UTF-8 (checked by the caller, see {@link #usable}); the object path encodes the decoded
 * strings back into the same bytes.
 */
final class CopyChainVerifier {
    private static final byte[] TAG = CanonicalEncoding.VERSION_TAG.getBytes(StandardCharsets.US_ASCII);
    // Row fields (JdbcRawEventReader.COLUMNS order).
    private static final int GLOBAL_INDEX = 0;
    private static final int EVENT_ID = 1;
    private static final int SEQUENCE = 4;
    private static final int PAYLOAD_TYPE = 5;
    private static final int PAYLOAD = 7;
    private static final int TIMESTAMP = 9;
    // Link fields (JdbcAuditChainStore.LINKS_COPY_SQL order).
    private static final int LINK_INDEX = 0;
    private static final int LINK_EVENT_ID = 1;
    private static final int LEAF = 2;
    private static final int CHAIN = 3;

    private final MessageDigest leafDigest = sha256();
    private final MessageDigest chainDigest = sha256();
    private byte[] head = new byte[Sha256Hash.LENGTH_BYTES];
    private byte[] next = new byte[Sha256Hash.LENGTH_BYTES];
    private final byte[] leaf = new byte[Sha256Hash.LENGTH_BYTES];
    private long checked;
    private long lastSequence = Long.MIN_VALUE;

    private CopyChainVerifier() {
    }

    /** Whether text arrives as UTF-8 in COPY tuples on this connection, so that hashing in place is exact. */
    static boolean usable(java.sql.Connection c) throws java.sql.SQLException {
        try (var st = c.createStatement();
             var rs = st.executeQuery("SELECT current_setting('server_encoding'), current_setting('client_encoding')")) {
            rs.next();
            return "UTF8".equals(rs.getString(1)) && "UTF8".equals(rs.getString(2));
        }
    }

    /** Rows ({@link JdbcRawEventReader#COLUMNS}) against links (chain order); {@code rowsDone} hears every {@link Progress#EVERY_ROWS} rows. */
    static VerificationResult verify(CopyTuples rows, CopyTuples links, LongConsumer rowsDone) {
        return new CopyChainVerifier().run(rows, links, rowsDone);
    }

    private VerificationResult run(CopyTuples rows, CopyTuples links, LongConsumer rowsDone) {
        while (links.next()) {
            if (!rows.next()) {
                return ChainVerifier.verifyFrom(matched(), objects(rows, false, CopyChainVerifier::row),
                        objects(links, true, CopyChainVerifier::link));
            }
            if (!matches(rows, links)) {
                return ChainVerifier.verifyFrom(matched(), objects(rows, true, CopyChainVerifier::row),
                        objects(links, true, CopyChainVerifier::link));
            }
            if (checked % Progress.EVERY_ROWS == 0) {
                rowsDone.accept(checked);
            }
        }
        long unchained = 0;
        while (rows.next()) {
            unchained++;
        }
        return new VerificationResult.Intact(checked, lastSequence, Sha256Hash.of(head), unchained);
    }

    private ChainVerifier.Matched matched() {
        return checked == 0 ? ChainVerifier.Matched.START : new ChainVerifier.Matched(Sha256Hash.of(head), checked, lastSequence);
    }

    /**
     * Whether the row and the link match as {@link ChainVerifier} would find (same sequence and id,
     * both hashes equal, sequences rising); if so, the chain moves on. False for anything else,
     * including rows the object path would refuse (a NULL where a value is required, an oversized field).
     */
    private boolean matches(CopyTuples rows, CopyTuples links) {
        if (rows.length(GLOBAL_INDEX) != 8 || links.length(LINK_INDEX) != 8 || rows.length(SEQUENCE) != 8) {
            return false;
        }
        long sequence = rows.int8(GLOBAL_INDEX);
        if (sequence != links.int8(LINK_INDEX) || (checked > 0 && sequence <= lastSequence)) {
            return false;
        }
        if (rows.length(EVENT_ID) < 0 || rows.length(PAYLOAD_TYPE) < 0 || rows.length(PAYLOAD) < 0 || rows.length(TIMESTAMP) < 0
                || !rows.sameBytes(EVENT_ID, links, LINK_EVENT_ID)) {
            return false;
        }
        if (links.length(LEAF) != Sha256Hash.LENGTH_BYTES || links.length(CHAIN) != Sha256Hash.LENGTH_BYTES) {
            return false;
        }
        for (int f = 1; f < JdbcRawEventReader.COLUMN_COUNT; f++) {
            if (rows.length(f) > CanonicalEncoding.MAX_FIELD_BYTES) {
                return false;
            }
        }
        byte[] d = rows.data();
        int indexAt = rows.start(GLOBAL_INDEX);
        int idTo = rows.prefix(SEQUENCE); // event id, type and aggregate id, with their prefixes
        int idFrom = rows.prefix(EVENT_ID);
        int sequenceAt = rows.start(SEQUENCE);
        int restFrom = rows.prefix(PAYLOAD_TYPE); // payload type to timestamp, with their prefixes
        int end = rows.prefix(JdbcRawEventReader.COLUMN_COUNT);
        try {
            leafDigest.update(TAG);
            leafDigest.update(d, indexAt, 8);
            leafDigest.update(d, idFrom, idTo - idFrom);
            leafDigest.update(d, sequenceAt, 8);
            leafDigest.update(d, restFrom, end - restFrom);
            leafDigest.digest(leaf, 0, leaf.length);
            chainDigest.update(head);
            chainDigest.update(TAG);
            chainDigest.update(d, indexAt, 8);
            chainDigest.update(d, idFrom, idTo - idFrom);
            chainDigest.update(d, sequenceAt, 8);
            chainDigest.update(d, restFrom, end - restFrom);
            chainDigest.digest(next, 0, next.length);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException("SHA-256 into a 32-byte array cannot fail", e);
        }
        byte[] l = links.data();
        int chainAt = links.start(CHAIN);
        int leafAt = links.start(LEAF);
        if (!Arrays.equals(next, 0, next.length, l, chainAt, chainAt + next.length)
                || !Arrays.equals(leaf, 0, leaf.length, l, leafAt, leafAt + leaf.length)) {
            return false;
        }
        byte[] previous = head;
        head = next;
        next = previous;
        lastSequence = sequence;
        checked++;
        return true;
    }

    static RawEventRow row(CopyTuples t) {
        return new RawEventRow(t.int8(0), t.text(1), t.text(2), t.text(3), t.int8(4), t.text(5), t.text(6), t.bytes(7), t.bytes(8),
                t.text(9));
    }

    static ChainLink link(CopyTuples t) {
        return new ChainLink(t.int8(LINK_INDEX), t.text(LINK_EVENT_ID), Sha256Hash.of(t.bytes(LEAF)), Sha256Hash.of(t.bytes(CHAIN)));
    }

    /** The rest of a cursor as objects: its current tuple first if {@code withCurrent}, then the tuples after it. */
    static <T> Iterator<T> objects(CopyTuples tuples, boolean withCurrent, java.util.function.Function<CopyTuples, T> decode) {
        return new Iterator<>() {
            private T pending = withCurrent ? decode.apply(tuples) : null;
            private boolean ended;

            @Override
            public boolean hasNext() {
                if (pending == null && !ended) {
                    if (tuples.next()) {
                        pending = decode.apply(tuples);
                    } else {
                        ended = true;
                    }
                }
                return pending != null;
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                T value = pending;
                pending = null;
                return value;
            }
        };
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java 17 runtime has SHA-256", e);
        }
    }
}
