package org.etat.ledger.common;

/** Keys of the metadata that every recorded event carries. */
public final class LedgerMetadata {
    /** Who recorded the entry (the authenticated principal). */
    public static final String PRINCIPAL = "principal";
    /** The client's request id; retries with the same id have no second effect. */
    public static final String REQUEST_ID = "requestId";
    /** When the ledger recorded the event: UTC instant, set by the ledger, never by the client. */
    public static final String RECORDED_AT = "recordedAt";
    /** The booking date on which the event takes effect (ISO date). */
    public static final String EFFECTIVE_DATE = "effectiveDate";
    /** Provenance of imported entries. */
    public static final String SOURCE_FILE = "sourceFile";
    public static final String SOURCE_SHA256 = "sourceSha256";
    public static final String SOURCE_ROW = "sourceRow";

    private LedgerMetadata() {
    }
}
