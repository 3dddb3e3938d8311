package org.etat.ledger.reallocation;

import org.etat.ledger.common.LedgerRejection;
import org.etat.ledger.common.Limits;
import org.etat.ledger.common.Rule;

/**
 * Why money may move between lines: a cover group both lines share (§ 20, VV § 46), a § 37 consent,
 * or a budget note (Haushaltsvermerk). The reference names the group, the consent or the note.
 */
public record LegalBasis(Kind kind, String reference) {

    public LegalBasis {
        if (kind == null) {
            throw new LedgerRejection(Rule.REALLOCATION_NEEDS_COVER, "legal basis kind is required (COVER_GROUP, CONSENT or BUDGET_NOTE)");
        }
        if (reference == null || reference.isBlank()) {
            throw new LedgerRejection(Rule.REALLOCATION_NEEDS_COVER, "legal basis reference is required");
        }
        Limits.requireText(reference, "legal basis reference", true, Limits.MAX_REFERENCE_LENGTH);
    }

    public static LegalBasis coverGroup(String groupId) {
        return new LegalBasis(Kind.COVER_GROUP, groupId);
    }

    public static LegalBasis consent(String reference) {
        return new LegalBasis(Kind.CONSENT, reference);
    }

    public static LegalBasis budgetNote(String reference) {
        return new LegalBasis(Kind.BUDGET_NOTE, reference);
    }

    public enum Kind {
        /** Deckungsfähigkeit: both lines are in the named cover group (§ 20). */
        COVER_GROUP,
        /** An explicit consent of the Finance Ministry (§ 37), named by its reference. */
        CONSENT,
        /** A budget note (Haushaltsvermerk) that allows the move, named by its reference. */
        BUDGET_NOTE
    }
}
