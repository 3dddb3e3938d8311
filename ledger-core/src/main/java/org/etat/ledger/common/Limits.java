package org.etat.ledger.common;

/** Explicit limits: every input is bounded so that no request can exhaust the ledger. */
public final class Limits {
    public static final int MAX_TEXT_LENGTH = 2_000;
    public static final int MAX_REFERENCE_LENGTH = 200;
    public static final int MAX_BATCH_ENTRIES = 10_000;
    public static final int MAX_COVER_GROUPS = 32;
    public static final int MIN_YEAR = 1950;
    public static final int MAX_YEAR = 2200;

    private Limits() {
    }

    public static String requireText(String value, String field, boolean required, int maxLength) {
        if (value == null || value.isBlank()) {
            if (required) {
                throw new LedgerRejection(Rule.LEGAL_BASIS_REQUIRED, field + " is required");
            }
            return value;
        }
        if (value.length() > maxLength) {
            throw new LedgerRejection(Rule.LIMIT_EXCEEDED, field + " is longer than " + maxLength + " characters");
        }
        return value;
    }
}
