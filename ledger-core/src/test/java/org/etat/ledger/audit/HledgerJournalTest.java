package org.etat.ledger.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.etat.ledger.budgetline.AppropriationEnacted;
import org.etat.ledger.budgetline.Component;
import org.etat.ledger.budgetline.ExpenditureRecorded;
import org.etat.ledger.budgetline.FundsBlocked;
import org.etat.ledger.budgetline.LineBalance;
import org.etat.ledger.budgetline.LineKind;
import org.etat.ledger.budgetline.LineOpened;
import org.etat.ledger.budgetline.RevenueRecorded;
import org.etat.ledger.budgetline.TitleKey;
import org.etat.ledger.correction.EntryReversed;
import org.etat.ledger.reallocation.LegalBasis;
import org.etat.ledger.reallocation.ReallocatedIn;
import org.etat.ledger.reallocation.ReallocatedOut;
import org.etat.ledger.yearclose.LapsedAtClose;
import org.etat.ledger.yearclose.YearClosed;
import org.junit.jupiter.api.Test;

class HledgerJournalTest {
    private static final String A = "2024-08030-54669";
    private static final String B = "2024-08030-53101";
    private static final String R = "2024-08030-11901";
    private static final LocalDate D = LocalDate.of(2024, 3, 1);

    private static LedgerEntry entry(long seq, Object payload) {
        return new LedgerEntry(seq, "ev-" + seq, payload, Map.of("principal", "kasse, fm"));
    }

    @Test
    void smallHistoryGivesExactlyThisJournal() {
        List<LedgerEntry> entries = List.of(
                entry(1, new LineOpened(A, 2024, TitleKey.of("08030", "54669"), "Ruhrkonferenz", LineKind.EXPENDITURE, true,
                        List.of(), D)),
                entry(2, new AppropriationEnacted(A, 70_000_000L, "HG 2024", D)),
                entry(3, new ExpenditureRecorded(A, 39_764L, D, "Zahlung", "RE-1", null)),
                entry(4, new FundsBlocked(A, 100_000L, "§ 22", D)),
                entry(5, new ReallocatedOut(A, "r1", B, 500_000L, LegalBasis.coverGroup("DK"), "x", D)),
                entry(6, new ReallocatedIn(B, "r1", A, 500_000L, LegalBasis.coverGroup("DK"), "x", D)),
                entry(7, new RevenueRecorded(R, 12_345L, D, "Gebühr", "KA-1", null)),
                entry(8, new EntryReversed(A, "s1", "ev-3", "ExpenditureRecorded", Component.SPENT, -39_764L, "Storno", D)),
                entry(9, new LapsedAtClose(A, 69_500_000L, 100_000L, "Verfall", LocalDate.of(2024, 12, 31))),
                entry(10, new YearClosed(A, 2024, "Abschluss", LocalDate.of(2024, 12, 31))));

        String journal = HledgerJournal.export(entries);

        assertThat(journal).isEqualTo("""
                ; Etat ledger, exported as an hledger journal (one transaction per event, in log order).
                ; budget:<year>:<Kapitel>:<Titel> holds the amount available on that budget line.

                commodity 1000.00 EUR

                account blocked:2024:08030:54669
                account budget:2024:08030:53101
                account budget:2024:08030:54669
                account clearing:reallocation
                account inflow:revenue
                account lapse
                account law:appropriation
                account outflow:expenditure
                account revenue:2024:08030:11901

                2024-03-01 (2) AppropriationEnacted 2024-08030-54669  ; event:ev-2, principal:kasse_ fm
                    budget:2024:08030:54669         700000.00 EUR
                    law:appropriation              -700000.00 EUR

                2024-03-01 (3) ExpenditureRecorded 2024-08030-54669  ; event:ev-3, principal:kasse_ fm
                    budget:2024:08030:54669           -397.64 EUR
                    outflow:expenditure                397.64 EUR

                2024-03-01 (4) FundsBlocked 2024-08030-54669  ; event:ev-4, principal:kasse_ fm
                    budget:2024:08030:54669           -1000.00 EUR
                    blocked:2024:08030:54669           1000.00 EUR

                2024-03-01 (5) ReallocatedOut 2024-08030-54669  ; event:ev-5, principal:kasse_ fm
                    budget:2024:08030:54669          -5000.00 EUR
                    clearing:reallocation             5000.00 EUR

                2024-03-01 (6) ReallocatedIn 2024-08030-53101  ; event:ev-6, principal:kasse_ fm
                    budget:2024:08030:53101           5000.00 EUR
                    clearing:reallocation            -5000.00 EUR

                2024-03-01 (7) RevenueRecorded 2024-08030-11901  ; event:ev-7, principal:kasse_ fm
                    revenue:2024:08030:11901            123.45 EUR
                    inflow:revenue                     -123.45 EUR

                2024-03-01 (8) EntryReversed 2024-08030-54669  ; event:ev-8, principal:kasse_ fm
                    budget:2024:08030:54669            397.64 EUR
                    outflow:expenditure               -397.64 EUR

                2024-12-31 (9) LapsedAtClose 2024-08030-54669  ; event:ev-9, principal:kasse_ fm
                    budget:2024:08030:54669         -694000.00 EUR
                    blocked:2024:08030:54669          -1000.00 EUR
                    lapse                            695000.00 EUR
                """);
        Map<String, Long> sums = JournalParsing.balances(journal);
        assertThat(sums.get("budget:2024:08030:54669")).isZero();
        assertThat(sums.get("blocked:2024:08030:54669")).isZero();
        assertThat(sums.get("clearing:reallocation")).isZero();
    }

    @Test
    void randomHistoryBalancesEveryTransactionAndEveryLineAccountIsTheAvailableAmount() {
        long seed = Seeds.seed("HledgerJournalTest");
        RandomHistory history = RandomHistory.generate(new Random(seed), 600);

        String journal = HledgerJournal.export(history.entries);

        for (List<JournalParsing.Posting> t : JournalParsing.transactions(journal)) {
            assertThat(t.stream().mapToLong(JournalParsing.Posting::cents).sum()).as("seed %d: %s", seed, t).isZero();
        }
        Map<String, Long> sums = JournalParsing.balances(journal);
        for (Map.Entry<String, LineBalance> line : history.balances.entrySet()) {
            String path = line.getKey().replace('-', ':');
            LineBalance b = line.getValue();
            assertThat(sums.getOrDefault("budget:" + path, 0L)).as("seed %d, line %s", seed, line.getKey())
                    .isEqualTo(b.availableCents());
            assertThat(sums.getOrDefault("blocked:" + path, 0L)).as("seed %d", seed).isEqualTo(b.blockedCents());
            assertThat(sums.getOrDefault("revenue:" + path, 0L)).as("seed %d", seed).isEqualTo(b.revenueCents());
        }
    }

    @Test
    void tagValuesCannotBreakTheCommentLine() {
        assertThat(HledgerJournal.tagValue("a,b;c\nd\re\tf")).isEqualTo("a_b_c_d_e_f");
    }
}
