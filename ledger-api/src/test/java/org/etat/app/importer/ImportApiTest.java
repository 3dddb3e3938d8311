package org.etat.app.importer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.etat.app.EtatApplication;
import org.etat.app.http.Api;
import org.etat.app.http.Problems;
import org.etat.app.ledger.EventLog;
import org.etat.app.testsupport.EtatIntegrationTest;
import org.etat.ledger.budgetline.LineBalance;
import org.etat.ledger.budgetline.LineKind;
import org.etat.ledger.common.LedgerMetadata;
import org.etat.ledger.money.Money;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/** POST /api/v1/imports over real HTTP into real PostgreSQL: the job, its progress resource, and what it refuses up front. */
@SpringBootTest(classes = EtatApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource(properties = {"etat.users=" + Api.USERS, "spring.servlet.multipart.max-file-size=3MB",
        "spring.servlet.multipart.max-request-size=12MB"})
class ImportApiTest extends EtatIntegrationTest {

    static final String CSV = "text/csv";
    static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    static final Duration JOB_DEADLINE = Duration.ofMinutes(5);
    static final String SOLL_HEADER = "einzelplan;einzelplan-text;einnahmen-ausgaben;einnahmen-ausgaben-art;kapitel;kapitel-text;titel;funktion;titel-text;flex;seite;soll;titelgruppe;tgr-text\n";

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

    @Test
    void givenTheFederalYear2021_whenUploaded_thenTheJobSucceedsWithThePublishedTotalsAndAnotherUploadRecordsNothing() {
        SourceFile soll = BundFiles.soll(2021);
        SourceFile ist = BundFiles.istCsv(2021);
        List<Api.Part> parts = List.of(file("soll", soll, CSV), file("ist", ist, CSV), Api.Part.field("year", "2021"));

        Api.Response accepted = api.multipart("/api/v1/imports", "budget", parts);

        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
        String location = accepted.header("Location");
        assertThat(location).isEqualTo("/api/v1/imports/" + accepted.json().get("id").stringValue());
        assertThat(accepted.json().get("state").stringValue()).isIn("queued", "running");
        assertThat(accepted.json().get("submittedBy").stringValue()).isEqualTo("budget");
        JsonNode done = awaitFinished(location, "budget");
        assertThat(done.get("state").stringValue()).as(done.toString()).isEqualTo("succeeded");
        assertThat(done.get("progress").get("rowsDone").asInt()).isEqualTo(done.get("progress").get("rowsTotal").asInt()).isPositive();
        JsonNode summary = done.get("summary");
        assertThat(summary.get("coreSollExpenditure").stringValue()).isEqualTo(Money.format(BundFiles.SOLL_EXPENDITURE_2021));
        assertThat(summary.get("coreIstExpenditure").stringValue()).isEqualTo(Money.format(BundFiles.IST_EXPENDITURE_2021));

        // The ledger holds the published totals to the cent (less the reported negative values it cannot hold).
        Map<String, LineBalance> balances = log.balances();
        balances.keySet().removeIf(id -> !id.startsWith("2021-"));
        assertThat(balances).hasSize(summary.get("linesOpened").asInt());
        assertThat(sum(balances, LineKind.EXPENDITURE, LineBalance::appropriatedCents) + Money.parseSignedCents(summary.get("negativeSollExpenditure").stringValue()))
                .isEqualTo(BundFiles.SOLL_EXPENDITURE_2021);
        assertThat(sum(balances, LineKind.EXPENDITURE, LineBalance::spentCents) + Money.parseSignedCents(summary.get("negativeIstExpenditure").stringValue()))
                .isEqualTo(BundFiles.IST_EXPENDITURE_2021);
        assertThat(log.all()).filteredOn(e -> e.aggregateId().startsWith("2021-"))
                .allSatisfy(e -> assertThat(e.metaData()).containsKey(LedgerMetadata.SOURCE_SHA256).containsKey(LedgerMetadata.SOURCE_ROW)
                        .containsEntry(LedgerMetadata.PRINCIPAL, ImportService.PRINCIPAL));
        long events = events();

        Api.Response again = api.multipart("/api/v1/imports", "budget", parts);
        assertThat(again.status()).isEqualTo(202);
        assertThat(awaitFinished(again.header("Location"), "court").get("state").stringValue()).isEqualTo("succeeded");
        assertThat(events()).isEqualTo(events);
    }

    @Test
    void givenAMalformedRow_thenTheJobFailsNamingFileRowColumnAndReasonAndNothingOfTheFileIsRecorded() {
        String soll = SOLL_HEADER + "04;BK;A;x;0411;K;42101;011;Bezüge;ja;1;100;;\n" + "04;BK;A;x;0411;K;52601;011;Gutachten;nein;1;1x0;;\n";
        long before = events();

        Api.Response accepted = api.multipart("/api/v1/imports", "budget", List.of(
                new Api.Part("soll", "bund_soll_2019.csv", CSV, soll.getBytes(StandardCharsets.UTF_8)), Api.Part.field("year", "2019")));

        assertThat(accepted.status()).isEqualTo(202);
        JsonNode done = awaitFinished(accepted.header("Location"), "auditor");
        assertThat(done.get("state").stringValue()).isEqualTo("failed");
        JsonNode failure = done.get("failure");
        assertThat(failure.get("file").stringValue()).isEqualTo("bund_soll_2019.csv");
        assertThat(failure.get("row").asInt()).isEqualTo(3);
        assertThat(failure.get("column").stringValue()).isEqualTo("soll");
        assertThat(failure.get("reason").stringValue()).isNotBlank();
        assertThat(events()).isEqualTo(before);
        assertThat(log.balances().keySet()).noneMatch(id -> id.startsWith("2019-"));
    }

    @Test
    void obviousMistakesAreRefusedAtOnceAsProblems() {
        byte[] soll = (SOLL_HEADER + "04;BK;A;x;0411;K;42101;011;Bezüge;ja;1;100;;\n").getBytes(StandardCharsets.UTF_8);
        Api.Part sollPart = new Api.Part("soll", "bund_soll_2020.csv", CSV, soll);

        assertInvalid(api.multipart("/api/v1/imports", "budget", List.of(Api.Part.field("year", "2020"))), "soll");
        assertInvalid(api.multipart("/api/v1/imports", "budget", List.of(sollPart)), "year");
        assertInvalid(api.multipart("/api/v1/imports", "budget", List.of(sollPart, Api.Part.field("year", "zwanzig"))), "year");
        assertInvalid(api.multipart("/api/v1/imports", "budget", List.of(new Api.Part("soll", "bund_soll_2020.csv", "image/png", soll),
                Api.Part.field("year", "2020"))), "soll");
        assertInvalid(api.multipart("/api/v1/imports", "budget", List.of(sollPart, new Api.Part("ist", "bund_ist_2020.pdf", "application/pdf", soll),
                Api.Part.field("year", "2020"))), "ist");
        assertProblem(api.post("/api/v1/imports", "budget", null, "{\"year\":2020}"), 415, "unsupported-media-type");
        byte[] tooLarge = new byte[3 * 1024 * 1024 + 1];
        assertProblem(api.multipart("/api/v1/imports", "budget", List.of(new Api.Part("soll", "bund_soll_2020.csv", CSV, tooLarge),
                Api.Part.field("year", "2020"))), 413, "payload-too-large");
        assertProblem(api.get("/api/v1/imports/" + java.util.UUID.randomUUID(), "budget"), 404, "not-found");
        assertProblem(api.get("/api/v1/imports/not-a-job", "budget"), 404, "not-found");
    }

    @Test
    void theOpenApiDocumentDescribesTheUploadAndItsJob() {
        JsonNode doc = api.get("/v3/api-docs", null).json();
        JsonNode post = doc.get("paths").get("/api/v1/imports").get("post");

        assertThat(post.get("requestBody").get("content").has("multipart/form-data")).isTrue();
        assertThat(post.get("responses").has("202")).isTrue();
        assertThat(post.get("responses").get("202").get("headers").has("Location")).isTrue();
        assertThat(post.get("responses").has("400")).isTrue();
        assertThat(post.get("responses").has("413")).isTrue();
        assertThat(doc.get("paths").get("/api/v1/imports/{jobId}").get("get").get("responses").has("404")).isTrue();
    }

    static Api.Part file(String part, SourceFile f, String type) {
        return new Api.Part(part, f.fileName(), type, f.bytes());
    }

    static void assertInvalid(Api.Response r, String field) {
        assertProblem(r, 400, "invalid-request");
        List<String> fields = new ArrayList<>();
        r.json().get("errors").forEach(e -> fields.add(e.get("field").stringValue()));
        assertThat(fields).as(r.toString()).containsExactly(field);
    }

    static void assertProblem(Api.Response r, int status, String slug) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.contentType()).as(r.toString()).startsWith("application/problem+json");
        assertThat(r.json().get("type").stringValue()).isEqualTo(Problems.BASE + slug);
    }

    /** Polls the job until it has finished, within {@link #JOB_DEADLINE}. */
    JsonNode awaitFinished(String location, String user) {
        long deadline = System.nanoTime() + JOB_DEADLINE.toNanos();
        while (true) {
            Api.Response r = api.get(location, user);
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            String state = r.json().get("state").stringValue();
            if (state.equals("succeeded") || state.equals("failed")) {
                return r.json();
            }
            assertThat(System.nanoTime()).as("job %s still %s after %s", location, state, JOB_DEADLINE).isLessThan(deadline);
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
        }
    }

    long events() {
        return jdbc.queryForObject("SELECT count(*) FROM domain_event_entry", Long.class);
    }

    private static long sum(Map<String, LineBalance> balances, LineKind kind, java.util.function.ToLongFunction<LineBalance> component) {
        return balances.entrySet().stream()
                .filter(e -> LineKind.ofTitel(e.getKey().substring(e.getKey().lastIndexOf('-') + 1)) == kind)
                .mapToLong(e -> component.applyAsLong(e.getValue()))
                .reduce(0L, Math::addExact);
    }
}
