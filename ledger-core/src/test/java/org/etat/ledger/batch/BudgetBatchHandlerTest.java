package org.etat.ledger.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;
import static org.etat.ledger.testing.Commands.closeYear;
import static org.etat.ledger.testing.Commands.date;
import static org.etat.ledger.testing.Commands.enact;
import static org.etat.ledger.testing.Commands.open;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.etat.ledger.budgetline.AppropriationEnacted;
import org.etat.ledger.budgetline.GrantOverPlanConsent;
import org.etat.ledger.budgetline.LineOpened;
import org.etat.ledger.budgetline.OverPlanConsentGranted;
import org.etat.ledger.common.LedgerRejection;
import org.etat.ledger.common.LedgerRejection.EntryError;
import org.etat.ledger.common.Limits;
import org.etat.ledger.common.Receipt;
import org.etat.ledger.common.Rule;
import org.etat.ledger.testing.InMemoryLedger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** BudgetBatch on the real handlers over an in-memory Axon event store: the rules of the single commands, per entry, all or nothing. */
class BudgetBatchHandlerTest {

    static final String SPEND = "2024-08030-54669";
    static final String SPEND_2 = "2024-08030-52701";
    static final String REVENUE = "2024-08030-11969";
    static final LocalDate JAN_1 = date(2024, 1, 1);
    static final LocalDate DEC_31 = date(2024, 12, 31);
    static final Map<String, String> ROW_7 = Map.of("sourceFile", "soll.csv", "sourceSha256", "ab12", "sourceRow", "7");

    private final InMemoryLedger ledger = new InMemoryLedger();

    @AfterEach
    void tearDown() {
        ledger.close();
    }

    static BudgetEntry openAndEnact(String lineId, long cents) {
        return BudgetEntry.open(open(lineId, false), cents > 0 ? enact(lineId, cents, JAN_1) : null, ROW_7);
    }

    static BudgetEntry consent(String lineId, long cents) {
        return BudgetEntry.consent(new GrantOverPlanConsent(lineId, cents, "historical import", "Ist above Soll", DEC_31), Map.of("sourceRow", "9"));
    }

    static BudgetBatch batch(BudgetEntry... entries) {
        return new BudgetBatch(List.of(entries));
    }

    @Test
    void givenNewLines_whenOpenedInOneBatch_thenEachIsOpenedAndFundedWithTheEntrysMetadataOnEveryEvent() {
        Receipt receipt = ledger.send(batch(openAndEnact(SPEND, 70_000_000), openAndEnact(REVENUE, 500), openAndEnact(SPEND_2, 0)));

        assertThat(receipt.eventIds()).hasSize(5);
        assertThat(receipt.availableCentsByLine()).containsEntry(SPEND, 70_000_000L).containsEntry(SPEND_2, 0L);
        assertThat(ledger.eventsOf(SPEND)).hasSize(2).first().isInstanceOf(LineOpened.class);
        assertThat(ledger.eventsOf(SPEND).get(1)).isEqualTo(new AppropriationEnacted(SPEND, 70_000_000, "Haushaltsgesetz 2024", JAN_1));
        assertThat(ledger.metaDataOf(SPEND)).hasSize(2).allSatisfy(m -> assertThat(m).containsAllEntriesOf(ROW_7));
        assertThat(ledger.view(REVENUE).balance().appropriatedCents()).isEqualTo(500);
        assertThat(ledger.eventsOf(SPEND_2)).hasSize(1);
        assertThat(ledger.conservation().balanced()).isTrue();
    }

    @Test
    void givenLinesOpenedEarlierInTheBatch_whenALaterEntryGrantsAConsent_thenItIsDecidedOnThatLine() {
        ledger.send(batch(openAndEnact(SPEND, 100), openAndEnact(SPEND_2, 0), consent(SPEND, 50), consent(SPEND_2, 30)));

        assertThat(ledger.eventsOf(SPEND).get(2)).isEqualTo(new OverPlanConsentGranted(SPEND, 50, "historical import", "Ist above Soll", false, DEC_31));
        assertThat(ledger.eventsOf(SPEND_2).get(1)).isEqualTo(new OverPlanConsentGranted(SPEND_2, 30, "historical import", "Ist above Soll", true, DEC_31));
        assertThat(ledger.metaDataOf(SPEND).get(2)).containsEntry("sourceRow", "9");
        assertThat(ledger.view(SPEND).balance().availableCents()).isEqualTo(150);
    }

    @Test
    void givenAConsentOnALineOpenedBefore_thenTheBatchLoadsIt() {
        ledger.send(open(SPEND, false));
        ledger.send(enact(SPEND, 100, JAN_1));

        ledger.send(batch(consent(SPEND, 25)));

        assertThat(ledger.view(SPEND).balance().availableCents()).isEqualTo(125);
    }

