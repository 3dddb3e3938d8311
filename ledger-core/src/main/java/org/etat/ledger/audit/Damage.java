package org.etat.ledger.audit;

/** What is wrong at the first damaged position of the log, as the chain verifier sees it. */
public enum Damage {
    /** The row at this sequence is not what was chained there (payload, metadata, id or any other field). */
    CHANGED,
    /** A chained event is gone from the log (the rows after it may have moved up to close the gap). */
    MISSING,
    /** A row is in the log that was never chained (the rows after it may have moved down). */
    INSERTED,
    /** Chained events are all present but at other positions (two rows swapped, or one moved). */
    REORDERED,
    /** The stored chain contradicts itself (links out of order, or a leaf hash that was edited). */
    CHAIN_CORRUPT
}
