package org.etat.ledger.batch;

import java.time.LocalDate;
import java.util.Map;

/** One entry of a {@link RecordBatch}. {@code metadata} (e.g. provenance) is added to its event. */
public record BatchEntry(
        Kind kind,
        String lineId,
        long amountCents,
        LocalDate effectiveDate,
        String purpose,
        String documentReference,
        String projectId,
        Map<String, String> metadata) {

    public BatchEntry {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    public static BatchEntry expenditure(String lineId, long amountCents, LocalDate effectiveDate, String purpose,
            String documentReference, String projectId) {
        return new BatchEntry(Kind.EXPENDITURE, lineId, amountCents, effectiveDate, purpose, documentReference, projectId, Map.of());
    }

    public enum Kind {
        EXPENDITURE,
        REVENUE
    }
}
