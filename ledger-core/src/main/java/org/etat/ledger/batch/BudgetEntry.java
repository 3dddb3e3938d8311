package org.etat.ledger.batch;

import java.util.Map;
import java.util.stream.Stream;
import org.etat.ledger.budgetline.EnactAppropriation;
import org.etat.ledger.budgetline.GrantOverPlanConsent;
import org.etat.ledger.budgetline.OpenLine;

/**
 * One entry of a {@link BudgetBatch}: what budget law does to one line, in this order: open it,
 * enact its appropriation, grant a § 37 consent. Any part may be absent, but not all, and every
 * part names the same line. {@code metadata} (e.g. provenance) is added to each of its events.
 */
public record BudgetEntry(OpenLine open, EnactAppropriation appropriation, GrantOverPlanConsent consent, Map<String, String> metadata) {

    public BudgetEntry {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    /** Opens a line and, if {@code appropriation} is not null, enacts it. */
    public static BudgetEntry open(OpenLine open, EnactAppropriation appropriation, Map<String, String> metadata) {
        return new BudgetEntry(open, appropriation, null, metadata);
    }

    public static BudgetEntry consent(GrantOverPlanConsent consent, Map<String, String> metadata) {
        return new BudgetEntry(null, null, consent, metadata);
    }

    /** The line every part names, or null when the parts disagree or there are none. */
    public String lineId() {
        String[] ids = Stream.of(open == null ? null : open.lineId(), appropriation == null ? null : appropriation.lineId(),
                consent == null ? null : consent.lineId()).filter(java.util.Objects::nonNull).distinct().toArray(String[]::new);
        boolean partsWithoutId = (open != null && open.lineId() == null) || (appropriation != null && appropriation.lineId() == null)
                || (consent != null && consent.lineId() == null);
        return ids.length == 1 && !partsWithoutId ? ids[0] : null;
    }
}
