package org.etat.ledger.handlers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.etat.ledger.testing.Commands.batch;
import static org.etat.ledger.testing.Commands.carryOver;
import static org.etat.ledger.testing.Commands.closeYear;
import static org.etat.ledger.testing.Commands.date;
import static org.etat.ledger.testing.Commands.enact;
import static org.etat.ledger.testing.Commands.open;
import static org.etat.ledger.testing.Commands.reallocate;
import static org.etat.ledger.testing.Commands.reverse;
import static org.etat.ledger.testing.Commands.spend;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.etat.ledger.batch.BatchEntry;
import org.etat.ledger.budgetline.CoverGroup;
import org.etat.ledger.budgetline.CoverGroup.CoverRole;
import org.etat.ledger.budgetline.LineBalance;
import org.etat.ledger.carryover.RemainderCarriedIn;
import org.etat.ledger.carryover.RemainderCarriedOut;
import org.etat.ledger.common.LedgerRejection;
import org.etat.ledger.common.LedgerRejection.EntryError;
import org.etat.ledger.common.Receipt;
import org.etat.ledger.common.Rule;
import org.etat.ledger.conservation.RecordedEvent;
import org.etat.ledger.correction.EntryReversed;
import org.etat.ledger.reallocation.LegalBasis;
import org.etat.ledger.reallocation.ReallocatedIn;
import org.etat.ledger.reallocation.ReallocatedOut;
import org.etat.ledger.testing.InMemoryLedger;
import org.etat.ledger.yearclose.LapsedAtClose;
import org.etat.ledger.yearclose.YearClosed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Commands that touch two or more lines, on the real handlers over an in-memory Axon event store. */
class MultiLineHandlersTest {

    /** Gives only (deckungspflichtig) in cover group TG69. */
    static final String GIVER = "2024-08030-54669";
    /** Receives only (deckungsberechtigt) in TG69. */
    static final String RECEIVER = "2024-08030-63369";
    /** Gives and receives in TG69; its id sorts before the others, so its leg is applied first. */
    static final String MUTUAL = "2024-08020-68669";
    /** In no cover group. */
    static final String LONER = "2024-08030-52701";
    static final String REVENUE = "2024-08030-11969";
    static final String GIVER_2025 = "2025-08030-54669";
    static final LegalBasis TG69 = LegalBasis.coverGroup("TG69");
    static final LocalDate ON = date(2024, 6, 1);

    private InMemoryLedger ledger;

    @BeforeEach
    void setUp() {
        ledger = new InMemoryLedger();
        ledger.send(open(GIVER, true, new CoverGroup("TG69", CoverRole.GIVES)));
        ledger.send(open(RECEIVER, false, new CoverGroup("TG69", CoverRole.RECEIVES)));
        ledger.send(open(MUTUAL, false, CoverGroup.mutual("TG69")));
        ledger.send(open(LONER, false));
        ledger.send(open(REVENUE, false));
        for (String line : List.of(GIVER, RECEIVER, MUTUAL, LONER)) {
            ledger.send(enact(line, 100_000, date(2024, 1, 1)));
        }
    }

    @AfterEach
    void tearDown() {
        assertThat(ledger.conservation().balanced()).as(() -> ledger.conservation().firstViolation().toString()).isTrue();
        ledger.close();
    }

    private long available(String lineId) {
        return ledger.view(lineId).balance().availableCents();
    }

    private void assertRefused(Rule rule, Object command) {
        int before = ledger.log().size();
        assertThatThrownBy(() -> ledger.send(command))
                .isInstanceOf(LedgerRejection.class)
                .satisfies(e -> assertThat(((LedgerRejection) e).rule()).as(e.getMessage()).isEqualTo(rule));
        assertThat(ledger.log()).as("a refused command records nothing").hasSize(before);
    }

    // ------------------------------------------------------------------ reallocation