    @Test
    void givenAnyEntryBreaksARule_thenNothingIsRecordedAndEveryBrokenEntryIsNamedWithItsRule() {
        ledger.send(open(SPEND_2, false));
        int before = ledger.log().size();

        assertThatThrownBy(() -> ledger.send(batch(
                openAndEnact(SPEND, 100),                                        // 0 fine
                openAndEnact(SPEND_2, 100),                                      // 1 already open (before the batch)
                openAndEnact(SPEND, 100),                                        // 2 opened twice in the batch
                BudgetEntry.open(open(REVENUE, false), enact(REVENUE, 0, JAN_1), null), // 3 zero appropriation
                consent(REVENUE, 10),                                            // 4 consent on a revenue line
                consent("2024-08030-99999", 10),                                 // 5 line does not exist
                new BudgetEntry(open(SPEND, false), null, consent("2024-08030-68469", 1).consent(), null), // 6 parts name two lines
                new BudgetEntry(null, null, null, null),                         // 7 empty
                BudgetEntry.open(open("2024-08030-53101", false), enact("2024-08030-53101", 5, date(2025, 1, 1)), null)))) // 8 date outside year
                .isInstanceOfSatisfying(LedgerRejection.class, e -> {
                    assertThat(e.rule()).isEqualTo(Rule.BATCH_REJECTED);
                    assertThat(e.entryErrors()).extracting(EntryError::index, EntryError::rule).containsExactlyInAnyOrder(
                            tuple(1, Rule.LINE_ALREADY_OPEN),
                            tuple(2, Rule.LINE_ALREADY_OPEN),
                            tuple(3, Rule.AMOUNT_NOT_POSITIVE),
                            tuple(4, Rule.REVENUE_LINE_HAS_NO_FUNDS),
                            tuple(5, Rule.LINE_NOT_OPEN),
                            tuple(6, Rule.INVALID_LINE_ID),
                            tuple(7, Rule.INVALID_LINE_ID),
                            tuple(8, Rule.EFFECTIVE_DATE_OUTSIDE_YEAR));
                });
        assertThat(ledger.log()).hasSize(before);
        assertThat(ledger.exists(SPEND)).isFalse();
        assertThat(ledger.exists("2024-08030-53101")).isFalse();
    }

    @Test
    void givenAnAppropriationAlreadyEnacted_thenTheEntryIsRefusedAsWithTheSingleCommand() {
        ledger.send(open(SPEND, false));
        ledger.send(enact(SPEND, 100, JAN_1));

        assertThatThrownBy(() -> ledger.send(batch(BudgetEntry.open(null, enact(SPEND, 200, JAN_1), null))))
                .isInstanceOfSatisfying(LedgerRejection.class, e -> assertThat(e.entryErrors())
                        .extracting(EntryError::rule).containsExactly(Rule.APPROPRIATION_ALREADY_ENACTED));
    }

    @Test
    void givenAClosedYear_thenNoLineIsOpenedInIt() {
        ledger.send(open(SPEND_2, false));
        ledger.send(closeYear(2024));

        assertThatThrownBy(() -> ledger.send(batch(openAndEnact(SPEND, 100))))
                .isInstanceOfSatisfying(LedgerRejection.class, e -> assertThat(e.entryErrors())
                        .extracting(EntryError::rule).containsExactly(Rule.YEAR_CLOSED));
        assertThat(ledger.exists(SPEND)).isFalse();
    }

    @Test
    void givenTheSameRequestIdAgain_thenTheFirstReceiptAndNothingRecordedTwice() {
        BudgetBatch command = batch(openAndEnact(SPEND, 100), openAndEnact(REVENUE, 10));
        Receipt first = ledger.send(command, "bund:ab12:2-3:lines");
        int events = ledger.log().size();

        Receipt again = ledger.send(command, "bund:ab12:2-3:lines");

        assertThat(again).isEqualTo(first);
        assertThat(ledger.log()).hasSize(events);
    }

    @Test
    void givenTheSameRequestIdWithOtherEntries_thenIdempotencyConflict() {
        ledger.send(batch(openAndEnact(SPEND, 100)), "r-1");

        assertThatThrownBy(() -> ledger.send(batch(openAndEnact(SPEND_2, 100)), "r-1"))
                .isInstanceOfSatisfying(LedgerRejection.class, e -> assertThat(e.rule()).isEqualTo(Rule.IDEMPOTENCY_CONFLICT));
        assertThat(ledger.exists(SPEND_2)).isFalse();
    }

    @Test
    void givenWithoutRequestIdTheSameBatchAgain_thenEveryEntryIsRefusedAsAlreadyOpen() {
        ledger.send(batch(openAndEnact(SPEND, 100), openAndEnact(REVENUE, 10)));

        assertThatThrownBy(() -> ledger.send(batch(openAndEnact(SPEND, 100), openAndEnact(REVENUE, 10))))
                .isInstanceOfSatisfying(LedgerRejection.class, e -> assertThat(e.entryErrors())
                        .extracting(EntryError::index, EntryError::rule)
                        .containsExactly(tuple(0, Rule.LINE_ALREADY_OPEN), tuple(1, Rule.LINE_ALREADY_OPEN)));
    }

    @Test
    void anEmptyBatchAndOneAboveTheLimitAreRefused() {
        assertThatThrownBy(() -> ledger.send(new BudgetBatch(List.of())))
                .isInstanceOfSatisfying(LedgerRejection.class, e -> assertThat(e.rule()).isEqualTo(Rule.BATCH_REJECTED));
        List<BudgetEntry> tooMany = new ArrayList<>();
        for (int i = 0; i <= Limits.MAX_BATCH_ENTRIES; i++) {
            tooMany.add(consent(SPEND, 1));
        }
        assertThatThrownBy(() -> ledger.send(new BudgetBatch(tooMany)))
                .isInstanceOfSatisfying(LedgerRejection.class, e -> assertThat(e.rule()).isEqualTo(Rule.LIMIT_EXCEEDED));
    }
}
