package org.etat.app.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.etat.app.testsupport.EtatIntegrationTest;
import org.etat.ledger.budgetline.CoverGroup;
import org.etat.ledger.budgetline.EnactAppropriation;
import org.etat.ledger.budgetline.LineBalance;
import org.etat.ledger.budgetline.LineKind;
import org.etat.ledger.budgetline.LineOpened;
import org.etat.ledger.budgetline.OpenLine;
import org.etat.ledger.budgetline.RecordExpenditure;
import org.etat.ledger.budgetline.TitleKey;
import org.etat.ledger.common.LedgerRejection;
import org.etat.ledger.common.Receipt;
import org.etat.ledger.common.Rule;
import org.etat.ledger.correction.ReverseEntry;
import org.etat.ledger.reallocation.LegalBasis;
import org.etat.ledger.reallocation.Reallocate;
import org.etat.ledger.yearclose.CloseYear;
import org.etat.ledger.yearclose.YearClosed;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;

/** What callers of the gateway see: rejections with their rule, reversals found in the store, races settled. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LedgerGatewayTest extends EtatIntegrationTest {

    @Autowired
    LedgerGateway ledger;
    @Autowired
    EventLog log;

    ConfigurableApplicationContext secondNode;
    LedgerGateway secondLedger;

    @BeforeAll
    void startSecondNode() {
        secondNode = startAnotherNode(Map.of());
        secondLedger = secondNode.getBean(LedgerGateway.class);
    }

    @AfterAll
    void stopSecondNode() {
        secondNode.close();
    }

    @Test
    void givenNoSuchLine_whenSpending_thenLineNotOpen() {
        assertThatThrownBy(() -> ledger.send(new RecordExpenditure("2024-09010-51101", 1_00L, LocalDate.of(2024, 2, 1), "x", "y", null),
                "t", "gw-missing"))
                .isInstanceOfSatisfying(LedgerRejection.class, r -> assertThat(r.rule()).isEqualTo(Rule.LINE_NOT_OPEN));
    }

    @Test
    void givenRecordedEntries_whenReversedByEventId_thenTheStoreFindsThemAndBothLegsOfAMoveAreUndone() {
        List<CoverGroup> g = List.of(CoverGroup.mutual("GW"));
        open("2024-09010-51102", g);
        open("2024-09010-51103", g);
        ledger.send(new EnactAppropriation("2024-09010-51102", 100_00L, "HG", LocalDate.of(2024, 1, 1)), "t", "gw-enact");
        Receipt spend = ledger.send(new RecordExpenditure("2024-09010-51102", 30_00L, LocalDate.of(2024, 2, 1), "x", "D-1", null), "t",
                "gw-spend");
        Receipt move = ledger.send(new Reallocate("2024-09010-51102", "2024-09010-51103", 50_00L, LegalBasis.coverGroup("GW"), "m",
                LocalDate.of(2024, 3, 1)), "t", "gw-move");

        ledger.send(new ReverseEntry(spend.eventIds().get(0), "falsch gebucht", LocalDate.of(2024, 4, 1)), "t", "gw-rev-spend");
        Receipt undone = ledger.send(new ReverseEntry(move.eventIds().get(1), "zurück", LocalDate.of(2024, 4, 2)), "t", "gw-rev-move");

        assertThat(undone.eventIds()).hasSize(2);
        Map<String, LineBalance> b = log.balances();
        assertThat(b.get("2024-09010-51102").availableCents()).isEqualTo(100_00L);
        assertThat(b.get("2024-09010-51103").availableCents()).isZero();
        assertThatThrownBy(() -> ledger.send(new ReverseEntry(spend.eventIds().get(0), "noch mal", LocalDate.of(2024, 4, 3)), "t",
                "gw-rev-again"))
                .isInstanceOfSatisfying(LedgerRejection.class, r -> assertThat(r.rule()).isEqualTo(Rule.ENTRY_ALREADY_REVERSED));
        assertThatThrownBy(() -> ledger.send(new ReverseEntry("no-such-event", "?", LocalDate.of(2024, 4, 3)), "t", "gw-rev-unknown"))
                .isInstanceOfSatisfying(LedgerRejection.class, r -> assertThat(r.rule()).isEqualTo(Rule.REVERSAL_TARGET_UNKNOWN));
    }

    @Test
    void givenTwoNodes_whenTheSameLineIsOpenedConcurrently_thenOneOpensItAndTheOthersAreToldItIsOpen() throws Exception {
        String line = "2024-09010-51104";
        List<Object> outcomes = race(16, i -> (i % 2 == 0 ? ledger : secondLedger).send(openLine(line, List.of()), "t", "gw-race-" + i));

        assertThat(outcomes.stream().filter(o -> o instanceof Receipt)).hasSize(1);
        assertThat(outcomes.stream().filter(o -> o == Rule.LINE_ALREADY_OPEN)).hasSize(15);
        assertThat(log.all().stream().filter(e -> e.payload() instanceof LineOpened o && o.lineId().equals(line))).hasSize(1);
    }

    @Test
    void givenTwoNodes_whenAYearClosesWhileLinesAreOpened_thenNoLineOfTheClosedYearIsLeftOpen() throws Exception {
        open("2019-09010-51100", List.of());
        List<Object> outcomes = race(12, i -> i == 6
                ? secondLedger.send(new CloseYear(2019, "Abschluss"), "t", "gw-close-2019")
                : (i % 2 == 0 ? ledger : secondLedger).send(openLine("2019-09010-5111" + (i % 10), List.of()), "t", "gw-open-2019-" + i));

        assertThat(outcomes.get(6)).isInstanceOf(Receipt.class);
        List<String> opened = log.all().stream().filter(e -> e.payload() instanceof LineOpened o && o.year() == 2019)
                .map(e -> ((LineOpened) e.payload()).lineId()).toList();
        List<String> closed = log.all().stream().filter(e -> e.payload() instanceof YearClosed c && c.year() == 2019)
                .map(e -> ((YearClosed) e.payload()).lineId()).toList();
        assertThat(closed).containsExactlyInAnyOrderElementsOf(opened);
        assertThat(outcomes).allMatch(o -> o instanceof Receipt || o == Rule.YEAR_CLOSED || o == Rule.LINE_ALREADY_OPEN);
    }

    private interface Call {
        Object run(int index);
    }

    private static List<Object> race(int threads, Call call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Object>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    start.await();
                    try {
                        return call.run(index);
                    } catch (LedgerRejection r) {
                        return r.rule();
                    }
                }));
            }
            start.countDown();
            List<Object> outcomes = new ArrayList<>();
            for (Future<Object> f : futures) {
                outcomes.add(f.get(120, TimeUnit.SECONDS));
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }

    private void open(String lineId, List<CoverGroup> groups) {
        ledger.send(openLine(lineId, groups), "t", "gw-open-" + lineId);
    }

    private static OpenLine openLine(String lineId, List<CoverGroup> groups) {
        String[] p = lineId.split("-");
        return new OpenLine(lineId, TitleKey.of(p[1], p[2]), "Test", LineKind.EXPENDITURE, false, groups, null);
    }
}
