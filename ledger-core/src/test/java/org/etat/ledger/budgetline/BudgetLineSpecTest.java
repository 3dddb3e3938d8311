package org.etat.ledger.budgetline;

import static org.axonframework.test.matchers.Matchers.exactSequenceOf;
import static org.axonframework.test.matchers.Matchers.predicate;
import static org.etat.ledger.testing.Commands.amend;
import static org.etat.ledger.testing.Commands.block;
import static org.etat.ledger.testing.Commands.consent;
import static org.etat.ledger.testing.Commands.date;
import static org.etat.ledger.testing.Commands.enact;
import static org.etat.ledger.testing.Commands.open;
import static org.etat.ledger.testing.Commands.release;
import static org.etat.ledger.testing.Commands.revenue;
import static org.etat.ledger.testing.Commands.reverse;
import static org.etat.ledger.testing.Commands.spend;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.matchers.Matchers;
import org.etat.ledger.common.LedgerRejection;
import org.etat.ledger.common.Limits;
import org.etat.ledger.common.Rule;
import org.etat.ledger.correction.EntryLocator;
import org.etat.ledger.correction.EntryReversed;
import org.etat.ledger.correction.ReversalHandler;
import org.etat.ledger.money.Money;
import org.etat.ledger.yearclose.CloseLine;
import org.etat.ledger.yearclose.LapsedAtClose;
import org.etat.ledger.yearclose.YearClosed;
import org.etat.ledger.yearclose.YearDirectory;
import org.hamcrest.Matcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One specification per rule of a single budget line, given events, when a command, then events or the rule that refuses it. */
class BudgetLineSpecTest {

    static final String LINE = "2024-08030-54669";
    static final String REVENUE_LINE = "2024-08030-11969";
    static final LocalDate ON = date(2024, 3, 1);
    static final long APPROPRIATION = 70_000_000; // 700,000.00

