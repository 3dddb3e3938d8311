package org.etat.app.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.etat.app.http.Api;
import org.etat.app.http.RecordingLedger;
import org.etat.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Every endpoint for every role and for anonymous callers: allowed cells pass security (the web
 * layer answers), others are 403 (signed in) or 401 (anonymous). The ledger is a recording stand-in.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SecurityMatrixTest {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.Database db = TestDatabase.create();
        registry.add("spring.datasource.url", db::jdbcUrl);
        registry.add("spring.datasource.username", db::user);
        registry.add("spring.datasource.password", db::password);
        registry.add("etat.users", () -> Api.USERS);
        // A user from configuration: only a bcrypt hash of the password is configured.
        registry.add("etat.security.users[0].name", () -> "configured");
        registry.add("etat.security.users[0].password-hash", () -> new BCryptPasswordEncoder().encode("configured-pw"));
        registry.add("etat.security.users[0].roles", () -> "AUDITOR");
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

    static final String LINE = "2024-08030-54669";
    static final String AMOUNT = "{\"amount\":\"1.00\",\"legalBasis\":\"HG\",\"effectiveDate\":\"2024-01-01\"}";
    static final String SPEND = "{\"amount\":\"1.00\",\"effectiveDate\":\"2024-03-01\",\"purpose\":\"p\",\"documentReference\":\"d\"}";

    record Cell(String method, String path, String body, String allowedRole) {
    }

    static List<Cell> writes() {
        String l = "/api/v1/lines/" + LINE;
        return List.of(
                new Cell("POST", "/api/v1/lines", "{\"lineId\":\"" + LINE + "\",\"purpose\":\"p\",\"kind\":\"EXPENDITURE\"}", "budget"),
                new Cell("POST", l + "/appropriations", AMOUNT, "budget"),
                new Cell("POST", l + "/amendments", "{\"delta\":\"-1.00\",\"legalBasis\":\"NHG\",\"effectiveDate\":\"2024-06-01\"}", "budget"),
                new Cell("POST", l + "/blocks", AMOUNT, "budget"),
                new Cell("POST", l + "/releases", AMOUNT, "budget"),
                new Cell("POST", l + "/over-plan-consents", "{\"amount\":\"1.00\",\"consentReference\":\"FM-1\",\"effectiveDate\":\"2024-01-02\"}", "budget"),
                new Cell("POST", "/api/v1/years/2024/closing", "{\"justification\":\"Abschluss\"}", "budget"),
                new Cell("POST", l + "/expenditures", SPEND, "finance"),
                new Cell("POST", l + "/revenues", SPEND, "finance"),
                new Cell("POST", "/api/v1/expenditure-batches", "{\"entries\":[" + SPEND.replace("{", "{\"lineId\":\"" + LINE + "\",") + "]}", "finance"),
                new Cell("POST", "/api/v1/reallocations", "{\"fromLineId\":\"" + LINE + "\",\"toLineId\":\"2024-08030-68469\",\"amount\":\"1.00\","
                        + "\"legalBasis\":{\"kind\":\"COVER_GROUP\",\"reference\":\"TG69\"},\"justification\":\"j\",\"effectiveDate\":\"2024-05-01\"}", "finance"),
                new Cell("POST", "/api/v1/carry-overs", "{\"fromLineId\":\"" + LINE + "\",\"amount\":\"1.00\",\"consentReference\":\"FM\","
                        + "\"effectiveDate\":\"2024-12-31\"}", "finance"),
                new Cell("POST", "/api/v1/entries/" + UUID.randomUUID() + "/reversal", "{\"reason\":\"doppelt\"}", "finance"));
    }

    @Test
    void every_write_is_open_to_its_role_only() {
        Api api = new Api(port);
        List<String> mismatches = new ArrayList<>();
        for (Cell cell : writes()) {
            Map<String, Integer> expected = new LinkedHashMap<>();
            expected.put("anonymous", 401);
            for (String user : List.of("finance", "budget", "court", "auditor")) {
                expected.put(user, user.equals(cell.allowedRole()) ? 201 : 403);
            }
            expected.put("intruder", 401); // wrong password
            expected.forEach((user, status) -> {
                Api.Response r = api.post(cell.path(), user.equals("anonymous") ? null : user, UUID.randomUUID().toString(), cell.body());
                if (r.status() != status || !r.contentType().startsWith(status == 201 ? "application/json" : "application/problem+json")) {
                    mismatches.add(cell.method() + " " + cell.path() + " as " + user + ": expected " + status + ", got " + r);
                }
            });
        }
        assertThat(mismatches).isEmpty();
        // Each allowed cell reached the ledger with its principal, no refused one did.
        // (An import job of the imports test sends under its own principal, concurrently.)
        List<RecordingLedger.Sent> sent = ledger.sent.stream().filter(x -> !x.principal().equals(org.etat.app.importer.ImportService.PRINCIPAL)).toList();
        assertThat(sent).hasSize(writes().size());
        assertThat(sent.stream().map(RecordingLedger.Sent::principal).distinct()).containsExactlyInAnyOrder("budget", "finance");
    }

    @Test
    void imports_are_uploaded_by_budget_admins_and_watched_by_them_and_the_auditors() {
        Api api = new Api(port);
        byte[] soll = ("einzelplan;einzelplan-text;einnahmen-ausgaben;einnahmen-ausgaben-art;kapitel;kapitel-text;titel;funktion;titel-text;flex;seite;soll;titelgruppe;tgr-text\n"
                + "04;BK;A;x;0411;K;42101;011;Bezüge;ja;1;100;;\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        List<Api.Part> upload = List.of(new Api.Part("soll", "bund_soll_2021.csv", "text/csv", soll), Api.Part.field("year", "2021"));
        Map<String, Integer> post = new LinkedHashMap<>();
        post.put("anonymous", 401);
        post.put("finance", 403);
        post.put("budget", 202);
        post.put("court", 403);
        post.put("auditor", 403);
        post.put("intruder", 401);
        Map<String, Integer> get = new LinkedHashMap<>();
        get.put("anonymous", 401);
        get.put("finance", 403);
        get.put("budget", 200);
        get.put("court", 200);
        get.put("auditor", 200);
        get.put("intruder", 401);
        List<String> mismatches = new ArrayList<>();
        String job = null;
        for (Map.Entry<String, Integer> cell : post.entrySet()) {
            Api.Response r = api.multipart("/api/v1/imports", cell.getKey().equals("anonymous") ? null : cell.getKey(), upload);
            if (r.status() != cell.getValue() || !r.contentType().startsWith(r.status() == 202 ? "application/json" : "application/problem+json")) {
                mismatches.add("POST /api/v1/imports as " + cell.getKey() + ": expected " + cell.getValue() + ", got " + r);
            }
            if (r.status() == 202) {
                job = r.header("Location");
            }
        }
        assertThat(job).as("the budget admin's upload names its job").isNotNull();
        for (Map.Entry<String, Integer> cell : get.entrySet()) {
            Api.Response r = api.get(job, cell.getKey().equals("anonymous") ? null : cell.getKey());
            if (r.status() != cell.getValue()) {
                mismatches.add("GET " + job + " as " + cell.getKey() + ": expected " + cell.getValue() + ", got " + r);
            }
        }
        assertThat(mismatches).isEmpty();
    }

    @Test
    void reads_are_open_to_the_court_of_audit_and_auditors_and_the_raw_log_to_auditors_only() {
        Api api = new Api(port);
        Map<String, List<Integer>> events = Map.of("auditor", List.of(200), "court", List.of(403), "finance", List.of(403),
                "budget", List.of(403), "anonymous", List.of(401));
        Map<String, List<Integer>> entry = Map.of("auditor", List.of(404), "court", List.of(404), "finance", List.of(403),
                "budget", List.of(403), "anonymous", List.of(401));
        Map<String, List<Integer>> read = Map.of("auditor", List.of(200), "court", List.of(200), "finance", List.of(403),
                "budget", List.of(403), "anonymous", List.of(401));
        Map<String, List<Integer>> anyRole = Map.of("auditor", List.of(200), "court", List.of(200), "finance", List.of(200),
                "budget", List.of(200), "anonymous", List.of(401));
        List<String> mismatches = new ArrayList<>();
        Map.of("/api/v1/events?limit=5", events, "/api/v1/entries/" + UUID.randomUUID(), entry,
                "/api/v1/lines/" + LINE + "/events", entry, "/api/v1/years", read, "/api/v1/years/2024/carry-overs", read,
                "/api/v1/me", anyRole).forEach((path, expected) ->
                expected.forEach((user, statuses) -> {
                    Api.Response r = api.get(path, user.equals("anonymous") ? null : user);
                    if (!statuses.contains(r.status())) {
                        mismatches.add("GET " + path + " as " + user + ": expected " + statuses + ", got " + r);
                    }
                }));
        assertThat(mismatches).isEmpty();
    }

    @Test
    void rebuilding_the_read_models_is_open_to_auditors_only() {
        Api api = new Api(port);
        Map<String, Integer> start = Map.of("auditor", 202, "court", 403, "finance", 403, "budget", 403, "anonymous", 401, "intruder", 401);
        Map<String, Integer> job = Map.of("auditor", 404, "court", 403, "finance", 403, "budget", 403, "anonymous", 401, "intruder", 401);
        List<String> mismatches = new ArrayList<>();
        start.forEach((user, status) -> {
            Api.Response r = api.post("/api/v1/projections/rebuild", user.equals("anonymous") ? null : user, UUID.randomUUID().toString(), "");
            if (r.status() != status || !r.contentType().startsWith(status == 202 ? "application/json" : "application/problem+json")) {
                mismatches.add("POST /api/v1/projections/rebuild as " + user + ": expected " + status + ", got " + r);
            }
        });
        job.forEach((user, status) -> {
            Api.Response r = api.get("/api/v1/projections/rebuild/" + UUID.randomUUID(), user.equals("anonymous") ? null : user);
            if (r.status() != status || !r.contentType().startsWith("application/problem+json")) {
                mismatches.add("GET /api/v1/projections/rebuild/{id} as " + user + ": expected " + status + ", got " + r);
            }
        });
        assertThat(mismatches).isEmpty();
    }

    @Test
    void audit_verification_and_digests_are_issued_by_auditors_and_read_by_the_court_of_audit_too() {
        Api api = new Api(port);
        // Allowed cells pass security: the audit answers (no signing key is configured here: 503 for a new digest;
        // nothing issued yet: 404). Refused cells are 403 signed in, 401 anonymous.
        record AuditCell(String method, String path, List<String> allowed, List<Integer> answers) {
        }
        List<AuditCell> cells = List.of(
                new AuditCell("POST", "/api/v1/audit/verification", List.of("auditor"), List.of(200)),
                new AuditCell("POST", "/api/v1/audit/digests", List.of("auditor"), List.of(201, 409, 503)),
                new AuditCell("GET", "/api/v1/audit/verification/latest", List.of("court", "auditor"), List.of(200)),
                new AuditCell("GET", "/api/v1/audit/digests/latest", List.of("court", "auditor"), List.of(404)),
                new AuditCell("GET", "/api/v1/audit/digests/latest/file", List.of("court", "auditor"), List.of(404)));
        List<String> mismatches = new ArrayList<>();
        for (AuditCell cell : cells) {
            for (String user : List.of("auditor", "court", "finance", "budget", "anonymous", "intruder")) {
                String who = user.equals("anonymous") ? null : user;
                Api.Response r = cell.method().equals("POST") ? api.post(cell.path(), who, UUID.randomUUID().toString(), "")
                        : api.get(cell.path(), who);
                List<Integer> expected = cell.allowed().contains(user) ? cell.answers()
                        : List.of(who == null || user.equals("intruder") ? 401 : 403);
                boolean problemWhenError = r.status() < 400 || r.contentType().startsWith("application/problem+json");
                if (!expected.contains(r.status()) || !problemWhenError) {
                    mismatches.add(cell.method() + " " + cell.path() + " as " + user + ": expected " + expected + ", got " + r);
                }
            }
        }
        assertThat(mismatches).isEmpty();
    }

    @Test
    void a_configured_user_signs_in_with_the_password_behind_its_bcrypt_hash() {
        Api api = new Api(port);
        java.util.function.Function<String, Integer> prometheusAs = password -> api.send(api.request("/actuator/prometheus", null)
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(("configured:" + password).getBytes()))
                .GET().build()).status();

        assertThat(prometheusAs.apply("configured-pw")).isEqualTo(200);
        assertThat(prometheusAs.apply("wrong")).isEqualTo(401);
    }

    @Test
    void health_and_the_openapi_document_are_open_and_metrics_need_an_auditor() {
        Api api = new Api(port);
        assertThat(api.get("/actuator/health", null).status()).isEqualTo(200);
        assertThat(api.get("/actuator/health", null).text()).contains("\"db\"");
        assertThat(api.get("/v3/api-docs", null).status()).isEqualTo(200);
        // Swagger UI is behind the login form (issue #4): anonymous callers are sent there.
        for (String page : List.of("/swagger-ui.html", "/swagger-ui/index.html", "/dashboard/", "/dashboard/audit.html")) {
            Api.Response r = api.get(page, null);
            assertThat(r.status()).as(page).isEqualTo(302);
            assertThat(r.header("location")).as(page).endsWith("/login");
        }
        assertThat(api.get("/login", null).status()).isEqualTo(200);
        assertThat(api.get("/actuator/prometheus", null).status()).isEqualTo(401);
        assertThat(api.get("/actuator/prometheus", "finance").status()).isEqualTo(403);
        assertThat(api.get("/actuator/prometheus", "auditor").status()).isEqualTo(200);
        assertThat(api.get("/actuator/env", "auditor").status()).isEqualTo(403);
        assertThat(api.get("/actuator/env", null).status()).isEqualTo(401);
    }
}