    @Test
    void reallocationRecordsBothLegsInOneStep() {
        Receipt receipt = ledger.send(reallocate(GIVER, RECEIVER, 30_000, TG69, ON));

        ReallocatedOut out = (ReallocatedOut) last(GIVER);
        ReallocatedIn in = (ReallocatedIn) last(RECEIVER);
        assertThat(out).isEqualTo(new ReallocatedOut(GIVER, out.reallocationId(), RECEIVER, 30_000, TG69, "Umschichtung", ON));
        assertThat(in).isEqualTo(new ReallocatedIn(RECEIVER, out.reallocationId(), GIVER, 30_000, TG69, "Umschichtung", ON));
        assertThat(available(GIVER)).isEqualTo(70_000);
        assertThat(available(RECEIVER)).isEqualTo(130_000);
        assertThat(receipt.availableCentsByLine()).isEqualTo(Map.of(GIVER, 70_000L, RECEIVER, 130_000L));
        List<String> logIds = ledger.log().stream().map(RecordedEvent::eventId).toList();
        assertThat(receipt.eventIds()).hasSize(2).isSubsetOf(logIds);
    }

    @Test
    void coverGroupRolesDecideTheDirection() {
        ledger.send(reallocate(GIVER, MUTUAL, 1_000, TG69, ON));
        ledger.send(reallocate(MUTUAL, RECEIVER, 1_000, TG69, ON));
        assertRefused(Rule.REALLOCATION_NEEDS_COVER, reallocate(RECEIVER, GIVER, 1_000, TG69, ON));
        assertRefused(Rule.REALLOCATION_NEEDS_COVER, reallocate(RECEIVER, MUTUAL, 1_000, TG69, ON));
        assertRefused(Rule.REALLOCATION_NEEDS_COVER, reallocate(MUTUAL, GIVER, 1_000, TG69, ON));
        assertThat(available(MUTUAL)).isEqualTo(100_000);
        assertThat(available(RECEIVER)).isEqualTo(101_000);
    }

    @Test
    void reallocationWithoutSharedCoverGroupOrConsentIsRefused() {
        assertRefused(Rule.REALLOCATION_NEEDS_COVER, reallocate(GIVER, LONER, 1_000, TG69, ON));
        assertRefused(Rule.REALLOCATION_NEEDS_COVER, reallocate(GIVER, RECEIVER, 1_000, LegalBasis.coverGroup("TG70"), ON));
        assertRefused(Rule.REALLOCATION_NEEDS_COVER, reallocate(GIVER, LONER, 1_000, null, ON));
        assertThatThrownBy(() -> LegalBasis.consent(" ")).isInstanceOf(LedgerRejection.class);
    }

    @Test
    void consentOrBudgetNoteIsABasisOfItsOwn() {
        ledger.send(reallocate(GIVER, LONER, 1_000, LegalBasis.consent("FM 2024/17"), ON));
        ledger.send(reallocate(LONER, RECEIVER, 500, LegalBasis.budgetNote("HV Kap. 08030 Nr. 3"), ON));
        assertThat(available(LONER)).isEqualTo(100_500);
    }

    @Test
    void reallocationAcrossYearsIsRefused() {
        ledger.send(open(GIVER_2025, true, new CoverGroup("TG69", CoverRole.GIVES)));
        assertRefused(Rule.REALLOCATION_ACROSS_YEARS, reallocate(GIVER, GIVER_2025, 1_000, LegalBasis.consent("FM"), ON));
    }

    @Test
    void reallocationWithinOneLineIsRefused() {
        assertRefused(Rule.REALLOCATION_WITHIN_ONE_LINE, reallocate(GIVER, GIVER, 1_000, TG69, ON));
    }

    @Test
    void reallocationBeyondAvailableIsRefusedWithoutAHalfMove() {
        // MUTUAL sorts first: its in-leg would be decided before GIVER's out-leg is refused.
        assertRefused(Rule.INSUFFICIENT_FUNDS, reallocate(GIVER, MUTUAL, 100_001, TG69, ON));
        assertThat(available(MUTUAL)).isEqualTo(100_000);
        assertThat(ledger.eventsOf(MUTUAL)).noneMatch(e -> e instanceof ReallocatedIn);
    }

    @Test
    void reallocationTouchingARevenueOrMissingLineIsRefused() {
        assertRefused(Rule.REVENUE_LINE_HAS_NO_FUNDS, reallocate(GIVER, REVENUE, 1, LegalBasis.consent("FM"), ON));
        assertRefused(Rule.LINE_NOT_OPEN, reallocate(GIVER, "2024-08030-54999", 1, LegalBasis.consent("FM"), ON));
        assertRefused(Rule.EFFECTIVE_DATE_OUTSIDE_YEAR, reallocate(GIVER, RECEIVER, 1, TG69, date(2025, 1, 1)));
        assertRefused(Rule.AMOUNT_NOT_POSITIVE, reallocate(GIVER, RECEIVER, 0, TG69, ON));
    }

