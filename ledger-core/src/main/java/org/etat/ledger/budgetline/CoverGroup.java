package org.etat.ledger.budgetline;

import org.etat.ledger.common.LedgerRejection;
import org.etat.ledger.common.Rule;

/**
 * Membership in a cover group (Deckungskreis, § 20): lines of one group may reinforce each other.
 * A line may only give (deckungspflichtig), only receive (deckungsberechtigt), or both.
 */
public record CoverGroup(String id, CoverRole role) {

    public CoverGroup {
        if (id == null || !id.matches("[A-Za-z0-9._/-]{1,64}")) {
            throw new LedgerRejection(Rule.INVALID_TITLE_KEY, "cover group id must be 1-64 letters, digits or . _ / -");
        }
        if (role == null) {
            role = CoverRole.MUTUAL;
        }
    }

    public static CoverGroup mutual(String id) {
        return new CoverGroup(id, CoverRole.MUTUAL);
    }

    public boolean mayGive() {
        return role != CoverRole.RECEIVES;
    }

    public boolean mayReceive() {
        return role != CoverRole.GIVES;
    }

    /** One-way cover distinguishes the giving from the receiving line; two-way allows both. */
    public enum CoverRole {
        MUTUAL,
        GIVES,
        RECEIVES
    }
}
