package org.etat.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.etat.ledger.budgetline.EnactAppropriation;
import org.etat.ledger.budgetline.OpenLine;
import org.etat.ledger.common.LedgerRejection;
import org.etat.ledger.common.Receipt;
import org.etat.ledger.common.Rule;
import org.etat.testsupport.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** The web layer's own behaviour over real HTTP and real PostgreSQL, with a recording stand-in for the ledger. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@org.junit.jupiter.api.extension.ExtendWith(org.springframework.boot.test.system.OutputCaptureExtension.class)
class WebLayerTest {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.Database db = TestDatabase.create();
        registry.add("spring.datasource.url", db::jdbcUrl);
        registry.add("spring.datasource.username", db::user);
        registry.add("spring.datasource.password", db::password);
        registry.add("etat.users", () -> Api.USERS);
    }

    @TestConfiguration
    static class Ledger {
        @Bean
        @Primary
        RecordingLedger recordingLedger() {
            return new RecordingLedger();
        }
    }

    @LocalServerPort
    int port;
    @Autowired
    RecordingLedger ledger;
    Api api;

    static final String LINE = "2024-08030-54669";
    static final String OPEN = "{\"lineId\":\"2024-08030-54669\",\"purpose\":\"Ruhrkonferenz\",\"kind\":\"EXPENDITURE\",\"transferable\":true,"
            + "\"titelgruppe\":\"69\"}";
    static final String APPROPRIATION = "{\"amount\":\"700000.00\",\"legalBasis\":\"HG 2024\",\"effectiveDate\":\"2024-01-01\"}";

    @BeforeEach
    void setUp() {
        api = new Api(port);
        ledger.sent.clear();
        ledger.replaying = false;
        ledger.answer = c -> new Receipt(List.of(UUID.randomUUID().toString()), Map.of(LINE, 70000000L));
    }

    @Test
    void a_write_answers_201_with_event_ids_available_amounts_and_location_and_sends_principal_and_key() {
        String key = UUID.randomUUID().toString();
        Api.Response r = api.post("/api/v1/lines/" + LINE + "/appropriations", "budget", key, APPROPRIATION);

        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        JsonNode body = r.json();
        assertThat(body.get("eventIds").size()).isEqualTo(1);
        assertThat(body.get("availableByLine").get(LINE).stringValue()).isEqualTo("700000.00");
        assertThat(r.header("Location")).isEqualTo("/api/v1/entries/" + body.get("eventIds").get(0).stringValue());
        assertThat(ledger.sent).singleElement().satisfies(s -> {
            assertThat(s.command()).isEqualTo(new EnactAppropriation(LINE, 70000000L, "HG 2024", java.time.LocalDate.of(2024, 1, 1)));
            assertThat(s.principal()).isEqualTo("budget");
            assertThat(s.requestId()).isEqualTo(key);
        });
    }

    @Test
    void opening_a_line_derives_the_title_key_and_locates_the_line() {
        Api.Response r = api.post("/api/v1/lines", "budget", UUID.randomUUID().toString(), OPEN);

        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(r.header("Location")).isEqualTo("/api/v1/lines/" + LINE);
        OpenLine cmd = (OpenLine) ledger.sent.get(0).command();
        assertThat(cmd.key().einzelplan()).isEqualTo("08");
        assertThat(cmd.key().kapitel()).isEqualTo("08030");
        assertThat(cmd.key().titel()).isEqualTo("54669");
        assertThat(cmd.key().titelgruppe()).isEqualTo("69");
        assertThat(cmd.transferable()).isTrue();
    }

    @Test
    void a_write_without_idempotency_key_is_400_and_reaches_no_ledger() {
        Api.Response r = api.post("/api/v1/lines/" + LINE + "/appropriations", "budget", null, APPROPRIATION);

        assertProblem(r, 400, "idempotency-key-missing");
        assertThat(ledger.sent).isEmpty();
    }

    @Test
    void a_repeat_the_ledger_answers_from_its_request_log_gets_the_first_response_marked_replayed() {
        String key = UUID.randomUUID().toString();
        Receipt first = new Receipt(List.of("e-first"), Map.of(LINE, 70000000L));
        ledger.answer = c -> first;
        Api.Response created = api.post("/api/v1/lines/" + LINE + "/appropriations", "budget", key, APPROPRIATION);
        ledger.replaying = true;
        Api.Response again = api.post("/api/v1/lines/" + LINE + "/appropriations", "budget", key, APPROPRIATION);

        assertThat(created.header("Idempotent-Replayed")).isNull();
        assertThat(again.status()).isEqualTo(created.status()).isEqualTo(201);
        assertThat(again.text()).isEqualTo(created.text());
        assertThat(again.header("Location")).isEqualTo(created.header("Location")).isEqualTo("/api/v1/entries/e-first");
        assertThat(again.contentType()).isEqualTo(created.contentType());
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(ledger.sent).extracting(RecordingLedger.Sent::requestId).containsExactly(key, key);
    }

    @Test
    void a_refused_write_keeps_no_key_so_a_corrected_retry_with_the_same_key_runs() {
        String key = UUID.randomUUID().toString();
        ledger.answer = c -> {
            throw new LedgerRejection(Rule.INSUFFICIENT_FUNDS, "line " + LINE + " has 0.00 available");
        };
        assertProblem(api.post("/api/v1/lines/" + LINE + "/blocks", "budget", key, APPROPRIATION), 409, "insufficient-funds");
        ledger.answer = c -> new Receipt(List.of("e1"), Map.of(LINE, 1L));

        assertThat(api.post("/api/v1/lines/" + LINE + "/blocks", "budget", key, APPROPRIATION.replace("700000.00", "1.00")).status())
                .isEqualTo(201);
    }

    @Test
    void a_json_number_for_an_amount_is_400_naming_the_field() {
        Api.Response r = api.post("/api/v1/lines/" + LINE + "/expenditures", "finance", UUID.randomUUID().toString(),
                "{\"amount\":196270.47,\"effectiveDate\":\"2024-03-01\",\"purpose\":\"p\",\"documentReference\":\"d\"}");

        assertProblem(r, 400, "invalid-request");
        assertThat(r.json().get("errors").get(0).get("field").stringValue()).isEqualTo("amount");
        assertThat(r.json().get("errors").get(0).get("detail").stringValue()).startsWith("amount must be a decimal string");
        assertThat(ledger.sent).isEmpty();
    }

    @Test
    void every_offending_field_is_named() {
        Api.Response r = api.post("/api/v1/reallocations", "finance", UUID.randomUUID().toString(),
                "{\"fromLineId\":\"2024-08030-5466\",\"toLineId\":\"2024-08030-54669\",\"amount\":\"1.234\",\"legalBasis\":{\"kind\":\"MAGIC\"},"
                        + "\"effectiveDate\":\"2024-02-30\",\"extra\":1}");

        assertProblem(r, 400, "invalid-request");
        List<String> fields = r.json().get("errors").valueStream().map(e -> e.get("field").stringValue()).toList();
        assertThat(fields).containsExactlyInAnyOrder("extra", "fromLineId", "amount", "legalBasis.kind", "legalBasis.reference",
                "justification", "effectiveDate");
    }

    @Test
    void negative_and_too_large_amounts_are_400() {
        String key = UUID.randomUUID().toString();
        assertProblem(api.post("/api/v1/lines/" + LINE + "/appropriations", "budget", key, APPROPRIATION.replace("700000.00", "-1.00")),
                400, "invalid-request");
        assertProblem(api.post("/api/v1/lines/" + LINE + "/appropriations", "budget", key,
                APPROPRIATION.replace("700000.00", "99999999999999999999.00")), 400, "invalid-request");
        assertThat(ledger.sent).isEmpty();
    }

    @Test
    void unparsable_json_and_a_non_object_body_are_400() {
        assertProblem(api.post("/api/v1/lines", "budget", UUID.randomUUID().toString(), "{\"lineId\":"), 400, "invalid-request");
        assertProblem(api.post("/api/v1/lines", "budget", UUID.randomUUID().toString(), "[1,2]"), 400, "invalid-request");
        assertProblem(api.post("/api/v1/lines", "budget", UUID.randomUUID().toString(), ""), 400, "invalid-request");
        assertProblem(api.post("/api/v1/years/abc/closing", "budget", UUID.randomUUID().toString(), "{}"), 400, "invalid-request");
    }

    @Test
    void wrong_media_types_are_415_and_406() {
        HttpRequest textPlain = api.request("/api/v1/lines", "budget").header("Content-Type", "text/plain")
                .header("Idempotency-Key", UUID.randomUUID().toString()).POST(HttpRequest.BodyPublishers.ofString(OPEN)).build();
        assertProblem(api.send(textPlain), 415, "unsupported-media-type");

        HttpRequest csv = api.request("/api/v1/lines", "budget").header("Content-Type", "application/json").header("Accept", "text/csv")
                .header("Idempotency-Key", UUID.randomUUID().toString()).POST(HttpRequest.BodyPublishers.ofString(OPEN)).build();
        Api.Response r = api.send(csv);
        assertThat(r.status()).as(r.toString()).isEqualTo(406);
        assertThat(ledger.sent).isEmpty();
    }

    @Test
    void an_oversized_body_is_413() {
        String big = "{\"reason\":\"" + "x".repeat(70_000) + "\"}";
        assertProblem(api.post("/api/v1/entries/abc/reversal", "finance", UUID.randomUUID().toString(), big), 413, "payload-too-large");
        assertThat(ledger.sent).isEmpty();
    }

    @Test
    void a_writes_log_line_carries_its_request_id_and_principal_and_no_password_or_authorization(
            org.springframework.boot.test.system.CapturedOutput output) {
        String key = "log-" + UUID.randomUUID();
        Api.Response r = api.post("/api/v1/lines/" + LINE + "/expenditures", "finance", key,
                "{\"amount\":\"5.00\",\"effectiveDate\":\"2024-03-01\",\"purpose\":\"Honorar Erika Mustermann\",\"documentReference\":\"d\"}");

        assertThat(r.status()).isEqualTo(201);
        assertThat(r.header("X-Request-Id")).isEqualTo(key);
        // The filter logs after the response went out, so the line may trail the client's answer a little.
        String marker = "req=" + key;
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (!output.getOut().contains(marker) && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(10));
        }
        assertThat(output.getOut().lines().filter(l -> l.contains("POST /api/v1/lines/" + LINE + "/expenditures -> 201")
                && l.contains(marker)).toList())
                .singleElement().satisfies(line -> assertThat(line).contains("principal=finance"));
        assertThat(output.getAll()).doesNotContain("finance-pw", "Authorization", "Basic ", "Erika Mustermann");
    }

    @Test
    void a_request_without_an_idempotency_key_gets_a_generated_request_id_echoed() {
        Api.Response r = api.get("/api/v1/lines/" + LINE, "court");
        assertThat(r.header("X-Request-Id")).matches("[0-9a-f-]{36}");
    }

    @Test
    void a_carry_over_past_the_remainders_limit_is_409_remainder_expired() {
        ledger.answer = c -> {
            throw new LedgerRejection(Rule.REMAINDER_EXPIRED, "at most 1.00 may be carried into 2025");
        };
        Api.Response r = api.post("/api/v1/carry-overs", "finance", UUID.randomUUID().toString(), "{\"fromLineId\":\"" + LINE
                + "\",\"amount\":\"5.00\",\"consentReference\":\"FM\",\"effectiveDate\":\"2024-12-15\"}");
        assertProblem(r, 409, "remainder-expired");
        assertThat(r.json().get("rule").stringValue()).isEqualTo("REMAINDER_EXPIRED");
    }

    @Test
    void a_rule_refusal_is_409_with_the_rules_type_and_name_and_unknown_lines_are_404() {
        ledger.answer = c -> {
            throw new LedgerRejection(Rule.INSUFFICIENT_FUNDS, "not enough");
        };
        Api.Response r = api.post("/api/v1/lines/" + LINE + "/expenditures", "finance", UUID.randomUUID().toString(),
                "{\"amount\":\"5.00\",\"effectiveDate\":\"2024-03-01\",\"purpose\":\"p\",\"documentReference\":\"d\"}");
        assertProblem(r, 409, "insufficient-funds");
        assertThat(r.json().get("rule").stringValue()).isEqualTo("INSUFFICIENT_FUNDS");
        assertThat(r.json().get("detail").stringValue()).isEqualTo("not enough");

        ledger.answer = c -> {
            throw new LedgerRejection(Rule.LINE_NOT_OPEN, "no line");
        };
        assertProblem(api.post("/api/v1/lines/" + LINE + "/blocks", "budget", UUID.randomUUID().toString(), APPROPRIATION), 404, "line-not-open");
    }

    @Test
    void a_refused_batch_lists_every_entry_by_index() {
        ledger.answer = c -> {
            throw new LedgerRejection(Rule.BATCH_REJECTED, "2 entries refused", List.of(
                    new LedgerRejection.EntryError(0, Rule.LINE_NOT_OPEN, "no line"),
                    new LedgerRejection.EntryError(2, Rule.INSUFFICIENT_FUNDS, "not enough")));
        };
        String entry = "{\"lineId\":\"2024-08030-54669\",\"amount\":\"1.00\",\"effectiveDate\":\"2024-03-01\",\"purpose\":\"p\",\"documentReference\":\"d\"}";
        Api.Response r = api.post("/api/v1/expenditure-batches", "finance", UUID.randomUUID().toString(),
                "{\"entries\":[" + entry + "," + entry + "," + entry + "]}");

        assertProblem(r, 409, "batch-rejected");
        assertThat(r.json().get("errors").get(1).get("index").asInt()).isEqualTo(2);
        assertThat(r.json().get("errors").get(1).get("rule").stringValue()).isEqualTo("INSUFFICIENT_FUNDS");
    }

    @Test
    void malformed_batch_entries_are_named_by_index_and_field() {
        String good = "{\"lineId\":\"2024-08030-54669\",\"amount\":\"1.00\",\"effectiveDate\":\"2024-03-01\",\"purpose\":\"p\",\"documentReference\":\"d\"}";
        Api.Response r = api.post("/api/v1/expenditure-batches", "finance", UUID.randomUUID().toString(),
                "{\"entries\":[" + good + "," + good.replace("\"1.00\"", "1") + ",7]}");

        assertProblem(r, 400, "invalid-request");
        List<String> fields = r.json().get("errors").valueStream().map(e -> e.get("field").stringValue()).toList();
        assertThat(fields).containsExactlyInAnyOrder("entries[1].amount", "entries[2]");
    }

    @Test
    void the_openapi_document_describes_every_write_its_body_header_and_errors_with_examples() {
        Api.Response r = api.get("/v3/api-docs", null);
        assertThat(r.status()).isEqualTo(200);
        JsonNode doc = r.json();
        List<String> writes = List.of("/api/v1/lines", "/api/v1/lines/{lineId}/appropriations", "/api/v1/lines/{lineId}/amendments",
                "/api/v1/lines/{lineId}/blocks", "/api/v1/lines/{lineId}/releases", "/api/v1/lines/{lineId}/over-plan-consents",
                "/api/v1/lines/{lineId}/expenditures", "/api/v1/lines/{lineId}/revenues", "/api/v1/expenditure-batches",
                "/api/v1/reallocations", "/api/v1/carry-overs", "/api/v1/years/{year}/closing", "/api/v1/entries/{eventId}/reversal");
        for (String path : writes) {
            JsonNode post = doc.get("paths").get(path).get("post");
            assertThat(post).as(path).isNotNull();
            String ref = post.get("requestBody").get("content").get("application/json").get("schema").get("$ref").stringValue();
            JsonNode schema = doc.get("components").get("schemas").get(ref.substring(ref.lastIndexOf('/') + 1));
            assertThat(schema.get("properties").size()).as(path).isPositive();
            assertThat(post.get("parameters").valueStream().filter(p -> p.get("name").stringValue().equals("Idempotency-Key")))
                    .as(path).singleElement().satisfies(p -> assertThat(p.get("required").booleanValue()).isTrue());
            for (String status : List.of("201", "400", "401", "403", "404", "406", "409", "413", "415", "422")) {
                assertThat(post.get("responses").has(status)).as(path + " " + status).isTrue();
            }
            assertThat(post.get("responses").get("409").get("content").get("application/problem+json").get("examples")).as(path).isNotNull();
        }
        JsonNode spend = doc.get("components").get("schemas").get("ExpenditureBody").get("properties").get("amount");
        assertThat(spend.get("type").stringValue()).isEqualTo("string");
        assertThat(spend.get("example").stringValue()).isEqualTo("196270.47");
        assertThat(doc.get("info").get("description").stringValue()).contains("https://etat.example/problems/insufficient-funds");
    }

    @Test
    void prometheus_shows_appended_events_and_rejections_by_rule() {
        api.post("/api/v1/lines/" + LINE + "/appropriations", "budget", UUID.randomUUID().toString(), APPROPRIATION);
        ledger.answer = c -> {
            throw new LedgerRejection(Rule.YEAR_CLOSED, "closed");
        };
        api.post("/api/v1/lines/" + LINE + "/appropriations", "budget", UUID.randomUUID().toString(), APPROPRIATION);

        String metrics = api.get("/actuator/prometheus", "auditor").text();
        assertThat(metrics).containsPattern("etat_api_events_appended_total(\\{[^}]*\\})? [1-9]");
        assertThat(metrics).containsPattern("etat_api_rejections_total\\{[^}]*rule=\"YEAR_CLOSED\"[^}]*\\} [1-9]");
    }

    static void assertProblem(Api.Response r, int status, String slug) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.contentType()).as(r.toString()).startsWith("application/problem+json");
        assertThat(r.json().get("type").stringValue()).isEqualTo(Problems.BASE + slug);
        assertThat(r.json().get("status").asInt()).isEqualTo(status);
    }
}
