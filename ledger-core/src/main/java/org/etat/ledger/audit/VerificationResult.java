package org.etat.ledger.audit;

/** The outcome of walking the log against the stored chain. */
public sealed interface VerificationResult {

    boolean intact();

    /**
     * Every chained event is in the log, unchanged and in order. {@code unchainedRows} are rows after
     * the chain's head (appended but not chained yet); they are not covered by this check.
     */
    record Intact(long eventsChecked, long headSequence, Sha256Hash headHash, long unchainedRows) implements VerificationResult {
        @Override
        public boolean intact() {
            return true;
        }
    }

    /** The first damaged global sequence and what is wrong there. Nothing after it was judged. */
    record Damaged(long globalSequence, Damage damage, String detail, long eventsCheckedBefore) implements VerificationResult {
        @Override
        public boolean intact() {
            return false;
        }
    }
}
