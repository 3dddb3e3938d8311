package org.etat.ledger.recording;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.etat.ledger.budgetline.ExpenditureRecorded;
import org.etat.ledger.common.LedgerMetadata;
import org.junit.jupiter.api.Test;

class LedgerMetadataInterceptorTest {

    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    private final LedgerMetadataInterceptor interceptor = new LedgerMetadataInterceptor(new RecordingClock(Clock.fixed(NOW, ZoneOffset.UTC)));

    @Test
    void givenACommand_thenItsEventsGetItsPrincipalRequestOneRecordedAtAndTheirEffectiveDates() {
        DefaultUnitOfWork<?> uow = DefaultUnitOfWork.startAndGet(new GenericCommandMessage<>("cmd")
                .andMetaData(Map.of(LedgerMetadata.PRINCIPAL, "anna", LedgerMetadata.REQUEST_ID, "r-1")));
        try {
            // An entry's own metadata (e.g. an import's provenance) cannot override who, which request or when.
            EventMessage<?> spoofed = GenericEventMessage.asEventMessage(spend(LocalDate.of(2024, 3, 1))).andMetaData(Map.of(
                    LedgerMetadata.PRINCIPAL, "mallory", LedgerMetadata.RECORDED_AT, "1999-01-01T00:00:00Z", LedgerMetadata.SOURCE_ROW, "7"));
            EventMessage<?> plain = GenericEventMessage.asEventMessage(spend(LocalDate.of(2024, 3, 2)));
            List<EventMessage<?>> events = List.of(spoofed, plain);

            var stamp = interceptor.handle(events);
            EventMessage<?> first = stamp.apply(0, spoofed);
            EventMessage<?> second = stamp.apply(1, plain);
            EventMessage<?> later = interceptor.handle(List.of(plain)).apply(0, plain);

            assertThat(first.getMetaData()).containsEntry(LedgerMetadata.PRINCIPAL, "anna").containsEntry(LedgerMetadata.REQUEST_ID, "r-1")
                    .containsEntry(LedgerMetadata.RECORDED_AT, NOW.toString()).containsEntry(LedgerMetadata.EFFECTIVE_DATE, "2024-03-01")
                    .containsEntry(LedgerMetadata.SOURCE_ROW, "7");
            assertThat(second.getMetaData()).containsEntry(LedgerMetadata.RECORDED_AT, NOW.toString())
                    .containsEntry(LedgerMetadata.EFFECTIVE_DATE, "2024-03-02");
            assertThat(first.getIdentifier()).isEqualTo(spoofed.getIdentifier());
            // Same unit of work, same instant, even across calls.
            assertThat(later.getMetaData()).containsEntry(LedgerMetadata.RECORDED_AT, NOW.toString());
        } finally {
            uow.rollback();
        }
    }

    @Test
    void givenALineWhosePreviousEntryIsAheadOfThisClock_thenTheNewEntryIsRecordedJustAfterIt() {
        Instant previousEntry = NOW.plusSeconds(600); // another node, whose clock is 10 minutes ahead
        List<String> asked = new java.util.ArrayList<>();
        PreviousRecordedAt previous = (aggregate, sequence) -> {
            asked.add(aggregate + "#" + sequence);
            return java.util.Optional.of(previousEntry);
        };
        LedgerMetadataInterceptor behind = new LedgerMetadataInterceptor(new RecordingClock(Clock.fixed(NOW, ZoneOffset.UTC)), previous);
        DefaultUnitOfWork<?> uow = DefaultUnitOfWork.startAndGet(new GenericCommandMessage<>("cmd"));
        try {
            EventMessage<?> event = new org.axonframework.eventhandling.GenericDomainEventMessage<>("BudgetLine", "2024-08030-54669", 7,
                    spend(LocalDate.of(2024, 3, 1)));

            EventMessage<?> stamped = behind.handle(List.of(event)).apply(0, event);

            assertThat(asked).containsExactly("2024-08030-54669#6");
            assertThat(stamped.getMetaData()).containsEntry(LedgerMetadata.RECORDED_AT, previousEntry.plusNanos(1_000).toString());
        } finally {
            uow.rollback();
        }
    }

    private static ExpenditureRecorded spend(LocalDate date) {
        return new ExpenditureRecorded("2024-08030-54669", 1_00L, date, "Porto", "R-1", null);
    }
}
