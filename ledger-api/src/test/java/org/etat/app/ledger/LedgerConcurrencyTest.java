package org.etat.app.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.etat.app.testsupport.EtatIntegrationTest;
import org.etat.ledger.budgetline.CoverGroup;
import org.etat.ledger.budgetline.EnactAppropriation;
import org.etat.ledger.budgetline.ExpenditureRecorded;
import org.etat.ledger.budgetline.LineBalance;
import org.etat.ledger.budgetline.LineKind;
import org.etat.ledger.budgetline.OpenLine;
import org.etat.ledger.budgetline.RecordExpenditure;
import org.etat.ledger.budgetline.TitleKey;
import org.etat.ledger.common.LedgerRejection;
import org.etat.ledger.common.Rule;
import org.etat.ledger.conservation.ConservationCheck;
import org.etat.ledger.conservation.ConservationReport;
import org.etat.ledger.reallocation.LegalBasis;
import org.etat.ledger.reallocation.Reallocate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.TestPropertySource;

/**
 * Many writers on the same lines, in one node and across two nodes (two application contexts on
 * one database, each with its own cache and locks, so they really race on the event store).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestPropertySource(properties = "etat.ledger.max-attempts=50")
class LedgerConcurrencyTest extends EtatIntegrationTest {

    private static final int THREADS = 32;
    private static final long DEADLINE_SECONDS = 120;

    @Autowired
    LedgerGateway ledger;
    @Autowired
    EventLog log;

    ConfigurableApplicationContext secondNode;
    LedgerGateway secondLedger;

    @BeforeAll
    void startSecondNode() {
        secondNode = startAnotherNode(Map.of("etat.ledger.max-attempts", "50"));
        secondLedger = secondNode.getBean(LedgerGateway.class);
    }

    @AfterAll
    void stopSecondNode() {
        secondNode.close();
    }

    @Test
    void givenALineCoveringTwentyOf32Payments_when32ThreadsSpendAtOnce_thenExactlyTwentyAreRecorded() throws Exception {
        String line = "2024-07010-54601";
        openWithAppropriation(line, 1_000_00L, List.of());

        Outcome outcome = race(THREADS, i -> () -> ledger.send(spend(line, i), "clerk-" + i, "one-node-spend-" + i));

        assertExactlyTwentyRecorded(line, outcome);
    }

    @Test
    void givenTwoNodes_when32ThreadsSpendOnOneLine_thenTheStoreNeverOverdraws() throws Exception {
        String line = "2024-07010-54602";
        openWithAppropriation(line, 1_000_00L, List.of());

        Outcome outcome = race(THREADS, i -> () -> (i % 2 == 0 ? ledger : secondLedger).send(spend(line, i), "clerk-" + i,
                "two-node-spend-" + i));

        assertExactlyTwentyRecorded(line, outcome);
    }

    @Test
    void givenTwoNodes_whenOppositeReallocationsRunInParallel_thenAllCompleteAndMoneyIsConserved() throws Exception {
        String a = "2024-07010-54603";
        String b = "2024-07010-54604";
        List<CoverGroup> group = List.of(CoverGroup.mutual("07010-TEST"));
        openWithAppropriation(a, 1_000_00L, group);
        openWithAppropriation(b, 1_000_00L, group);

        Outcome outcome = race(THREADS, i -> () -> {
            Reallocate move = new Reallocate(i % 2 == 0 ? a : b, i % 2 == 0 ? b : a, 10_00L, LegalBasis.coverGroup("07010-TEST"),
                    "Ausgleich " + i, LocalDate.of(2024, 6, 1));
            return (i % 4 < 2 ? ledger : secondLedger).send(move, "clerk-" + i, "opposite-" + i);
        });

        assertThat(outcome.accepted).as("refusals: %s", outcome.refusals).isEqualTo(THREADS);
        Map<String, LineBalance> balances = log.balances();
        assertThat(balances.get(a).availableCents() + balances.get(b).availableCents()).isEqualTo(2_000_00L);
        assertThat(balances.get(a).reallocatedOutCents()).isEqualTo(16 * 10_00L);
        assertThat(balances.get(b).reallocatedOutCents()).isEqualTo(16 * 10_00L);
        ConservationReport report = ConservationCheck.check(log.all().stream().map(EventLog.StoredEvent::recorded).toList());
        assertThat(report.balanced()).as(String.valueOf(report.firstViolation())).isTrue();
    }

    private void assertExactlyTwentyRecorded(String line, Outcome outcome) {
        System.out.printf("%s: races lost and retried: node 1 %d, node 2 %d%n", line, ledger.racesLost(), secondLedger.racesLost());
        assertThat(outcome.accepted).isEqualTo(20);
        assertThat(outcome.refusals).hasSize(12).allMatch(r -> r == Rule.INSUFFICIENT_FUNDS);
        long recorded = log.all().stream().filter(e -> e.payload() instanceof ExpenditureRecorded x && x.lineId().equals(line)).count();
        assertThat(recorded).isEqualTo(20);
        LineBalance balance = log.balances().get(line);
        assertThat(balance.spentCents()).isEqualTo(1_000_00L);
        assertThat(balance.availableCents()).isZero();
    }

    private static RecordExpenditure spend(String line, int i) {
        return new RecordExpenditure(line, 50_00L, LocalDate.of(2024, 3, 1 + i % 28), "Zahlung " + i, "Z-" + i, null);
    }

    private void openWithAppropriation(String lineId, long cents, List<CoverGroup> groups) {
        String[] p = lineId.split("-");
        ledger.send(new OpenLine(lineId, TitleKey.of(p[1], p[2]), "Test", LineKind.EXPENDITURE, false, groups, null), "setup",
                "open-" + lineId);
        ledger.send(new EnactAppropriation(lineId, cents, "Haushaltsgesetz 2024", LocalDate.of(2024, 1, 1)), "setup", "enact-" + lineId);
    }

    private record Outcome(int accepted, List<Rule> refusals) {
    }

    private interface Task {
        Callable<Object> of(int index);
    }

    /** Starts all tasks at once; fails if one does not finish by the deadline (a deadlock). */
    private static Outcome race(int threads, Task task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Object>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Callable<Object> work = task.of(i);
                futures.add(pool.submit(() -> {
                    start.await();
                    try {
                        return work.call();
                    } catch (LedgerRejection r) {
                        return r.rule();
                    }
                }));
            }
            start.countDown();
            int accepted = 0;
            List<Rule> refusals = new ArrayList<>();
            for (Future<Object> f : futures) {
                Object result = f.get(DEADLINE_SECONDS, TimeUnit.SECONDS);
                if (result instanceof Rule rule) {
                    refusals.add(rule);
                } else {
                    accepted++;
                }
            }
            return new Outcome(accepted, refusals);
        } finally {
            pool.shutdownNow();
        }
    }
}
