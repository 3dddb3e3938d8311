package org.etat.ledger.recording;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.etat.ledger.budgetline.RecordExpenditure;
import org.junit.jupiter.api.Test;

class FingerprintTest {

    private static final RecordExpenditure SPEND =
            new RecordExpenditure("2024-08030-54669", 397_64, LocalDate.of(2024, 5, 10), "Porto", "R-1", null);

    @Test
    void sameTypeContentAndPrincipalGiveTheSameSha256() {
        String a = Fingerprint.of("spend", SPEND, "anna");

        assertThat(a).hasSize(64).matches("[0-9a-f]{64}");
        assertThat(Fingerprint.of("spend", new RecordExpenditure("2024-08030-54669", 397_64, LocalDate.of(2024, 5, 10), "Porto", "R-1", null),
                "anna")).isEqualTo(a);
    }

    @Test
    void anyDifferenceChangesIt() {
        String a = Fingerprint.of("spend", SPEND, "anna");

        assertThat(Fingerprint.of("spend", SPEND, "bert")).isNotEqualTo(a);
        assertThat(Fingerprint.of("other", SPEND, "anna")).isNotEqualTo(a);
        assertThat(Fingerprint.of("spend", new RecordExpenditure("2024-08030-54669", 397_65, LocalDate.of(2024, 5, 10), "Porto", "R-1",
                null), "anna")).isNotEqualTo(a);
    }

    @Test
    void mapKeyOrderDoesNotMatter() {
        Map<String, Object> inserted = new LinkedHashMap<>();
        inserted.put("b", 2);
        inserted.put("a", 1);

        assertThat(Fingerprint.of("m", inserted, "p")).isEqualTo(Fingerprint.of("m", new TreeMap<>(inserted), "p"));
    }
}
