package org.etat.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.etat.app.EtatApplication;
import org.etat.app.testsupport.EtatIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * At least 10,000 random and malformed bodies across every write endpoint: never a 5xx, every
 * refusal a problem, and the ledger changed by exactly the events the accepted writes report.
 * Seed: -Detat.fuzz.seed=N replays a run; -Detat.fuzz.requests=N sets the count.
 */
@SpringBootTest(classes = EtatApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource(properties = "etat.users=" + Api.USERS)
class RandomizedWritesTest extends EtatIntegrationTest {

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;

    record Endpoint(String path, String user, String template) {
    }

    static final String A = "2024-08030-54669";
    static final String B = "2024-08030-68469";
    static final String SPEND = "{\"amount\":\"1.00\",\"effectiveDate\":\"2024-03-01\",\"purpose\":\"p\",\"documentReference\":\"d\",\"projectId\":\"RK-1\"}";

    static List<Endpoint> endpoints() {
        String l = "/api/v1/lines/" + A;
        return List.of(
                new Endpoint("/api/v1/lines", "budget", "{\"lineId\":\"2024-08030-42769\",\"purpose\":\"p\",\"kind\":\"EXPENDITURE\",\"transferable\":true,"
                        + "\"titelgruppe\":\"69\",\"funktion\":\"011\",\"coverGroups\":[{\"id\":\"TG69\",\"role\":\"MUTUAL\"}],\"effectiveDate\":\"2024-01-01\"}"),
                new Endpoint(l + "/appropriations", "budget", "{\"amount\":\"1.00\",\"legalBasis\":\"HG\",\"effectiveDate\":\"2024-01-01\"}"),
                new Endpoint(l + "/amendments", "budget", "{\"delta\":\"-1.00\",\"legalBasis\":\"NHG\",\"effectiveDate\":\"2024-06-01\"}"),
                new Endpoint(l + "/blocks", "budget", "{\"amount\":\"1.00\",\"legalBasis\":\"§ 41\",\"effectiveDate\":\"2024-02-01\"}"),
                new Endpoint(l + "/releases", "budget", "{\"amount\":\"1.00\",\"legalBasis\":\"§ 41\",\"effectiveDate\":\"2024-02-02\"}"),
                new Endpoint(l + "/over-plan-consents", "budget", "{\"amount\":\"1.00\",\"consentReference\":\"FM-1\",\"justification\":\"j\","
                        + "\"effectiveDate\":\"2024-01-02\"}"),
                new Endpoint("/api/v1/years/2023/closing", "budget", "{\"justification\":\"Abschluss\"}"),
                new Endpoint(l + "/expenditures", "finance", SPEND),
                new Endpoint("/api/v1/lines/" + B + "/revenues", "finance", SPEND),
                new Endpoint("/api/v1/expenditure-batches", "finance", "{\"entries\":[" + SPEND.replace("{", "{\"kind\":\"EXPENDITURE\",\"lineId\":\"" + A + "\",")
                        + "," + SPEND.replace("{", "{\"lineId\":\"" + B + "\",") + "]}"),
                new Endpoint("/api/v1/reallocations", "finance", "{\"fromLineId\":\"" + A + "\",\"toLineId\":\"" + B + "\",\"amount\":\"1.00\","
                        + "\"legalBasis\":{\"kind\":\"COVER_GROUP\",\"reference\":\"TG69\"},\"justification\":\"j\",\"effectiveDate\":\"2024-05-01\"}"),
                new Endpoint("/api/v1/carry-overs", "finance", "{\"fromLineId\":\"" + A + "\",\"amount\":\"1.00\",\"consentReference\":\"FM\","
                        + "\"justification\":\"j\",\"effectiveDate\":\"2024-12-31\"}"),
                new Endpoint("/api/v1/entries/" + UUID.nameUUIDFromBytes(new byte[] {1}) + "/reversal", "finance",
                        "{\"reason\":\"doppelt\",\"effectiveDate\":\"2024-05-02\"}"));
    }

    /** Events in the ledger now. */
    long eventCount() {
        return jdbc.queryForObject("SELECT count(*) FROM domain_event_entry", Long.class);
    }

    /** Two funded lines of one cover group and a revenue line, so that some random writes are accepted. */
    void openLines(Api api) {
        // 2023 has a line of its own: closing that year leaves the 2024 lines open for the other writes.
        for (String line : List.of(A, B, "2023-08030-54669")) {
            Api.Response o = api.post("/api/v1/lines", "budget", UUID.randomUUID().toString(), "{\"lineId\":\"" + line
                    + "\",\"purpose\":\"p\",\"kind\":\"EXPENDITURE\",\"transferable\":true,\"coverGroups\":[{\"id\":\"TG69\"}]}");
            assertThat(o.status()).as(o.toString()).isEqualTo(201);
            Api.Response a = api.post("/api/v1/lines/" + line + "/appropriations", "budget", UUID.randomUUID().toString(),
                    "{\"amount\":\"1000000.00\",\"legalBasis\":\"HG\",\"effectiveDate\":\"" + line.substring(0, 4) + "-01-01\"}");
            assertThat(a.status()).as(a.toString()).isEqualTo(201);
        }
    }

    @Test
    void random_and_malformed_writes_never_fail_the_server_and_change_nothing_when_refused() {
        long seed = Long.getLong("etat.fuzz.seed", System.nanoTime());
        int requests = Integer.getInteger("etat.fuzz.requests", 10_000);
        System.out.println("RandomizedWritesTest seed=" + seed + " (replay with -Detat.fuzz.seed=" + seed + ")");
        Random random = new Random(seed);
        RandomBodies bodies = new RandomBodies(random);
        Api api = new Api(port);
        List<Endpoint> endpoints = endpoints();
        openLines(api);
        List<String> violations = new ArrayList<>();
        long before = eventCount();
        long reportedEvents = 0;
        int accepted = 0;
        String previousKey = null;
        for (int i = 0; i < requests && violations.size() < 20; i++) {
            Endpoint e = endpoints.get(random.nextInt(endpoints.size()));
            JsonNode template = Api.JSON.readTree(e.template());
            String body = random.nextInt(10) == 0 ? e.template() : bodies.body(template);
            String key = random.nextInt(30) == 0 ? null : random.nextInt(30) == 0 && previousKey != null ? previousKey : UUID.randomUUID().toString();
            previousKey = key == null ? previousKey : key;
            HttpRequest.Builder b = api.request(e.path(), random.nextInt(40) == 0 ? "court" : e.user())
                    .header("Content-Type", random.nextInt(40) == 0 ? "text/plain" : "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            if (key != null) {
                b.header("Idempotency-Key", key);
            }
            long countBefore = eventCount();
            Api.Response r = api.send(b.build());
            long appended = eventCount() - countBefore;
            String where = "request " + i + " (seed " + seed + ") " + e.path() + " " + abbreviate(body) + " -> " + abbreviate(r.toString());
            int reported = r.status() == 201 && !"true".equals(r.header("Idempotent-Replayed")) ? r.json().get("eventIds").size() : 0;
            if (appended != reported) {
                violations.add("log grew by " + appended + ", answer reports " + reported + ": " + where);
            }
            if (r.status() >= 500) {
                violations.add("5xx: " + where);
            } else if (r.status() == 201) {
                if (reported > 0) {
                    accepted++;
                    reportedEvents += reported;
                }
            } else if (!r.contentType().startsWith("application/problem+json")
                    || !r.json().get("type").stringValue().startsWith(Problems.BASE)) {
                violations.add("not a problem: " + where);
            }
        }
        assertThat(violations).as("seed " + seed).isEmpty();
        assertThat(eventCount() - before).as("events appended vs. reported by accepted writes, seed " + seed).isEqualTo(reportedEvents);
        System.out.println("RandomizedWritesTest: " + requests + " requests, " + accepted + " accepted, " + reportedEvents + " events");
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
