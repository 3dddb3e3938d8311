package org.etat.app.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import org.etat.ledger.budgetline.ExpenditureRecorded;
import org.etat.projection.ProjectedEvent;
import org.junit.jupiter.api.Test;

class EventEnvelopeTest {

    private static final ProjectedEvent SPENT = new ProjectedEvent(42, "ev-42",
            new ExpenditureRecorded("2024-08030-54669", 397_64L, LocalDate.of(2024, 5, 10), "Veranstaltung", "RK-2024-0001", null),
            Instant.parse("2024-05-10T08:15:30.123456Z"), LocalDate.of(2024, 5, 10), "finance",
            Map.of("principal", "finance", "requestId", "req-1", "recordedAt", "2024-05-10T08:15:30.123456Z"));

    @Test
    void givenAnEvent_whenEnveloped_thenTheJsonIsCanonicalAndReadsBackToTheSameProjectedEvent() {
        byte[] json = EventEnvelope.of(SPENT, "ab".repeat(32)).toJson();
        String text = new String(json, StandardCharsets.UTF_8);
        assertThat(text).startsWith("{\"auditHash\":\"abab").contains("\"globalSequence\":42").contains("\"type\":\"ExpenditureRecorded\"")
                .contains("\"lineId\":\"2024-08030-54669\"").contains("\"schemaVersion\":1").doesNotContain(" \"").doesNotContain("\n");
        assertThat(text).contains("\"metadata\":{\"effectiveDate\":\"2024-05-10\",\"principal\":\"finance\","
                + "\"recordedAt\":\"2024-05-10T08:15:30.123456Z\",\"requestId\":\"req-1\"}");
        assertThat(text).contains("\"payload\":{\"amountCents\":39764,\"documentReference\":\"RK-2024-0001\",\"effectiveDate\":\"2024-05-10\"");
        // Same event, same bytes.
        assertThat(EventEnvelope.of(SPENT, "ab".repeat(32)).toJson()).isEqualTo(json);

        ProjectedEvent back = EventEnvelope.parse(json).toProjected();
        assertThat(back.eventId()).isEqualTo(SPENT.eventId());
        assertThat(back.globalSequence()).isEqualTo(42);
        assertThat(back.payload()).isEqualTo(SPENT.payload());
        assertThat(back.recordedAt()).isEqualTo(SPENT.recordedAt());
        assertThat(back.effectiveDate()).isEqualTo(SPENT.effectiveDate());
        assertThat(back.principal()).isEqualTo("finance");
        assertThat(EventEnvelope.parse(EventEnvelope.of(SPENT, null).toJson()).auditHash()).isNull();
    }

    @Test
    void givenMalformedRecords_whenRead_thenEachIsPoisonWithItsReason() {
        String good = new String(EventEnvelope.of(SPENT, null).toJson(), StandardCharsets.UTF_8);
        assertPoison(null, "empty value (tombstone)");
        assertPoison("[1,2]", "not a JSON object");
        assertPoison("{oops", "not JSON");
        assertPoison(good.replace("\"schemaVersion\":1", "\"schemaVersion\":2"), "unsupported schemaVersion 2");
        assertPoison(good.replace("\"type\":\"ExpenditureRecorded\"", "\"type\":\"MoneyPrinted\""), "unknown event type MoneyPrinted");
        assertPoison(good.replace("\"type\":\"ExpenditureRecorded\"", "\"type\":\"java.lang.Runtime\""), "unknown event type java.lang.Runtime");
        assertPoison(good.replaceFirst("\"lineId\":\"2024-08030-54669\"", "\"lineId\":\"2024-08030-99999\""), "payload names another line");
        assertPoison(good.replace("\"globalSequence\":42", "\"globalSequence\":-1"), "globalSequence is not a non-negative integer");
        assertPoison(good.replace("\"recordedAt\":\"2024-05-10T08:15:30.123456Z\"", "\"recordedAt\":\"yesterday\""), "metadata date is malformed");
    }

    private static void assertPoison(String json, String reason) {
        assertThatThrownBy(() -> EventEnvelope.parse(json == null ? null : json.getBytes(StandardCharsets.UTF_8)).toProjected())
                .isInstanceOf(PoisonMessageException.class).hasMessageStartingWith(reason);
    }
}
