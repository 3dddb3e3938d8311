package org.etat.app.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.etat.app.testsupport.EtatIntegrationTest;
import org.etat.ledger.budgetline.CoverGroup;
import org.etat.ledger.budgetline.EnactAppropriation;
import org.etat.ledger.budgetline.LineKind;
import org.etat.ledger.budgetline.OpenLine;
import org.etat.ledger.budgetline.RecordExpenditure;
import org.etat.ledger.budgetline.TitleKey;
import org.etat.ledger.common.LedgerMetadata;
import org.etat.ledger.common.LineEvent;
import org.etat.ledger.common.Receipt;
import org.etat.ledger.reallocation.LegalBasis;
import org.etat.ledger.reallocation.Reallocate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/** Every stored event says who, which request, when recorded (by the ledger's clock) and when effective. */
@Import(EventMetadataTest.FrozenClock.class)
class EventMetadataTest extends EtatIntegrationTest {

    /** A clock that never moves: recordedAt must still increase, one microsecond per unit of work. */
    static final Instant FROZEN = Instant.parse("2026-11-24T12:00:00Z");

    @TestConfiguration
    static class FrozenClock {
        @Bean
        Clock clock() {
            return Clock.fixed(FROZEN, ZoneOffset.UTC);
        }
    }

    @Autowired
    LedgerGateway ledger;
    @Autowired
    CommandGateway commandGateway;
    @Autowired
    EventLog log;

    @Test
    void everyEventCarriesPrincipalRequestRecordedAtAndEffectiveDate() {
        List<CoverGroup> group = List.of(CoverGroup.mutual("G"));
        ledger.send(new OpenLine("2024-04010-51101", TitleKey.of("04010", "51101"), "A", LineKind.EXPENDITURE, false, group, null),
                "anna", "meta-open-a");
        ledger.send(new OpenLine("2024-04010-51102", TitleKey.of("04010", "51102"), "B", LineKind.EXPENDITURE, false, group, null),
                "anna", "meta-open-b");
        ledger.send(new EnactAppropriation("2024-04010-51101", 500_00L, "HG 2024", LocalDate.of(2024, 1, 1)), "bert", "meta-enact");
        Receipt move = ledger.send(new Reallocate("2024-04010-51101", "2024-04010-51102", 100_00L, LegalBasis.coverGroup("G"),
                "Ausgleich", LocalDate.of(2024, 7, 1)), "carla", "meta-move");
        // A client cannot set recordedAt: the ledger's clock decides.
        commandGateway.sendAndWait(new GenericCommandMessage<>(new RecordExpenditure("2024-04010-51101", 1_00L,
                LocalDate.of(2024, 7, 2), "Porto", "P-1", null)).andMetaData(Map.of(LedgerMetadata.PRINCIPAL, "dora",
                LedgerMetadata.REQUEST_ID, "meta-spend", LedgerMetadata.RECORDED_AT, "1999-01-01T00:00:00Z")));

        List<EventLog.StoredEvent> events = log.all();
        assertThat(events).hasSize(6);
        for (EventLog.StoredEvent e : events) {
            assertThat(e.metaData()).as(e.eventId()).containsKeys(LedgerMetadata.PRINCIPAL, LedgerMetadata.REQUEST_ID,
                    LedgerMetadata.RECORDED_AT, LedgerMetadata.EFFECTIVE_DATE);
            assertThat(e.metaData().get(LedgerMetadata.EFFECTIVE_DATE)).isEqualTo(((LineEvent) e.payload()).effectiveDate().toString());
            assertThat(Instant.parse((String) e.metaData().get(LedgerMetadata.RECORDED_AT))).isAfterOrEqualTo(FROZEN);
        }
        Map<String, List<EventLog.StoredEvent>> byRequest = events.stream()
                .collect(Collectors.groupingBy(e -> (String) e.metaData().get(LedgerMetadata.REQUEST_ID)));
        assertThat(byRequest.get("meta-move")).hasSize(2).allMatch(e -> e.metaData().get(LedgerMetadata.PRINCIPAL).equals("carla"))
                .extracting(EventLog.StoredEvent::eventId).containsExactlyInAnyOrderElementsOf(move.eventIds());
        assertThat(byRequest.get("meta-move")).extracting(e -> e.metaData().get(LedgerMetadata.RECORDED_AT)).containsOnly(
                byRequest.get("meta-move").get(0).metaData().get(LedgerMetadata.RECORDED_AT));
        assertThat(byRequest.get("meta-spend").get(0).metaData().get(LedgerMetadata.PRINCIPAL)).isEqualTo("dora");

        // One instant per unit of work, strictly increasing although the clock is frozen.
        List<Instant> perCommand = events.stream().map(e -> Instant.parse((String) e.metaData().get(LedgerMetadata.RECORDED_AT)))
                .distinct().toList();
        assertThat(perCommand).hasSize(5).isSorted().doesNotHaveDuplicates();
        assertThat(perCommand.get(perCommand.size() - 1)).isBefore(FROZEN.plusMillis(1));
    }
}
