package org.etat.app.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.axonframework.config.Configuration;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.etat.app.axon.LruCache;
import org.etat.app.testsupport.EtatIntegrationTest;
import org.etat.ledger.budgetline.AmendAppropriation;
import org.etat.ledger.budgetline.BudgetLine;
import org.etat.ledger.budgetline.CoverGroup;
import org.etat.ledger.budgetline.EnactAppropriation;
import org.etat.ledger.budgetline.LineBalance;
import org.etat.ledger.budgetline.LineKind;
import org.etat.ledger.budgetline.OpenLine;
import org.etat.ledger.budgetline.RecordExpenditure;
import org.etat.ledger.budgetline.TitleKey;
import org.etat.ledger.common.LedgerRejection;
import org.etat.ledger.common.Receipt;
import org.etat.ledger.common.Rule;
import org.etat.ledger.conservation.ConservationCheck;
import org.etat.ledger.conservation.ConservationReport;
import org.etat.ledger.correction.ReverseEntry;
import org.etat.ledger.reallocation.LegalBasis;
import org.etat.ledger.reallocation.Reallocate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * A seeded random mix of spends, moves, amendments, reversals and cache evictions, with a snapshot
 * every 3 events. Oracle: every receipt's balance, every line reloaded from the store (snapshot plus
 * events) and the fold of the raw log agree, and the books balance. Replay a failure with
 * {@code -Detat.test.seed=<seed>}.
 */
@TestPropertySource(properties = "etat.ledger.snapshot.every-events=3")
class RandomizedLedgerTest extends EtatIntegrationTest {

    private static final List<String> LINES = List.of("2024-02010-51101", "2024-02010-51102", "2024-02010-51103");
    private static final int OPERATIONS = 150;
    /** Refusals the random mix may provoke; any other is a bug. */
    private static final Set<Rule> EXPECTED_REFUSALS = EnumSet.of(Rule.INSUFFICIENT_FUNDS, Rule.ENTRY_ALREADY_REVERSED,
            Rule.APPROPRIATION_BELOW_ZERO, Rule.REALLOCATION_WITHIN_ONE_LINE);

    @Autowired
    LedgerGateway ledger;
    @Autowired
    EventLog log;
    @Autowired
    LruCache budgetLineCache;
    @Autowired
    Configuration axon;

    @Test
    void randomEntriesKeepCacheSnapshotsAndLogInAgreement() throws Exception {
        long seed = Long.getLong("etat.test.seed", System.nanoTime());
        String replay = "seed " + seed + " (replay with -Detat.test.seed=" + seed + ")";
        Random random = new Random(seed);
        for (String line : LINES) {
            String[] p = line.split("-");
            ledger.send(new OpenLine(line, TitleKey.of(p[1], p[2]), "Test", LineKind.EXPENDITURE, false, List.of(CoverGroup.mutual("R")),
                    null), "t", "rnd-open-" + line);
            ledger.send(new EnactAppropriation(line, 5_000_00L, "HG", LocalDate.of(2024, 1, 1)), "t", "rnd-enact-" + line);
        }
        List<String> reversible = new ArrayList<>();
        int accepted = 0;
        for (int op = 0; op < OPERATIONS; op++) {
            String line = LINES.get(random.nextInt(LINES.size()));
            String other = LINES.get(random.nextInt(LINES.size()));
            long cents = 1 + random.nextInt(2_000_00);
            LocalDate date = LocalDate.of(2024, 1 + random.nextInt(12), 1 + random.nextInt(28));
            Object command = switch (random.nextInt(5)) {
                case 0, 1 -> new RecordExpenditure(line, cents, date, "Zahlung", "RND-" + op, null);
                case 2 -> new Reallocate(line, other, cents, LegalBasis.coverGroup("R"), "Ausgleich", date);
                case 3 -> new AmendAppropriation(line, random.nextBoolean() ? cents : -cents, "Nachtrag", date);
                default -> reversible.isEmpty() ? new RecordExpenditure(line, cents, date, "Zahlung", "RND-" + op, null)
                        : new ReverseEntry(reversible.get(random.nextInt(reversible.size())), "Storno", date);
            };
            try {
                Receipt receipt = ledger.send(command, "t", "rnd-" + seed + "-" + op);
                accepted++;
                if (command instanceof RecordExpenditure || command instanceof Reallocate) {
                    reversible.add(receipt.eventIds().get(0));
                }
                if (random.nextInt(4) == 0) {
                    Map<String, LineBalance> folded = log.balances();
                    int index = op;
                    receipt.availableCentsByLine().forEach((id, available) -> assertThat(available)
                            .as("%s: receipt of op %d on %s", replay, index, id).isEqualTo(folded.get(id).availableCents()));
                }
            } catch (LedgerRejection r) {
                assertThat(r.rule()).as("%s: op %d %s", replay, op, command).isIn(EXPECTED_REFUSALS);
            }
            if (random.nextInt(10) == 0) {
                budgetLineCache.removeAll();
            }
        }

        System.out.printf("%s: %d of %d operations accepted, %d reversible entries%n", replay, accepted, OPERATIONS, reversible.size());
        assertThat(accepted).as("%s: a mix that is mostly refused tests little", replay).isGreaterThan(OPERATIONS / 5);
        Map<String, LineBalance> folded = log.balances();
        for (String line : LINES) {
            assertThat(load(line).balance()).as("%s: cached %s", replay, line).isEqualTo(folded.get(line));
        }
        budgetLineCache.removeAll();
        for (String line : LINES) {
            assertThat(load(line).balance()).as("%s: reloaded %s", replay, line).isEqualTo(folded.get(line));
        }
        ConservationReport report = ConservationCheck.check(log.all().stream().map(EventLog.StoredEvent::recorded).toList());
        assertThat(report.balanced()).as("%s: %s", replay, report.firstViolation()).isTrue();
    }

    private BudgetLine.LineView load(String lineId) throws Exception {
        UnitOfWork<?> uow = DefaultUnitOfWork.startAndGet(null);
        try {
            return axon.repository(BudgetLine.class).load(lineId).invoke(BudgetLine::view);
        } finally {
            uow.rollback();
        }
    }
}
