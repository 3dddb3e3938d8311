package org.etat.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.etat.app.http.WebLayerTest.assertProblem;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.etat.app.EtatApplication;
import org.etat.ledger.scenario.Ruhrkonferenz;
import org.etat.app.demo.RuhrkonferenzDemo;
import org.etat.app.ledger.EventLog;
import org.etat.app.testsupport.EtatIntegrationTest;
import org.etat.ledger.budgetline.ExpenditureRecorded;
import org.etat.ledger.common.LedgerMetadata;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/** The whole application over real HTTP on real PostgreSQL: the real ledger decides. */
@SpringBootTest(classes = EtatApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource(properties = "etat.users=" + Api.USERS)
class ApiEndToEndTest extends EtatIntegrationTest {

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    EventLog log;
    Api api;

    @BeforeEach
    void client() {
        api = new Api(port);
    }

    long events() {
        return jdbc.queryForObject("SELECT count(*) FROM domain_event_entry", Long.class);
    }

    Api.Response send(HttpCommands.HttpWrite w, String key) {
        return api.post(w.path(), w.user(), key, w.body());
    }

    @Test
    void the_ruhrkonferenz_case_through_the_api_and_again_with_the_same_keys_changes_nothing() {
        List<Api.Response> first = new ArrayList<>();
        for (Ruhrkonferenz.Step step : Ruhrkonferenz.steps()) {
            Api.Response r = send(HttpCommands.of(step.command()), "http-" + step.requestId());
            assertThat(r.status()).as(step.requestId() + ": " + r).isEqualTo(201);
            first.add(r);
        }
        long recorded = events();

        // The books as the published figures say (budget-law.md).
        var balances = log.balances();
        assertThat(balances.get(Ruhrkonferenz.LINE_2023).spentCents()).isEqualTo(196_270_47L);
        assertThat(balances.get(Ruhrkonferenz.LINE_2023).lapsedCents()).isEqualTo(503_729_53L);
        assertThat(balances.get(Ruhrkonferenz.LINE_2024).spentCents()).isEqualTo(397_64L);
        assertThat(balances.get(Ruhrkonferenz.LINE_2024).reallocatedOutCents()).isEqualTo(699_602_36L);
        JsonNode lastMove = first.get(14).json();
        assertThat(lastMove.get("availableByLine").get(Ruhrkonferenz.LINE_2024).stringValue()).isEqualTo("0.00");
        assertThat(lastMove.get("availableByLine").get(Ruhrkonferenz.LINE_2024_SERVICES).stringValue()).isEqualTo("599602.36");

        // Who recorded what: the signed-in user and the Idempotency-Key are in every event's metadata.
        List<EventLog.StoredEvent> scenario = log.all().stream().filter(e -> e.aggregateId().contains("-08030-")).toList();
        assertThat(scenario).hasSizeGreaterThan(15);
        for (EventLog.StoredEvent e : scenario) {
            assertThat(e.metaData().get(LedgerMetadata.PRINCIPAL)).isIn("budget", "finance");
            assertThat((String) e.metaData().get(LedgerMetadata.REQUEST_ID)).startsWith("http-ruhrkonferenz-");
        }

        // A client that retries everything gets the same answers and records nothing.
        List<Ruhrkonferenz.Step> steps = Ruhrkonferenz.steps();
        for (int i = 0; i < steps.size(); i++) {
            Api.Response again = send(HttpCommands.of(steps.get(i).command()), "http-" + steps.get(i).requestId());
            assertThat(again.status()).isEqualTo(201);
            assertThat(again.text()).isEqualTo(first.get(i).text());
            assertThat(again.header("Location")).isEqualTo(first.get(i).header("Location"));
        }
        assertThat(events()).isEqualTo(recorded);

        // The raw log for the auditor, in order, with metadata; Location of an entry resolves.
        Api.Response page = api.get("/api/v1/events?after=" + (scenario.get(0).globalIndex() - 1) + "&limit=5", "auditor");
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        assertThat(page.json().get("events").size()).isEqualTo(5);
        assertThat(page.json().get("events").get(0).get("metadata").get("principal").stringValue()).isEqualTo("budget");
        assertThat(page.json().get("events").get(0).get("payload").get("lineId").stringValue()).isEqualTo(Ruhrkonferenz.LINE_2023);
        Api.Response entry = api.get(first.get(2).header("Location"), "court");
        assertThat(entry.status()).as(entry.toString()).isEqualTo(200);
        assertThat(entry.json().get("payload").get("amountCents").asLong()).isEqualTo(85_000_00L);

        // The reads, once the projection caught up (it runs behind the log, asynchronously).
        Api.Response line = awaitRead("/api/v1/lines/" + Ruhrkonferenz.LINE_2024, r -> r.status() == 200
                && r.json().get("reallocatedOut").stringValue().equals("699602.36"));
        assertThat(line.json().get("spent").stringValue()).isEqualTo("397.64");
        assertThat(line.json().get("available").stringValue()).isEqualTo("0.00");
        assertThat(awaitRead("/api/v1/lines/" + Ruhrkonferenz.LINE_2023, r -> r.status() == 200
                && r.json().get("lapsed").stringValue().equals("503729.53")).json().get("spent").stringValue()).isEqualTo("196270.47");
        assertThat(api.get("/api/v1/years/2024/reallocations", "court").json().size()).isEqualTo(2);
        assertThat(api.get("/api/v1/years/2024/lines?kapitel=08030&size=2", "court").json().get("total").asInt()).isEqualTo(3);
        assertThat(api.get("/api/v1/years/2024/rollups?by=kapitel", "court").status()).isEqualTo(200);
        assertThat(api.get("/api/v1/lines/" + Ruhrkonferenz.LINE_2024 + "/trail", "court").status()).isEqualTo(200);
        assertThat(api.get("/api/v1/years/2023/projects", "court").status()).isEqualTo(200);
        Api.Response csv = api.send(api.request("/api/v1/years/2023/annual-account", "court").header("Accept", "text/csv").GET().build());
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.contentType()).startsWith("text/csv");
        assertThat(csv.text()).contains("Haushaltsstelle", Ruhrkonferenz.LINE_2023);
        Api.Response json = api.get("/api/v1/years/2023/annual-account", "court");
        assertThat(json.contentType()).startsWith("application/json");
        assertThat(json.json().get("rows").get(0).get("ist").stringValue()).isEqualTo("196270.47");
        assertProblem(api.get("/api/v1/lines/2024-08030-99999", "court"), 404, "not-found");
        assertProblem(api.get("/api/v1/lines/" + Ruhrkonferenz.LINE_2024 + "?asOf=yesterday", "court"), 400, "invalid-request");
    }

    /** Polls a read (as the Court of Audit) until it satisfies the condition, with a deadline. */
    Api.Response awaitRead(String path, java.util.function.Predicate<Api.Response> ready) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Api.Response r = api.get(path, "court");
        while (!ready.test(r) && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            r = api.get(path, "court");
        }
        assertThat(ready.test(r)).as(path + ": " + r).isTrue();
        return r;
    }

    @Test
    void a_repeated_key_answers_the_first_response_and_the_same_key_for_another_request_is_422() {
        open("2024-09010-54605", "1000.00");
        long before = events();
        String key = key();
        String path = "/api/v1/lines/2024-09010-54605/expenditures";

        Api.Response first = api.post(path, "finance", key, spend("2.50"));
        Api.Response again = api.post(path, "finance", key, spend("2.50"));

        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        assertThat(first.header("Idempotent-Replayed")).isNull();
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.text()).isEqualTo(first.text());
        assertThat(again.header("Location")).isEqualTo(first.header("Location"));
        assertThat(again.contentType()).isEqualTo(first.contentType());
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        Api.Response otherBody = api.post(path, "finance", key, spend("2.51"));
        assertProblem(otherBody, 422, "idempotency-conflict");
        assertThat(otherBody.json().get("detail").stringValue()).contains("Idempotency-Key was used for a different request");
        // The same command in other bytes is another request for the key.
        assertProblem(api.post(path, "finance", key, spend("2.50").replace(",", ", ")), 422, "idempotency-conflict");
        assertProblem(api.post("/api/v1/lines/2024-09010-54605/appropriations", "budget", key,
                "{\"amount\":\"2.50\",\"legalBasis\":\"HG 2024\",\"effectiveDate\":\"2024-01-01\"}"), 422, "idempotency-conflict");
        assertThat(events()).isEqualTo(before + 1);
        assertThat(api.post(path, "finance", key, spend("2.50")).text()).as("the first response still").isEqualTo(first.text());
    }

    @Test
    void retries_with_one_key_record_once_even_when_sent_at_the_same_time() throws Exception {
        open("2024-09010-54601", "1000.00");
        long before = events();
        String key = UUID.randomUUID().toString();
        String body = spend("2.50");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Api.Response>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                answers.add(pool.submit(() -> api.post("/api/v1/lines/2024-09010-54601/expenditures", "finance", key, body)));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Api.Response> a : answers) {
                Api.Response r = a.get(60, TimeUnit.SECONDS);
                statuses.add(r.status());
                assertThat(r.status()).as(r.toString()).isIn(201, 409);
                if (r.status() == 409) {
                    assertProblem(r, 409, "idempotency-key-in-use");
                }
            }
            assertThat(statuses).contains(201);
        } finally {
            pool.shutdownNow();
        }
        assertThat(events()).isEqualTo(before + 1);
        Api.Response later = api.post("/api/v1/lines/2024-09010-54601/expenditures", "finance", key, body);
        assertThat(later.status()).isEqualTo(201);
        assertThat(later.header("Idempotent-Replayed")).isEqualTo("true");
        assertProblem(api.post("/api/v1/lines/2024-09010-54601/expenditures", "finance", key, spend("2.51")), 422, "idempotency-conflict");
        assertThat(events()).isEqualTo(before + 1);
    }

    @Test
    void one_key_sent_at_the_same_time_with_two_different_bodies_records_one_of_them_and_refuses_the_other() throws Exception {
        open("2024-09010-54604", "1000.00");
        long before = events();
        String key = UUID.randomUUID().toString();
        List<String> bodies = List.of(spend("3.00"), spend("4.00"));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<String> created = new ArrayList<>();
        try {
            List<Future<Api.Response>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String body = bodies.get(i % 2);
                answers.add(pool.submit(() -> api.post("/api/v1/lines/2024-09010-54604/expenditures", "finance", key, body)));
            }
            for (Future<Api.Response> a : answers) {
                Api.Response r = a.get(60, TimeUnit.SECONDS);
                assertThat(r.status()).as(r.toString()).isIn(201, 409, 422);
                if (r.status() == 201) {
                    created.add(r.text());
                } else if (r.status() == 409) {
                    assertProblem(r, 409, "idempotency-key-in-use");
                } else {
                    assertProblem(r, 422, "idempotency-conflict");
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(created).isNotEmpty();
        assertThat(new java.util.HashSet<>(created)).as("every 201 is the first response").hasSize(1);
        assertThat(events()).isEqualTo(before + 1);
        List<Integer> later = new ArrayList<>();
        for (String body : bodies) {
            later.add(api.post("/api/v1/lines/2024-09010-54604/expenditures", "finance", key, body).status());
        }
        assertThat(later).containsExactlyInAnyOrder(201, 422);
        assertThat(events()).isEqualTo(before + 1);
    }

    @Test
    void every_error_class_against_the_real_ledger_changes_nothing() {
        open("2024-09010-54602", "100.00");
        String line = "/api/v1/lines/2024-09010-54602";
        long before = events();

        assertProblem(api.post(line + "/expenditures", "finance", key(), spend("100.01")), 409, "insufficient-funds");
        Api.Response funds = api.post(line + "/expenditures", "finance", key(), spend("500.00"));
        assertThat(funds.json().get("rule").stringValue()).isEqualTo("INSUFFICIENT_FUNDS");
        assertProblem(api.post("/api/v1/lines/2024-09010-54699/expenditures", "finance", key(), spend("1.00")), 404, "line-not-open");
        assertProblem(api.post("/api/v1/entries/" + UUID.randomUUID() + "/reversal", "finance", key(), "{\"reason\":\"x\"}"), 404,
                "reversal-target-unknown");
        assertProblem(api.post(line + "/expenditures", "finance", key(), spend("1.00").replace("2024-03-01", "2025-03-01")), 409,
                "effective-date-outside-year");
        assertProblem(api.post("/api/v1/lines", "budget", key(), "{\"lineId\":\"2024-09010-54602\",\"purpose\":\"p\",\"kind\":\"EXPENDITURE\"}"),
                409, "line-already-open");
        assertProblem(api.post("/api/v1/lines", "budget", key(), "{\"lineId\":\"2024-09010-14602\",\"purpose\":\"p\",\"kind\":\"EXPENDITURE\"}"),
                409, "title-kind-mismatch");
        assertProblem(api.post(line + "/expenditures", "finance", key(), spend("0")), 400, "amount-not-positive");
        assertProblem(api.post(line + "/expenditures", "finance", key(), spend("1.001")), 400, "invalid-request");
        assertProblem(api.post(line + "/expenditures", "finance", key(), "{\"amount\":1}"), 400, "invalid-request");
        assertProblem(api.post(line + "/expenditures", "finance", null, spend("1.00")), 400, "idempotency-key-missing");
        assertProblem(api.post(line + "/expenditures", "finance", key(), "{" + " ".repeat(70_000) + "}"), 413, "payload-too-large");
        assertProblem(api.send(api.request(line + "/expenditures", "finance").header("Content-Type", "application/xml")
                .header("Idempotency-Key", key()).POST(HttpRequest.BodyPublishers.ofString("<a/>")).build()), 415, "unsupported-media-type");
        assertThat(api.send(api.request(line + "/expenditures", "finance").header("Content-Type", "application/json").header("Accept", "text/csv")
                .header("Idempotency-Key", key()).POST(HttpRequest.BodyPublishers.ofString(spend("1.00"))).build()).status()).isEqualTo(406);
        assertProblem(api.post(line + "/expenditures", "budget", key(), spend("1.00")), 403, "forbidden");
        assertProblem(api.post(line + "/expenditures", null, key(), spend("1.00")), 401, "unauthenticated");
        assertProblem(api.get("/api/v1/entries/" + UUID.randomUUID(), "auditor"), 404, "not-found");

        assertThat(events()).isEqualTo(before);
    }

    @Test
    void sixty_four_clients_spending_on_one_line_never_overspend() throws Exception {
        open("2024-09010-54603", "1000.00");
        int clients = 64;
        int attemptsEach = 10;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Callable<int[]>> work = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            work.add(() -> {
                int accepted = 0;
                int refused = 0;
                for (int i = 0; i < attemptsEach; i++) {
                    String key = key();
                    Api.Response r = api.post("/api/v1/lines/2024-09010-54603/expenditures", "finance", key, spend("20.00"));
                    while (r.status() == 503 || (r.status() == 409 && r.text().contains("idempotency-key-in-use"))) {
                        r = api.post("/api/v1/lines/2024-09010-54603/expenditures", "finance", key, spend("20.00"));
                    }
                    if (r.status() == 201) {
                        accepted++;
                    } else if (r.status() == 409 && r.json().get("rule").stringValue().equals("INSUFFICIENT_FUNDS")) {
                        refused++;
                    } else {
                        throw new AssertionError("unexpected answer " + r);
                    }
                }
                return new int[] {accepted, refused};
            });
        }
        int accepted = 0;
        int refused = 0;
        try {
            for (Future<int[]> f : pool.invokeAll(work)) {
                int[] counts = f.get();
                accepted += counts[0];
                refused += counts[1];
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(accepted).isEqualTo(50);
        assertThat(refused).isEqualTo(clients * attemptsEach - 50);
        long spentCents = log.all().stream().filter(e -> e.payload() instanceof ExpenditureRecorded x && x.lineId().equals("2024-09010-54603"))
                .mapToLong(e -> ((ExpenditureRecorded) e.payload()).amountCents()).sum();
        assertThat(spentCents).isEqualTo(1000_00L);
        assertThat(log.balances().get("2024-09010-54603").availableCents()).isZero();
    }

    private void open(String lineId, String amount) {
        Api.Response o = api.post("/api/v1/lines", "budget", key(), "{\"lineId\":\"" + lineId + "\",\"purpose\":\"Test\",\"kind\":\"EXPENDITURE\"}");
        assertThat(o.status()).as(o.toString()).isEqualTo(201);
        Api.Response a = api.post("/api/v1/lines/" + lineId + "/appropriations", "budget", key(),
                "{\"amount\":\"" + amount + "\",\"legalBasis\":\"HG 2024\",\"effectiveDate\":\"2024-01-01\"}");
        assertThat(a.status()).as(a.toString()).isEqualTo(201);
    }

    static String spend(String amount) {
        return "{\"amount\":\"" + amount + "\",\"effectiveDate\":\"2024-03-01\",\"purpose\":\"Test\",\"documentReference\":\"AO-1\"}";
    }

    static String key() {
        return UUID.randomUUID().toString();
    }

}
