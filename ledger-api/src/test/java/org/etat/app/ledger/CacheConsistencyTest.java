package org.etat.app.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.List;
import org.etat.app.testsupport.EtatIntegrationTest;
import org.etat.ledger.budgetline.EnactAppropriation;
import org.etat.ledger.budgetline.LineKind;
import org.etat.ledger.budgetline.OpenLine;
import org.etat.ledger.budgetline.RecordExpenditure;
import org.etat.ledger.budgetline.TitleKey;
import org.etat.ledger.carryover.CarryOverRemainder;
import org.etat.ledger.common.LedgerRejection;
import org.etat.ledger.common.Receipt;
import org.etat.ledger.common.Rule;
import org.etat.ledger.yearclose.CloseYear;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** A refused two-leg command must not leave its first, already applied leg in the aggregate cache. */
class CacheConsistencyTest extends EtatIntegrationTest {

    @Autowired
    LedgerGateway ledger;

    @Test
    void givenTheTargetYearIsClosed_whenACarryOverIsRefusedAfterItsOutLeg_thenTheSourceLineStillHasAllItsMoney() {
        String from = "2024-03010-54201";
        String to = "2025-03010-54201";
        open(from);
        open(to);
        ledger.send(new EnactAppropriation(from, 1_000_00L, "HG 2024", LocalDate.of(2024, 1, 1)), "t", "cc-enact");
        ledger.send(new CloseYear(2025, "2025 closed early (test)"), "t", "cc-close-2025");

        // The out-leg on 2024 (lower id, applied first) succeeds; the in-leg on closed 2025 is refused.
        assertThatThrownBy(() -> ledger.send(new CarryOverRemainder(from, 600_00L, "FM-Einwilligung 1", "Rest",
                LocalDate.of(2024, 12, 31)), "t", "cc-carry"))
                .isInstanceOfSatisfying(LedgerRejection.class, r -> assertThat(r.rule()).isEqualTo(Rule.YEAR_CLOSED));

        // With the rolled-back out-leg still cached, only 400.00 would be left.
        Receipt all = ledger.send(new RecordExpenditure(from, 1_000_00L, LocalDate.of(2024, 12, 30), "Alles", "CC-1", null), "t",
                "cc-spend-all");
        assertThat(all.availableCentsByLine().get(from)).isZero();
    }

    private void open(String lineId) {
        String[] p = lineId.split("-");
        ledger.send(new OpenLine(lineId, TitleKey.of(p[1], p[2]), "Test", LineKind.EXPENDITURE, true, List.of(), null), "t",
                "cc-open-" + lineId);
    }
}
