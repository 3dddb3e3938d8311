package org.etat.ledger.conservation;

import java.util.List;

/** The outcome of a conservation check: balanced, or the first violation found in log order. */
public record ConservationReport(long eventsChecked, List<YearTotals> years, Violation firstViolation) {

    public boolean balanced() {
        return firstViolation == null;
    }

    /** Where the books stop balancing: the event (if one is to blame) and why. */
    public record Violation(long globalSequence, String eventId, String lineId, String rule) {
        @Override
        public String toString() {
            return "event " + eventId + " (global sequence " + globalSequence + ", line " + lineId + "): " + rule;
        }
    }
}
