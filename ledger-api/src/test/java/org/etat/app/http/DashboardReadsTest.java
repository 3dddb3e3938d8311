package org.etat.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.etat.app.EtatApplication;
import org.etat.app.ledger.LedgerGateway;
import org.etat.app.testsupport.EtatIntegrationTest;
import org.etat.ledger.budgetline.EnactAppropriation;
import org.etat.ledger.budgetline.LineKind;
import org.etat.ledger.budgetline.OpenLine;
import org.etat.ledger.budgetline.RecordExpenditure;
import org.etat.ledger.budgetline.TitleKey;
import org.etat.ledger.carryover.CarryOverRemainder;
import org.etat.ledger.common.Receipt;
import org.etat.ledger.correction.ReverseEntry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The reads the dashboard needs, over real HTTP on the real ledger: a line's timeline (with
 * reversals both ways and time travel), carry-overs and years, the annual account's two CSV
 * variants, and that each is in the OpenAPI document.
 */
@SpringBootTest(classes = EtatApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource(properties = "etat.users=" + Api.USERS)
class DashboardReadsTest extends EtatIntegrationTest {

    @LocalServerPort
    int port;
    @Autowired
    LedgerGateway ledger;

    private void open(String lineId, boolean transferable, long cents) {
        ledger.send(new OpenLine(lineId, TitleKey.of("09010", lineId.substring(11)).withTitelgruppe("71"), "Test " + lineId, LineKind.EXPENDITURE,
                transferable, List.of(), null), "budget", "open-" + lineId);
        ledger.send(new EnactAppropriation(lineId, cents, "HG " + lineId.substring(0, 4), LocalDate.of(Integer.parseInt(lineId.substring(0, 4)), 1, 1)),
                "budget", "enact-" + lineId);
    }

    @Test
    void a_lines_events_name_who_when_why_and_which_entry_a_reversal_reverses() {
        Api api = new Api(port);
        String line = "2024-09010-53101";
        open(line, false, 10_000_00L);
        Receipt spend = ledger.send(new RecordExpenditure(line, 250_00L, LocalDate.of(2024, 3, 1), "Druckkosten", "RE-1", "P-1"), "finance", "spend-1");
        String spendId = spend.eventIds().get(0);
        Receipt reversal = ledger.send(new ReverseEntry(spendId, "doppelt gebucht", LocalDate.of(2024, 3, 2)), "finance", "reverse-1");
        String reversalId = reversal.eventIds().get(0);

        JsonNode events = api.get("/api/v1/lines/" + line + "/events", "court").json().path("events");

        assertThat(events).hasSize(4);
        JsonNode enacted = events.get(1);
        assertThat(enacted.path("type").asText()).isEqualTo("AppropriationEnacted");
        assertThat(enacted.path("amount").asText()).isEqualTo("10000.00");
        assertThat(enacted.path("legalBasis").asText()).isEqualTo("HG 2024");
        assertThat(enacted.path("principal").asText()).isEqualTo("budget");
        JsonNode spent = events.get(2);
        assertThat(spent.path("eventId").asText()).isEqualTo(spendId);
        assertThat(spent.path("type").asText()).isEqualTo("ExpenditureRecorded");
        assertThat(spent.path("principal").asText()).isEqualTo("finance");
        assertThat(spent.path("effectiveDate").asText()).isEqualTo("2024-03-01");
        assertThat(spent.path("justification").asText()).isEqualTo("Druckkosten");
        assertThat(spent.path("documentReference").asText()).isEqualTo("RE-1");
        assertThat(spent.path("reversedByEventIds").get(0).asText()).isEqualTo(reversalId);
        JsonNode reversed = events.get(3);
        assertThat(reversed.path("type").asText()).isEqualTo("EntryReversed");
        assertThat(reversed.path("reversesEventId").asText()).isEqualTo(spendId);
        assertThat(reversed.path("justification").asText()).isEqualTo("doppelt gebucht");

        // Known at the moment the expenditure was recorded: the reversal is not yet there, on either side.
        String spentAt = spent.path("recordedAt").asText();
        JsonNode then = api.get("/api/v1/lines/" + line + "/events?knownAt=" + spentAt, "court").json().path("events");
        assertThat(then).hasSize(3);
        assertThat(then.get(2).path("reversedByEventIds")).isEmpty();
        // Effective as of before the expenditure: only opening and appropriation.
        assertThat(api.get("/api/v1/lines/" + line + "/events?asOf=2024-02-01", "court").json().path("events")).hasSize(2);
        // Paging: one entry per page, next points on.
        JsonNode page = api.get("/api/v1/lines/" + line + "/events?limit=1&after=0", "auditor").json();
        assertThat(page.path("events").get(0).path("sequenceNumber").asLong()).isEqualTo(1);
        assertThat(page.path("next").asLong()).isEqualTo(1);

        assertThat(api.get("/api/v1/lines/2024-09010-53999/events", "court").status()).isEqualTo(404);
        assertThat(api.get("/api/v1/lines/" + line + "/events?limit=0", "court").status()).isEqualTo(400);
        assertThat(api.get("/api/v1/lines/" + line + "/events?knownAt=yesterday", "court").json().path("errors").get(0).path("field").asText())
                .isEqualTo("knownAt");
    }

    @Test
    void carry_overs_and_years_are_listed() {
        Api api = new Api(port);
        open("2030-09010-54202", true, 5_000_00L);
        open("2031-09010-54202", true, 1_000_00L);
        ledger.send(new CarryOverRemainder("2030-09010-54202", 1_234_56L, "FM-REST-1", "Projekt läuft weiter", LocalDate.of(2030, 12, 31)),
                "finance", "carry-1");
        eventually(() -> api.get("/api/v1/years/2030/carry-overs", "court").json().size() == 1);

        JsonNode carry = api.get("/api/v1/years/2030/carry-overs", "court").json().get(0);
        assertThat(carry.path("fromLineId").asText()).isEqualTo("2030-09010-54202");
        assertThat(carry.path("toLineId").asText()).isEqualTo("2031-09010-54202");
        assertThat(carry.path("amount").asText()).isEqualTo("1234.56");
        assertThat(carry.path("consentReference").asText()).isEqualTo("FM-REST-1");
        assertThat(carry.path("reversed").asBoolean()).isFalse();
        assertThat(api.get("/api/v1/years/2031/carry-overs", "court").json()).isEmpty();

        JsonNode years = api.get("/api/v1/years", "auditor").json();
        assertThat(years.toString()).contains("{\"year\":2030,\"lines\":1}").contains("{\"year\":2031,\"lines\":1}");
    }

    @Test
    void the_annual_account_comes_as_rfc_4180_or_german_csv() {
        Api api = new Api(port);
        open("2032-09010-68303", false, 1_234_567_89L);
        // The row appears with the line and gets its Soll with the appropriation, a moment later.
        eventually(() -> api.get("/api/v1/years/2032/annual-account", "court").text().contains("1234567.89"));
        String path = "/api/v1/years/2032/annual-account";

        Api.Response rfc = api.send(api.request(path, "court").header("Accept", "text/csv").GET().build());
        assertThat(rfc.status()).isEqualTo(200);
        assertThat(rfc.contentType()).startsWith("text/csv");
        assertThat(rfc.header("content-disposition")).contains("attachment").contains("haushaltsrechnung-2032.csv");
        assertThat(rfc.text()).startsWith("Jahr,Haushaltsstelle,").contains("\r\n2032,2032-09010-68303,").contains(",1234567.89,");

        for (Api.Response german : List.of(
                api.send(api.request(path, "court").header("Accept", "text/csv;variant=german").GET().build()),
                api.send(api.request(path + "?variant=german", "court").header("Accept", "text/csv").GET().build()),
                api.get(path + "?format=csv&variant=german", "court"))) {
            assertThat(german.status()).isEqualTo(200);
            assertThat(german.contentType()).startsWith("text/csv");
            assertThat(german.header("content-disposition")).contains("haushaltsrechnung-2032-de.csv");
            assertThat(german.text()).startsWith("Jahr;Haushaltsstelle;").contains("\r\n2032;2032-09010-68303;").contains(";1234567,89;")
                    .doesNotContain("1234567.89");
        }
        assertThat(api.get(path + "?format=csv", "court").text()).startsWith("Jahr,Haushaltsstelle,");
        assertThat(api.get(path, "court").contentType()).startsWith("application/json");
        Api.Response badVariant = api.get(path + "?format=csv&variant=french", "court");
        assertThat(badVariant.status()).isEqualTo(400);
        assertThat(badVariant.json().path("errors").get(0).path("field").asText()).isEqualTo("variant");
        assertThat(api.get(path + "?format=xml", "court").status()).isEqualTo(400);
    }

    @Test
    void the_openapi_document_describes_the_new_reads() {
        JsonNode doc = new Api(port).get("/v3/api-docs", null).json();
        JsonNode paths = doc.path("paths");
        assertThat(paths.has("/api/v1/lines/{lineId}/events")).isTrue();
        assertThat(paths.has("/api/v1/years/{year}/carry-overs")).isTrue();
        assertThat(paths.has("/api/v1/years")).isTrue();
        assertThat(paths.has("/api/v1/me")).isTrue();
        assertThat(paths.path("/api/v1/lines/{lineId}/events").path("get").path("parameters").toString())
                .contains("knownAt").contains("asOf").contains("limit");
        JsonNode account = paths.path("/api/v1/years/{year}/annual-account").path("get");
        assertThat(account.path("parameters").toString()).contains("variant").contains("format");
        assertThat(account.path("responses").path("200").path("content").has("text/csv")).isTrue();
        assertThat(account.toString()).contains("variant=german");
    }

    static void eventually(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached within 60 s");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
    }
}