    // ------------------------------------------------------------------ carry-over

    @Test
    void carryOverMovesTheRemainderToTheSameTitleNextYear() {
        ledger.send(open(GIVER_2025, true));
        Receipt receipt = ledger.send(carryOver(GIVER, 40_000, date(2024, 12, 15)));

        RemainderCarriedOut out = (RemainderCarriedOut) last(GIVER);
        RemainderCarriedIn in = (RemainderCarriedIn) last(GIVER_2025);
        assertThat(out).isEqualTo(new RemainderCarriedOut(GIVER, out.carryOverId(), GIVER_2025, 40_000, "FM-45-2024-12-15", "Ausgaberest",
                date(2024, 12, 15)));
        assertThat(in).isEqualTo(new RemainderCarriedIn(GIVER_2025, out.carryOverId(), GIVER, 40_000, "FM-45-2024-12-15", "Ausgaberest",
                date(2025, 1, 1)));
        assertThat(receipt.eventIds()).hasSize(2);
        assertThat(available(GIVER)).isEqualTo(60_000);
        assertThat(available(GIVER_2025)).isEqualTo(40_000);
    }

    @Test
    void carryOverToAMissingTargetIsRefused() {
        assertRefused(Rule.CARRY_OVER_TARGET_INVALID, carryOver(GIVER, 1_000, ON));
    }

    @Test
    void carryOverFromNonTransferableLineIsRefused() {
        ledger.send(open("2025-08030-63369", false));
        assertRefused(Rule.CARRY_OVER_NOT_TRANSFERABLE, carryOver(RECEIVER, 1_000, ON));
    }

    @Test
    void carryOverBeyondAvailableOrWithoutConsentIsRefused() {
        ledger.send(open(GIVER_2025, true));
        assertRefused(Rule.INSUFFICIENT_FUNDS, carryOver(GIVER, 100_001, ON));
        assertRefused(Rule.LEGAL_BASIS_REQUIRED, new org.etat.ledger.carryover.CarryOverRemainder(GIVER, 1, null, null, ON));
    }

    @Test
    void carryOverIntoAClosedYearIsRefused() {
        ledger.send(open(GIVER_2025, true));
        ledger.send(closeYear(2025));
        assertRefused(Rule.YEAR_CLOSED, carryOver(GIVER, 1_000, ON));
        assertThat(available(GIVER)).isEqualTo(100_000);
    }

    // ------------------------------------------------------------------ § 45: a remainder lives until the end of the second year after its grant

    static final String GIVER_2022 = "2022-08030-54669";
    static final String GIVER_2023 = "2023-08030-54669";

    /** 2022 money carried into 2023 and on into 2024, where it is in its last year; own 2024 money is 100,000 cents. */
    private void givenRemainderOf2022CarriedInto2024(long cents) {
        ledger.send(open(GIVER_2022, true));
        ledger.send(open(GIVER_2023, true));
        ledger.send(enact(GIVER_2022, cents, date(2022, 1, 1)));
        ledger.send(carryOver(GIVER_2022, cents, date(2022, 12, 15)));
        ledger.send(carryOver(GIVER_2023, cents, date(2023, 12, 15)));
    }

    @Test
    void remainderMayBeCarriedIntoTheSecondYearAfterItsGrant() {
        givenRemainderOf2022CarriedInto2024(40_000);

        RemainderCarriedIn in = (RemainderCarriedIn) last(GIVER);
        assertThat(in.grantYearCents()).containsExactly(Map.entry(2022, 40_000L));
        assertThat(((RemainderCarriedOut) last(GIVER_2023)).grantYearCents()).containsExactly(Map.entry(2022, 40_000L));
        assertThat(available(GIVER)).isEqualTo(140_000);
    }

