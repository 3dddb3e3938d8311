package org.etat.app.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.etat.app.testsupport.EtatIntegrationTest;
import org.etat.ledger.budgetline.AmendAppropriation;
import org.etat.ledger.budgetline.EnactAppropriation;
import org.etat.ledger.budgetline.LineKind;
import org.etat.ledger.budgetline.OpenLine;
import org.etat.ledger.budgetline.RecordExpenditure;
import org.etat.ledger.budgetline.TitleKey;
import org.etat.ledger.common.LedgerRejection;
import org.etat.ledger.common.Receipt;
import org.etat.ledger.common.Rule;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/** A request id records at most once, whoever retries it, however often, on whichever node. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IdempotencyTest extends EtatIntegrationTest {

    @Autowired
    LedgerGateway ledger;
    @Autowired
    JdbcTemplate jdbc;

    ConfigurableApplicationContext secondNode;

    @BeforeAll
    void lineAndSecondNode() {
        ledger.send(new OpenLine("2024-05020-51101", TitleKey.of("05020", "51101"), "Test", LineKind.EXPENDITURE, false, List.of(), null),
                "setup", "idem-open");
        ledger.send(new EnactAppropriation("2024-05020-51101", 10_000_00L, "HG 2024", LocalDate.of(2024, 1, 1)), "setup", "idem-enact");
        secondNode = startAnotherNode(java.util.Map.of());
    }

    @AfterAll
    void stopSecondNode() {
        secondNode.close();
    }

    @Test
    void givenARecordedRequest_whenRetriedSequentially_thenTheSameReceiptAndNoSecondEntry() {
        RecordExpenditure spend = spend(100_00L, "DOC-SEQ");

        Receipt first = ledger.send(spend, "clerk", "req-seq");
        Receipt second = ledger.send(spend, "clerk", "req-seq");
        Receipt viaOtherNode = secondNode.getBean(LedgerGateway.class).send(spend, "clerk", "req-seq");

        assertThat(second).isEqualTo(first);
        assertThat(viaOtherNode).isEqualTo(first);
        assertThat(entriesWithDocument("DOC-SEQ")).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM request_log WHERE request_id = 'req-seq'", Long.class)).isEqualTo(1);
    }

    @Test
    void givenConcurrentRetriesOnTwoNodes_thenOneEntryAndEveryCallerGetsTheWinnersReceipt() throws Exception {
        RecordExpenditure spend = spend(7_00L, "DOC-CONC");
        LedgerGateway other = secondNode.getBean(LedgerGateway.class);
        int retries = 16;
        ExecutorService pool = Executors.newFixedThreadPool(retries);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Receipt>> futures = new ArrayList<>();
            for (int i = 0; i < retries; i++) {
                LedgerGateway node = i % 2 == 0 ? ledger : other;
                futures.add(pool.submit(() -> {
                    start.await();
                    return node.send(spend, "clerk", "req-conc");
                }));
            }
            start.countDown();
            List<Receipt> receipts = new ArrayList<>();
            for (Future<Receipt> f : futures) {
                receipts.add(f.get(120, TimeUnit.SECONDS));
            }
            assertThat(receipts).hasSize(retries).containsOnly(receipts.get(0));
        } finally {
            pool.shutdownNow();
        }
        assertThat(entriesWithDocument("DOC-CONC")).isEqualTo(1);
    }

    @Test
    void givenARecordedRequest_whenTheSameIdComesWithOtherContentOrFromSomeoneElse_thenItIsRefused() {
        ledger.send(spend(1_00L, "DOC-CONFLICT"), "clerk", "req-conflict");

        assertThatThrownBy(() -> ledger.send(spend(2_00L, "DOC-CONFLICT"), "clerk", "req-conflict"))
                .isInstanceOfSatisfying(LedgerRejection.class, r -> assertThat(r.rule()).isEqualTo(Rule.IDEMPOTENCY_CONFLICT));
        assertThatThrownBy(() -> ledger.send(spend(1_00L, "DOC-CONFLICT"), "someone-else", "req-conflict"))
                .isInstanceOfSatisfying(LedgerRejection.class, r -> assertThat(r.rule()).isEqualTo(Rule.IDEMPOTENCY_CONFLICT));
        assertThat(entriesWithDocument("DOC-CONFLICT")).isEqualTo(1);
    }

    @Test
    void givenARefusedRequest_whenRetriedAfterTheCauseIsGone_thenItRecords() {
        // A refusal records nothing, not even the request id: the retry is judged afresh.
        assertThatThrownBy(() -> ledger.send(spend(20_000_00L, "DOC-TOO-MUCH"), "clerk", "req-refused"))
                .isInstanceOfSatisfying(LedgerRejection.class, r -> assertThat(r.rule()).isEqualTo(Rule.INSUFFICIENT_FUNDS));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM request_log WHERE request_id = 'req-refused'", Long.class)).isZero();
        ledger.send(new AmendAppropriation("2024-05020-51101", 20_000_00L, "Nachtragshaushalt 2024", LocalDate.of(2024, 4, 1)),
                "setup", "idem-amend");

        ledger.send(spend(20_000_00L, "DOC-TOO-MUCH"), "clerk", "req-refused");

        assertThat(entriesWithDocument("DOC-TOO-MUCH")).isEqualTo(1);
    }

    private static RecordExpenditure spend(long cents, String document) {
        return new RecordExpenditure("2024-05020-51101", cents, LocalDate.of(2024, 4, 2), "Büromaterial", document, null);
    }

    private long entriesWithDocument(String document) {
        return jdbc.queryForObject("SELECT count(*) FROM domain_event_entry WHERE convert_from(payload, 'UTF8')::jsonb ->> 'documentReference' = ?",
                Long.class, document);
    }
}