    private AggregateTestFixture<BudgetLine> fixture;
    private final Map<String, EntryLocator.LocatedEntry> entries = new HashMap<>();

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(BudgetLine.class);
        fixture.registerInjectableResource(YearDirectory.NONE);
        EntryLocator locator = eventId -> Optional.ofNullable(entries.get(eventId));
        LineLoader loader = new LineLoader(fixture.getRepository());
        fixture.registerAnnotatedCommandHandler(new ReversalHandler(loader, locator));
        // Two-line handlers run on the fixture's repository as far as one aggregate allows (the fixture's
        // store refuses to load a second aggregate); their other rules are specified on the in-memory
        // ledger (MultiLineHandlersTest).
        fixture.registerAnnotatedCommandHandler(new org.etat.ledger.reallocation.ReallocationHandler(loader));
        fixture.registerAnnotatedCommandHandler(new org.etat.ledger.carryover.CarryOverHandler(loader));
    }

    static LineOpened opened(String lineId, boolean transferable, CoverGroup... groups) {
        OpenLine c = open(lineId, transferable, groups);
        return new LineOpened(c.lineId(), BudgetLineId.parse(lineId).year().value(), c.key(), c.purpose(), c.kind(), transferable,
                List.of(groups), c.effectiveDate());
    }

    static AppropriationEnacted enacted(String lineId, long cents) {
        return new AppropriationEnacted(lineId, cents, "Haushaltsgesetz 2024", date(2024, 1, 1));
    }

    static ExpenditureRecorded spent(String lineId, long cents, LocalDate on) {
        return new ExpenditureRecorded(lineId, cents, on, "payment", "DOC-" + on + "-" + cents, null);
    }

    static Matcher<Object> refusedBy(Rule rule) {
        return predicate(e -> e instanceof LedgerRejection r && r.rule() == rule);
    }

    private void expectRefusal(Rule rule, Object command, Object... given) {
        fixture.given(given).when(command)
                .expectException(LedgerRejection.class)
                .expectException(refusedBy(rule))
                .expectNoEvents();
    }

    // ------------------------------------------------------------------ opening

    @Test
    void openingALineRecordsItsTitleKindAndCoverGroups() {
        CoverGroup group = CoverGroup.mutual("TG69");
        fixture.givenNoPriorActivity()
                .when(open(LINE, true, group))
                .expectSuccessfulHandlerExecution()
                .expectEvents(opened(LINE, true, group));
    }

    @Test
    void secondOpeningIsRefused() {
        expectRefusal(Rule.LINE_ALREADY_OPEN, open(LINE, false), opened(LINE, false));
    }

    @Test
    void openingWithAKindAgainstTheTitleIsRefused() {
        OpenLine c = open(LINE, false);
        fixture.givenNoPriorActivity()
                .when(new OpenLine(LINE, c.key(), c.purpose(), LineKind.REVENUE, false, List.of(), c.effectiveDate()))
                .expectException(refusedBy(Rule.TITLE_KIND_MISMATCH)).expectNoEvents();
    }

    @Test
    void openingUnderAnIdThatDoesNotMatchTheTitleIsRefused() {
        OpenLine c = open(LINE, false);
        fixture.givenNoPriorActivity()
                .when(new OpenLine("2024-08030-54670", c.key(), c.purpose(), c.kind(), false, List.of(), c.effectiveDate()))
                .expectException(refusedBy(Rule.INVALID_LINE_ID)).expectNoEvents();
    }

    @Test
    void openingOutsideTheFiscalYearIsRefused() {
        OpenLine c = open(LINE, false);
        fixture.givenNoPriorActivity()
                .when(new OpenLine(LINE, c.key(), c.purpose(), c.kind(), false, List.of(), date(2023, 12, 31)))
                .expectException(refusedBy(Rule.EFFECTIVE_DATE_OUTSIDE_YEAR)).expectNoEvents();
    }

    @Test
    void revenueLineInACoverGroupIsRefused() {
        fixture.givenNoPriorActivity()
                .when(open(REVENUE_LINE, false, CoverGroup.mutual("TG69")))
                .expectException(refusedBy(Rule.REVENUE_LINE_HAS_NO_FUNDS)).expectNoEvents();
    }

    @Test
    void openingALineInAClosedYearIsRefused() {
        AggregateTestFixture<BudgetLine> closedYear = new AggregateTestFixture<>(BudgetLine.class);
        closedYear.registerInjectableResource(new YearDirectory() {
            public List<String> lineIdsOf(int year) {
                return List.of();
            }

            public boolean isClosed(int year) {
                return year == 2024;
            }

            public void lockShared(int year) {
            }

            public void lockExclusive(int year) {
            }
        });
        closedYear.givenNoPriorActivity().when(open(LINE, false))
                .expectException(refusedBy(Rule.YEAR_CLOSED)).expectNoEvents();
    }

    @Test
    void purposeIsRequiredAndBounded() {
        OpenLine c = open(LINE, false);
        fixture.givenNoPriorActivity()
                .when(new OpenLine(LINE, c.key(), " ", c.kind(), false, List.of(), c.effectiveDate()))
                .expectException(refusedBy(Rule.LEGAL_BASIS_REQUIRED)).expectNoEvents();
        fixture.givenNoPriorActivity()
                .when(new OpenLine(LINE, c.key(), "x".repeat(Limits.MAX_TEXT_LENGTH + 1), c.kind(), false, List.of(), c.effectiveDate()))
                .expectException(refusedBy(Rule.LIMIT_EXCEEDED)).expectNoEvents();
    }

    // ------------------------------------------------------------------ appropriation

    @Test
    void enactmentRecordsTheAppropriation() {
        fixture.given(opened(LINE, false))
                .when(enact(LINE, APPROPRIATION, date(2024, 1, 1)))
                .expectEvents(new AppropriationEnacted(LINE, APPROPRIATION, "Haushaltsgesetz 2024", date(2024, 1, 1)));
    }

    @Test
    void secondEnactmentIsRefused() {
        expectRefusal(Rule.APPROPRIATION_ALREADY_ENACTED, enact(LINE, 1, ON), opened(LINE, false), enacted(LINE, APPROPRIATION));
    }

    @Test
    void enactmentOfZeroIsRefused() {
        expectRefusal(Rule.AMOUNT_NOT_POSITIVE, enact(LINE, 0, ON), opened(LINE, false));
    }

    @Test
    void amountBeyondTheLedgersLimitIsRefused() {
        expectRefusal(Rule.AMOUNT_OUT_OF_RANGE, enact(LINE, Money.MAX_CENTS + 1, ON), opened(LINE, false));
        expectRefusal(Rule.AMOUNT_OUT_OF_RANGE, amend(LINE, Money.MAX_CENTS + 1, ON), opened(LINE, false));
    }

    @Test
    void supplementaryBudgetRaisesOrCutsTheAppropriation() {
        fixture.given(opened(LINE, false), enacted(LINE, APPROPRIATION))
                .when(amend(LINE, -20_000_000, ON))
                .expectEvents(new AppropriationAmended(LINE, -20_000_000, "Nachtragshaushalt 2024", ON));
        fixture.given(opened(LINE, false), enacted(LINE, APPROPRIATION))
                .when(amend(LINE, 5, ON))
                .expectEvents(new AppropriationAmended(LINE, 5, "Nachtragshaushalt 2024", ON));
    }

    @Test
    void amendmentBelowZeroIsRefused() {
        expectRefusal(Rule.APPROPRIATION_BELOW_ZERO, amend(LINE, -(APPROPRIATION + 1), ON), opened(LINE, false), enacted(LINE, APPROPRIATION));
    }

    @Test
    void cutBeyondWhatIsStillAvailableIsRefused() {
        expectRefusal(Rule.INSUFFICIENT_FUNDS, amend(LINE, -30_000_001, ON),
                opened(LINE, false), enacted(LINE, APPROPRIATION), spent(LINE, 40_000_000, ON));
    }

    @Test
    void amendmentThatChangesNothingIsRefused() {
        expectRefusal(Rule.AMOUNT_NOT_POSITIVE, amend(LINE, 0, ON), opened(LINE, false), enacted(LINE, APPROPRIATION));
    }

    @Test
    void legalBasisIsRequired() {
        expectRefusal(Rule.LEGAL_BASIS_REQUIRED, new EnactAppropriation(LINE, 1, null, ON), opened(LINE, false));
    }

    // ------------------------------------------------------------------ spending

    @Test
    void expenditureWithinAvailableIsRecorded() {
        fixture.given(opened(LINE, false), enacted(LINE, APPROPRIATION))
                .when(spend(LINE, APPROPRIATION, ON))
                .expectEvents(spent(LINE, APPROPRIATION, ON));
    }

    @Test
    void expenditureBeyondAvailableIsRefused() {
        expectRefusal(Rule.INSUFFICIENT_FUNDS, spend(LINE, 1, ON), opened(LINE, false), enacted(LINE, APPROPRIATION),
                spent(LINE, APPROPRIATION, ON));
    }

    @Test
    void expenditureWithoutAppropriationIsRefused() {
        expectRefusal(Rule.INSUFFICIENT_FUNDS, spend(LINE, 1, ON), opened(LINE, false));
    }

    @Test
    void blockedFundsCannotBeSpent() {
        expectRefusal(Rule.INSUFFICIENT_FUNDS, spend(LINE, APPROPRIATION - 29, ON), opened(LINE, false), enacted(LINE, APPROPRIATION),
                new FundsBlocked(LINE, 30, "§ 41 LHO", ON));
    }

    @Test
    void expenditureNeedsADocumentReference() {
        expectRefusal(Rule.LEGAL_BASIS_REQUIRED, new RecordExpenditure(LINE, 1, ON, "payment", null, null),
                opened(LINE, false), enacted(LINE, APPROPRIATION));
    }

    @Test
    void zeroOrNegativeExpenditureIsRefused() {
        expectRefusal(Rule.AMOUNT_NOT_POSITIVE, spend(LINE, 0, ON), opened(LINE, false), enacted(LINE, APPROPRIATION));
        expectRefusal(Rule.AMOUNT_NOT_POSITIVE, spend(LINE, -1, ON), opened(LINE, false), enacted(LINE, APPROPRIATION));
    }

    @Test
    void effectiveDateOutsideFiscalYearIsRefused() {
        expectRefusal(Rule.EFFECTIVE_DATE_OUTSIDE_YEAR, spend(LINE, 1, date(2025, 1, 1)), opened(LINE, false), enacted(LINE, APPROPRIATION));
        expectRefusal(Rule.EFFECTIVE_DATE_OUTSIDE_YEAR, spend(LINE, 1, date(2023, 12, 31)), opened(LINE, false), enacted(LINE, APPROPRIATION));
        expectRefusal(Rule.EFFECTIVE_DATE_OUTSIDE_YEAR, spend(LINE, 1, null), opened(LINE, false), enacted(LINE, APPROPRIATION));
    }

    @Test
    void revenueLineCannotBeSpentFrom() {
        expectRefusal(Rule.REVENUE_LINE_CANNOT_BE_SPENT, spend(REVENUE_LINE, 1, ON), opened(REVENUE_LINE, false), enacted(REVENUE_LINE, 100));
    }

    @Test
    void expenditureLineTakesNoRevenue() {
        expectRefusal(Rule.EXPENDITURE_LINE_TAKES_NO_REVENUE, revenue(LINE, 1, ON), opened(LINE, false), enacted(LINE, APPROPRIATION));
    }

    @Test
    void revenueMayExceedTheEstimate() {
        fixture.given(opened(REVENUE_LINE, false), enacted(REVENUE_LINE, 100))
                .when(revenue(REVENUE_LINE, 1_000, ON))
                .expectEvents(new RevenueRecorded(REVENUE_LINE, 1_000, ON, "receipt", "REV-" + ON + "-1000", null));
    }

    @Test
    void revenueLineHasNoBlocksOrConsents() {
        expectRefusal(Rule.REVENUE_LINE_HAS_NO_FUNDS, block(REVENUE_LINE, 1, ON), opened(REVENUE_LINE, false), enacted(REVENUE_LINE, 100));
        expectRefusal(Rule.REVENUE_LINE_HAS_NO_FUNDS, consent(REVENUE_LINE, 1, ON), opened(REVENUE_LINE, false));
    }

    // ------------------------------------------------------------------ blocks and consents

    @Test
    void blockTakesFundsOutOfUse() {
        fixture.given(opened(LINE, false), enacted(LINE, APPROPRIATION))
                .when(block(LINE, APPROPRIATION, ON))
                .expectEvents(new FundsBlocked(LINE, APPROPRIATION, "§ 41 LHO", ON));
    }

    @Test
    void blockBeyondAvailableIsRefused() {
        expectRefusal(Rule.INSUFFICIENT_FUNDS, block(LINE, APPROPRIATION + 1, ON), opened(LINE, false), enacted(LINE, APPROPRIATION));
    }

    @Test
    void releaseMakesBlockedFundsAvailableAgain() {
        fixture.given(opened(LINE, false), enacted(LINE, APPROPRIATION), new FundsBlocked(LINE, 30, "§ 41 LHO", ON))
                .when(release(LINE, 30, ON))
                .expectEvents(new FundsReleased(LINE, 30, "§ 41 LHO", ON));
    }

    @Test
    void releaseBeyondBlockIsRefused() {
        expectRefusal(Rule.RELEASE_EXCEEDS_BLOCK, release(LINE, 31, ON), opened(LINE, false), enacted(LINE, APPROPRIATION),
                new FundsBlocked(LINE, 30, "§ 41 LHO", ON));
        expectRefusal(Rule.RELEASE_EXCEEDS_BLOCK, release(LINE, 1, ON), opened(LINE, false), enacted(LINE, APPROPRIATION));
    }

    @Test
    void overPlanConsentRaisesTheLimit() {
        OverPlanConsentGranted consent = new OverPlanConsentGranted(LINE, 5_000, "FM-37-" + ON, "unabweisbarer Bedarf", false, ON);
        fixture.given(opened(LINE, false), enacted(LINE, APPROPRIATION), spent(LINE, APPROPRIATION, ON))
                .when(consent(LINE, 5_000, ON))
                .expectEvents(consent);
        fixture.given(opened(LINE, false), enacted(LINE, APPROPRIATION), spent(LINE, APPROPRIATION, ON), consent)
                .when(spend(LINE, 5_000, ON))
                .expectEvents(spent(LINE, 5_000, ON));
        expectRefusal(Rule.INSUFFICIENT_FUNDS, spend(LINE, 5_001, ON),
                opened(LINE, false), enacted(LINE, APPROPRIATION), spent(LINE, APPROPRIATION, ON), consent);
    }

    @Test
    void consentWithoutAnAppropriationIsUnplanned() {
        fixture.given(opened(LINE, false))
                .when(consent(LINE, 5_000, ON))
                .expectEvents(new OverPlanConsentGranted(LINE, 5_000, "FM-37-" + ON, "unabweisbarer Bedarf", true, ON));
    }

    @Test
    void consentNeedsItsReference() {
        expectRefusal(Rule.LEGAL_BASIS_REQUIRED, new GrantOverPlanConsent(LINE, 1, "", "why", ON), opened(LINE, false));
    }

    // ------------------------------------------------------------------ closing

    @Test
    void closingLapsesTheUnspentRestIncludingBlocks() {
        fixture.given(opened(LINE, true), enacted(LINE, 100_000), spent(LINE, 30_000, ON), new FundsBlocked(LINE, 20_000, "§ 41 LHO", ON))
                .when(new CloseLine(LINE, "Jahresabschluss"))
                .expectEvents(new LapsedAtClose(LINE, 70_000, 20_000, "no remainder was formed (§ 45): the rest lapses", date(2024, 12, 31)),
                        new YearClosed(LINE, 2024, "Jahresabschluss", date(2024, 12, 31)))
                .expectState(line -> {
                    LineBalance b = line.view().balance();
                    org.assertj.core.api.Assertions.assertThat(b.availableCents()).isZero();
                    org.assertj.core.api.Assertions.assertThat(b.blockedCents()).isZero();
                    org.assertj.core.api.Assertions.assertThat(b.lapsedCents()).isEqualTo(70_000);
                    org.assertj.core.api.Assertions.assertThat(line.view().closed()).isTrue();
                });
    }

    @Test
    void remainderAtTheEndOfTheSecondYearAfterItsGrantLapsesEvenOnATransferableLine() {
        fixture.given(opened(LINE, true), enacted(LINE, 100_000),
                        new org.etat.ledger.carryover.RemainderCarriedIn(LINE, "c1", "2023-08030-54669", 30_000, "FM-45", "Rest",
                                date(2024, 1, 1), new java.util.TreeMap<>(Map.of(2022, 30_000L))),
                        spent(LINE, 10_000, ON))
                .when(new CloseLine(LINE, null))
                .expectEvents(new LapsedAtClose(LINE, 120_000, 0, "no remainder was formed (§ 45): the rest lapses; 200.00 of it were"
                                + " remainders at the end of the second year after their grant (§ 45): they lapse even on a transferable line",
                                date(2024, 12, 31)),
                        new YearClosed(LINE, 2024, null, date(2024, 12, 31)));
    }

    @Test
    void closingANonTransferableLineSaysTheRestLapses() {
        fixture.given(opened(LINE, false), enacted(LINE, 100_000))
                .when(new CloseLine(LINE, null))
                .expectEvents(new LapsedAtClose(LINE, 100_000, 0, "the line is not transferable: the rest lapses (Verfall)", date(2024, 12, 31)),
                        new YearClosed(LINE, 2024, null, date(2024, 12, 31)));
    }

    @Test
    void closingAFullySpentLineLapsesNothing() {
        fixture.given(opened(LINE, false), enacted(LINE, 100_000), spent(LINE, 100_000, ON))
                .when(new CloseLine(LINE, null))
                .expectEvents(new YearClosed(LINE, 2024, null, date(2024, 12, 31)));
    }

    @Test
    void closingARevenueLineLapsesNothing() {
        fixture.given(opened(REVENUE_LINE, false), enacted(REVENUE_LINE, 100_000))
                .when(new CloseLine(REVENUE_LINE, null))
                .expectEvents(new YearClosed(REVENUE_LINE, 2024, null, date(2024, 12, 31)));
    }

    @Test
    void noEntryAfterYearClosed() {
        Object[] closed = {opened(LINE, false), enacted(LINE, APPROPRIATION),
                new LapsedAtClose(LINE, APPROPRIATION, 0, "lapses", date(2024, 12, 31)), new YearClosed(LINE, 2024, null, date(2024, 12, 31))};
        expectRefusal(Rule.YEAR_CLOSED, spend(LINE, 1, ON), closed);
        expectRefusal(Rule.YEAR_CLOSED, amend(LINE, 1, ON), closed);
        expectRefusal(Rule.YEAR_CLOSED, consent(LINE, 1, ON), closed);
        expectRefusal(Rule.YEAR_CLOSED, block(LINE, 1, ON), closed);
        expectRefusal(Rule.YEAR_CLOSED, new CloseLine(LINE, null), closed);
    }

    // ------------------------------------------------------------------ two-line commands, as far as one line goes

    @Test
    void reallocationWithinOneLineIsRefused() {
        expectRefusal(Rule.REALLOCATION_WITHIN_ONE_LINE,
                org.etat.ledger.testing.Commands.reallocate(LINE, LINE, 1, org.etat.ledger.reallocation.LegalBasis.consent("FM"), ON),
                opened(LINE, false), enacted(LINE, APPROPRIATION));
    }

    // ------------------------------------------------------------------ reversal of one-leg entries

    private Object[] givenSpent(long spentCents) {
        return new Object[] {opened(LINE, false), enacted(LINE, APPROPRIATION), spent(LINE, spentCents, ON)};
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static Matcher oneReversal(String reversedEventId, String type, Component component, long deltaCents, LocalDate on) {
        Matcher<Object> reversal = predicate(p -> p instanceof EntryReversed r
                && r.lineId().equals(LINE) && r.reversedEventId().equals(reversedEventId) && r.reversedType().equals(type)
                && r.component() == component && r.deltaCents() == deltaCents && r.effectiveDate().equals(on)
                && r.reversalId() != null);
        return Matchers.payloadsMatching(exactSequenceOf(reversal, Matchers.andNoMore()));
    }

    @Test
    void expenditureReversalFreesTheFunds() {
        entries.put("e-spent", new EntryLocator.LocatedEntry("e-spent", LINE, spent(LINE, APPROPRIATION, ON)));
        fixture.given(givenSpent(APPROPRIATION))
                .when(reverse("e-spent", ON))
                .expectEventsMatching(oneReversal("e-spent", "ExpenditureRecorded", Component.SPENT, -APPROPRIATION, ON))
                .expectState(line -> org.assertj.core.api.Assertions.assertThat(((BudgetLine) line).availableCents()).isEqualTo(APPROPRIATION));
    }

    @Test
    void doubleReversalIsRefused() {
        entries.put("e-spent", new EntryLocator.LocatedEntry("e-spent", LINE, spent(LINE, 100, ON)));
        Object[] given = {opened(LINE, false), enacted(LINE, APPROPRIATION), spent(LINE, 100, ON),
                new EntryReversed(LINE, "r1", "e-spent", "ExpenditureRecorded", Component.SPENT, -100, "error", ON)};
        expectRefusal(Rule.ENTRY_ALREADY_REVERSED, reverse("e-spent", ON), given);
    }

    @Test
    void reversalThatWouldOverdrawIsRefused() {
        // Reversing the enactment would take away money that was already spent.
        entries.put("e-enacted", new EntryLocator.LocatedEntry("e-enacted", LINE, enacted(LINE, APPROPRIATION)));
        expectRefusal(Rule.INSUFFICIENT_FUNDS, reverse("e-enacted", ON), givenSpent(1));
    }

    @Test
    void reversalOfAnEnactmentAllowsACorrectedEnactment() {
        entries.put("e-enacted", new EntryLocator.LocatedEntry("e-enacted", LINE, enacted(LINE, APPROPRIATION)));
        fixture.given(opened(LINE, false), enacted(LINE, APPROPRIATION))
                .when(reverse("e-enacted", ON))
                .expectEventsMatching(oneReversal("e-enacted", "AppropriationEnacted", Component.APPROPRIATED, -APPROPRIATION, ON));
        fixture.given(opened(LINE, false), enacted(LINE, APPROPRIATION),
                        new EntryReversed(LINE, "r1", "e-enacted", "AppropriationEnacted", Component.APPROPRIATED, -APPROPRIATION, "wrong", ON))
                .when(enact(LINE, 60_000_000, ON))
                .expectEvents(new AppropriationEnacted(LINE, 60_000_000, "Haushaltsgesetz 2024", ON));
    }

    @Test
    void reversalThatWouldCutTheAppropriationBelowZeroIsRefused() {
        // Enacted 100, cut by 100, reinforced by a consent of 200: reversing the enactment leaves available
        // funds but an appropriation of -100, which no budget law can enact.
        entries.put("e-enacted", new EntryLocator.LocatedEntry("e-enacted", LINE, enacted(LINE, 100)));
        expectRefusal(Rule.APPROPRIATION_BELOW_ZERO, reverse("e-enacted", ON), opened(LINE, false), enacted(LINE, 100),
                new AppropriationAmended(LINE, -100, "Nachtrag", ON), new OverPlanConsentGranted(LINE, 200, "FM", null, true, ON));
    }

    @Test
    void blockReversalCannotReleaseMoreThanIsBlocked() {
        entries.put("e-block", new EntryLocator.LocatedEntry("e-block", LINE, new FundsBlocked(LINE, 30, "§ 41 LHO", ON)));
        expectRefusal(Rule.RELEASE_EXCEEDS_BLOCK, reverse("e-block", ON), opened(LINE, false), enacted(LINE, APPROPRIATION),
                new FundsBlocked(LINE, 30, "§ 41 LHO", ON), new FundsReleased(LINE, 30, "§ 41 LHO", ON));
    }

    @Test
    void lineOpenedIsNotReversible() {
        entries.put("e-open", new EntryLocator.LocatedEntry("e-open", LINE, opened(LINE, false)));
        expectRefusal(Rule.ENTRY_NOT_REVERSIBLE, reverse("e-open", ON), opened(LINE, false));
    }

    @Test
    void reversalOfAnUnknownEntryIsRefused() {
        expectRefusal(Rule.REVERSAL_TARGET_UNKNOWN, reverse("no-such-event", ON), opened(LINE, false));
    }

    @Test
    void reversalNeedsAReasonAndADateInTheYear() {
        entries.put("e-spent", new EntryLocator.LocatedEntry("e-spent", LINE, spent(LINE, 100, ON)));
        expectRefusal(Rule.LEGAL_BASIS_REQUIRED, new org.etat.ledger.correction.ReverseEntry("e-spent", " ", ON), givenSpent(100));
        expectRefusal(Rule.EFFECTIVE_DATE_OUTSIDE_YEAR, reverse("e-spent", date(2025, 1, 2)), givenSpent(100));
    }
}