    @Test
    void remainderCannotBeCarriedBeyondTheSecondYearAfterItsGrant() {
        givenRemainderOf2022CarriedInto2024(40_000);
        ledger.send(open(GIVER_2025, true));

        assertRefused(Rule.REMAINDER_EXPIRED, carryOver(GIVER, 100_001, date(2024, 12, 15)));
        assertRefused(Rule.INSUFFICIENT_FUNDS, carryOver(GIVER, 140_001, date(2024, 12, 15)));
        ledger.send(carryOver(GIVER, 100_000, date(2024, 12, 15)));
        assertThat(((RemainderCarriedIn) last(GIVER_2025)).grantYearCents()).containsExactly(Map.entry(2024, 100_000L));
        assertRefused(Rule.REMAINDER_EXPIRED, carryOver(GIVER, 1, date(2024, 12, 16)));
    }

    @Test
    void oldestMoneyIsSpentFirst() {
        givenRemainderOf2022CarriedInto2024(40_000);
        ledger.send(open(GIVER_2025, true));
        ledger.send(spend(GIVER, 30_000, ON));

        // 10,000 of the 2022 money are left and expire with 2024; the 100,000 of 2024 may go on.
        assertRefused(Rule.REMAINDER_EXPIRED, carryOver(GIVER, 100_001, date(2024, 12, 15)));
        ledger.send(spend(GIVER, 10_000, ON));
        ledger.send(carryOver(GIVER, 100_000, date(2024, 12, 15)));
        assertThat(available(GIVER)).isZero();
    }

    @Test
    void carryOverTakesTheOldestCarryableMoneyFirstAndSaysSoInBothLegs() {
        ledger.send(open(GIVER_2023, true));
        ledger.send(enact(GIVER_2023, 30_000, date(2023, 1, 1)));
        ledger.send(carryOver(GIVER_2023, 30_000, date(2023, 12, 15)));
        ledger.send(open(GIVER_2025, true));

        ledger.send(carryOver(GIVER, 50_000, date(2024, 12, 15)));

        Map<Integer, Long> split = Map.of(2023, 30_000L, 2024, 20_000L);
        assertThat(((RemainderCarriedOut) last(GIVER)).grantYearCents()).isEqualTo(split);
        assertThat(((RemainderCarriedIn) last(GIVER_2025)).grantYearCents()).isEqualTo(split);
    }

    @Test
    void reversingACarryOverReturnsTheMoneyToItsGrantYears() {
        givenRemainderOf2022CarriedInto2024(40_000);
        String carriedInto2024 = ledger.log().stream()
                .filter(r -> r.payload() instanceof RemainderCarriedIn in && in.lineId().equals(GIVER)).findFirst().orElseThrow().eventId();

        ledger.send(reverse(carriedInto2024, date(2023, 12, 18)));

        assertThat(((EntryReversed) last(GIVER)).grantYearCents()).containsExactly(Map.entry(2022, -40_000L));
        assertThat(((EntryReversed) last(GIVER_2023)).grantYearCents()).containsExactly(Map.entry(2022, -40_000L));
        assertThat(available(GIVER_2023)).isEqualTo(40_000);
        // Back in 2023, the 2022 money may be carried into 2024 again.
        ledger.send(carryOver(GIVER_2023, 40_000, date(2023, 12, 20)));
        assertThat(available(GIVER)).isEqualTo(140_000);
    }

    @Test
    void remainderInItsLastYearLapsesAtCloseEvenOnATransferableLine() {
        givenRemainderOf2022CarriedInto2024(40_000);
        ledger.send(spend(GIVER, 30_000, ON));

        ledger.send(closeYear(2024));

        LapsedAtClose lapsed = ledger.eventsOf(GIVER).stream().filter(LapsedAtClose.class::isInstance).map(LapsedAtClose.class::cast)
                .findFirst().orElseThrow();
        assertThat(lapsed.lapsedCents()).isEqualTo(110_000);
        assertThat(lapsed.reason()).contains("100.00 of it were remainders").contains("§ 45");
    }

    // ------------------------------------------------------------------ reversal of two-leg entries

    @Test
    void reversalOfAReallocationReversesBothLegs() {
        Receipt moved = ledger.send(reallocate(GIVER, MUTUAL, 30_000, TG69, ON));
        Receipt reversed = ledger.send(reverse(moved.eventIds().get(1), date(2024, 7, 1)));

        assertThat(reversed.eventIds()).hasSize(2);
        EntryReversed onGiver = (EntryReversed) last(GIVER);
        EntryReversed onMutual = (EntryReversed) last(MUTUAL);
        assertThat(onGiver.reversalId()).isEqualTo(onMutual.reversalId());
        assertThat(onGiver.deltaCents()).isEqualTo(-30_000);
        assertThat(onMutual.deltaCents()).isEqualTo(-30_000);
        assertThat(available(GIVER)).isEqualTo(100_000);
        assertThat(available(MUTUAL)).isEqualTo(100_000);
        LineBalance giver = ledger.view(GIVER).balance();
        assertThat(giver.reallocatedOutCents()).isZero();

        assertRefused(Rule.ENTRY_ALREADY_REVERSED, reverse(moved.eventIds().get(0), date(2024, 7, 2)));
        assertRefused(Rule.ENTRY_ALREADY_REVERSED, reverse(moved.eventIds().get(1), date(2024, 7, 2)));
    }

    @Test
    void reversalOfAReallocationWhoseMoneyWasSpentIsRefused() {
        Receipt moved = ledger.send(reallocate(GIVER, MUTUAL, 30_000, TG69, ON));
        ledger.send(spend(MUTUAL, 120_000, ON));
        assertRefused(Rule.INSUFFICIENT_FUNDS, reverse(moved.eventIds().get(0), ON));
        assertThat(available(GIVER)).isEqualTo(70_000);
    }

    @Test
    void reversalOfACarryOverReversesBothLegs() {
        ledger.send(open(GIVER_2025, true));
        Receipt carried = ledger.send(carryOver(GIVER, 40_000, date(2024, 12, 15)));
        Receipt reversed = ledger.send(reverse(carried.eventIds().get(0), date(2024, 12, 20)));

        assertThat(reversed.eventIds()).hasSize(2);
        assertThat(((EntryReversed) last(GIVER)).effectiveDate()).isEqualTo(date(2024, 12, 20));
        assertThat(((EntryReversed) last(GIVER_2025)).effectiveDate()).isEqualTo(date(2025, 1, 1));
        assertThat(available(GIVER)).isEqualTo(100_000);
        assertThat(available(GIVER_2025)).isZero();
    }

    @Test
    void expenditureReversalOnTheBusFreesTheFunds() {
        Receipt spent = ledger.send(spend(GIVER, 25_000, ON));
        ledger.send(reverse(spent.eventIds().get(0), ON));
        assertThat(available(GIVER)).isEqualTo(100_000);
        assertRefused(Rule.ENTRY_ALREADY_REVERSED, reverse(spent.eventIds().get(0), ON));
        assertRefused(Rule.REVERSAL_TARGET_UNKNOWN, reverse("no-such-event", ON));
    }

    // ------------------------------------------------------------------ batch

    @Test
    void batchIsAllOrNothingAndNamesEveryBrokenEntry() {
        int before = ledger.log().size();
        assertThatThrownBy(() -> ledger.send(batch(
                BatchEntry.expenditure(GIVER, 60_000, ON, "a", "D1", null),
                BatchEntry.expenditure(GIVER, 60_000, ON, "b", "D2", null),
                new BatchEntry(BatchEntry.Kind.REVENUE, GIVER, 1, ON, "c", "D3", null, null),
                BatchEntry.expenditure("2024-08030-54999", 1, ON, "d", "D4", null),
                BatchEntry.expenditure(GIVER, 40_000, ON, "e", "D5", null),
                BatchEntry.expenditure(RECEIVER, 1, date(2023, 1, 1), "f", "D6", null))))
                .isInstanceOfSatisfying(LedgerRejection.class, e -> {
                    assertThat(e.rule()).isEqualTo(Rule.BATCH_REJECTED);
                    assertThat(e.entryErrors()).extracting(EntryError::index, EntryError::rule).containsExactly(
                            org.assertj.core.groups.Tuple.tuple(1, Rule.INSUFFICIENT_FUNDS),
                            org.assertj.core.groups.Tuple.tuple(2, Rule.EXPENDITURE_LINE_TAKES_NO_REVENUE),
                            org.assertj.core.groups.Tuple.tuple(3, Rule.LINE_NOT_OPEN),
                            org.assertj.core.groups.Tuple.tuple(5, Rule.EFFECTIVE_DATE_OUTSIDE_YEAR));
                });
        assertThat(ledger.log()).hasSize(before);
        assertThat(available(GIVER)).isEqualTo(100_000);
    }

    @Test
    void batchJudgesEachEntryOnTheBalanceLeftByTheEntriesBefore() {
        Receipt receipt = ledger.send(batch(
                BatchEntry.expenditure(GIVER, 60_000, ON, "a", "D1", null),
                new BatchEntry(BatchEntry.Kind.REVENUE, REVENUE, 5, ON, "c", "D3", null, Map.of("sourceRow", "3")),
                BatchEntry.expenditure(GIVER, 40_000, ON, "b", "D2", "P-17")));
        assertThat(receipt.eventIds()).hasSize(3);
        assertThat(available(GIVER)).isZero();
        assertThat(ledger.view(REVENUE).balance().revenueCents()).isEqualTo(5);
        assertRefused(Rule.BATCH_REJECTED, batch(BatchEntry.expenditure(GIVER, 1, ON, "a", "D9", null)));
        assertRefused(Rule.BATCH_REJECTED, batch());
    }

    // ------------------------------------------------------------------ year close

    @Test
    void yearCloseLapsesEveryLineAndRefusesLaterEntries() {
        ledger.send(spend(GIVER, 30_000, ON));
        ledger.send(org.etat.ledger.testing.Commands.block(RECEIVER, 10_000, ON));
        Receipt closed = ledger.send(closeYear(2024));

        assertThat(ledger.eventsOf(GIVER)).contains(new LapsedAtClose(GIVER, 70_000, 0, "no remainder was formed (§ 45): the rest lapses",
                date(2024, 12, 31)));
        assertThat(ledger.eventsOf(RECEIVER)).contains(new LapsedAtClose(RECEIVER, 100_000, 10_000,
                "the line is not transferable: the rest lapses (Verfall)", date(2024, 12, 31)));
        for (String line : List.of(GIVER, RECEIVER, MUTUAL, LONER, REVENUE)) {
            assertThat(last(line)).isInstanceOf(YearClosed.class);
            assertThat(available(line)).isZero();
        }
        // Four lapses and five closes.
        assertThat(closed.eventIds()).hasSize(9);
        assertThat(closed.availableCentsByLine()).hasSize(5);

        assertRefused(Rule.YEAR_CLOSED, spend(GIVER, 1, ON));
        assertRefused(Rule.YEAR_CLOSED, open("2024-08030-54670", false));
        assertRefused(Rule.YEAR_CLOSED, closeYear(2024));
        assertRefused(Rule.YEAR_HAS_NO_LINES, closeYear(2030));
    }

    @Test
    void aReceiptNamesTheEventTheStoreHolds() {
        Receipt receipt = ledger.send(spend(GIVER, 1, ON));
        List<RecordedEvent> log = ledger.log();
        assertThat(receipt.eventIds()).containsExactly(log.get(log.size() - 1).eventId());
        assertThat(receipt.availableCentsByLine()).isEqualTo(Map.of(GIVER, 99_999L));
    }

    @Test
    void aLineClosedOnItsOwnDoesNotBlockTheYearsClose() {
        ledger.send(new org.etat.ledger.yearclose.CloseLine(LONER, "closed early"));
        ledger.send(closeYear(2024));
        assertThat(ledger.eventsOf(LONER)).filteredOn(YearClosed.class::isInstance).hasSize(1);
        assertThat(last(GIVER)).isInstanceOf(YearClosed.class);
        assertRefused(Rule.YEAR_CLOSED, spend(GIVER, 1, ON));
    }

    @Test
    void aCommandOnALineThatWasNeverOpenedIsNotRecorded() {
        // Single-line commands reach the aggregate through Axon, which reports the missing line itself;
        // the HTTP layer maps that to LINE_NOT_OPEN. Multi-line commands report the rule directly.
        int before = ledger.log().size();
        assertThatThrownBy(() -> ledger.send(spend("2024-08030-54999", 1, ON)))
                .isInstanceOf(org.axonframework.modelling.command.AggregateNotFoundException.class);
        assertThat(ledger.log()).hasSize(before);
    }

    private Object last(String lineId) {
        List<Object> events = ledger.eventsOf(lineId);
        return events.get(events.size() - 1);
    }
}
