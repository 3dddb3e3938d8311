package org.etat.app.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.etat.app.EtatApplication;
import org.etat.app.demo.RuhrkonferenzDemo;
import org.etat.ledger.scenario.Ruhrkonferenz;
import org.etat.app.http.Api;
import org.etat.app.ledger.LedgerGateway;
import org.etat.app.testsupport.EtatIntegrationTest;
import org.etat.ledger.audit.Digest;
import org.etat.ledger.audit.DigestFile;
import org.etat.ledger.audit.DigestKeys;
import org.etat.ledger.audit.DigestSigner;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** The audit over HTTP on the whole application: verification (stored), digests as JSON and as a file, tampering found. */
@SpringBootTest(classes = EtatApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AuditEndpointsTest extends EtatIntegrationTest {
    private static final long CATCH_UP_LIMIT_SECONDS = 60;

    private static Path keys;

    @DynamicPropertySource
    static void auditSettings(DynamicPropertyRegistry registry) throws IOException {
        keys = Files.createTempDirectory("etat-audit-keys");
        registry.add("etat.users", () -> Api.USERS);
        registry.add("etat.audit.key-directory", keys::toString);
    }

    @LocalServerPort
    int port;
    @Autowired
    LedgerGateway ledger;
    @Autowired
    JdbcTemplate jdbc;

    private int requests;

    private Api.Response post(Api api, String path, String body) {
        return api.post(path, "auditor", "audit-test-" + (++requests), body);
    }

    @Test
    void givenTheRuhrkonferenzLog_verificationIsStoredDigestsAreIssuedAndServed_andTamperingShows() throws IOException {
        Api api = new Api(port);
        assertThat(api.get("/api/v1/audit/verification/latest", "court").status()).isEqualTo(404);
        Api.Response noDigest = api.get("/api/v1/audit/digests/latest", "court");
        assertThat(noDigest.status()).isEqualTo(404);
        assertThat(noDigest.contentType()).startsWith("application/problem+json");
        Api.Response emptyChain = post(api, "/api/v1/audit/digests", "");
        assertThat(emptyChain.status()).as(emptyChain.toString()).isEqualTo(409);
        assertThat(emptyChain.contentType()).startsWith("application/problem+json");

        RuhrkonferenzDemo.record(ledger);
        long lastIndex = jdbc.queryForObject("SELECT max(global_index) FROM domain_event_entry", Long.class);
        long events = jdbc.queryForObject("SELECT count(*) FROM domain_event_entry", Long.class);
        awaitChainHead(lastIndex);

        Api.Response verified = post(api, "/api/v1/audit/verification", "");
        assertThat(verified.status()).as(verified.toString()).isEqualTo(200);
        JsonNode v = verified.json();
        assertThat(v.get("ok").asBoolean()).isTrue();
        assertThat(v.get("eventsChecked").asLong()).isEqualTo(events);
        assertThat(v.get("headSequence").asLong()).isEqualTo(lastIndex);
        assertThat(v.get("headHash").stringValue()).hasSize(64);
        assertThat(v.get("firstBad").isNull()).isTrue();
        assertThat(v.get("conservation").get("ok").asBoolean()).isTrue();
        assertThat(v.get("conservation").get("firstViolation").isNull()).isTrue();
        Api.Response latest = api.get("/api/v1/audit/verification/latest", "court");
        assertThat(latest.status()).isEqualTo(200);
        assertThat(latest.text()).isEqualTo(verified.text());

        Api.Response issued = post(api, "/api/v1/audit/digests", "");
        assertThat(issued.status()).as(issued.toString()).isEqualTo(201);
        Digest digest = DigestFile.fromJson(issued.text());
        assertThat(digest.sequence()).isEqualTo(lastIndex);
        assertThat(digest.eventCount()).isEqualTo(events);
        Digest served = DigestFile.fromJson(api.get("/api/v1/audit/digests/latest", "court").text());
        assertThat(served).isEqualTo(digest);
        assertThat(DigestSigner.signatureValid(served, DigestKeys.readPublic(keys.resolve("signing.pub"))))
                .as("the stored digest is the signed one, to the microsecond").isTrue();
        Api.Response file = api.get("/api/v1/audit/digests/latest/file", "auditor");
        assertThat(file.header("content-disposition")).startsWith("attachment; filename=\"etat-digest-" + lastIndex + "-");
        assertThat(DigestFile.fromJson(file.text())).isEqualTo(digest);

        Api.Response withDigest = post(api, "/api/v1/audit/verification", file.text());
        assertThat(withDigest.json().get("ok").asBoolean()).as(withDigest.toString()).isTrue();
        assertThat(withDigest.json().get("digest").get("outcome").stringValue()).isEqualTo("VALID");
        Api.Response wrapped = post(api, "/api/v1/audit/verification", "{\"digest\":" + file.text() + "}");
        assertThat(wrapped.json().get("digest").get("outcome").stringValue()).as(wrapped.toString()).isEqualTo("VALID");
        Api.Response malformed = post(api, "/api/v1/audit/verification", "{\"digest\":{\"format\":\"x\"}}");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.contentType()).startsWith("application/problem+json");
        assertThat(malformed.text()).contains("unknown digest format");

        long target = jdbc.queryForObject("SELECT min(global_index) FROM domain_event_entry "
                + "WHERE payload_type = 'org.etat.ledger.budgetline.ExpenditureRecorded'", Long.class);
        jdbc.update("UPDATE domain_event_entry SET payload = convert_to(replace(convert_from(payload, 'UTF8'), "
                + "'\"amountCents\":', '\"amountCents\":1'), 'UTF8') WHERE global_index = ?", target);

        Api.Response damaged = post(api, "/api/v1/audit/verification", file.text());
        JsonNode d = damaged.json();
        assertThat(d.get("ok").asBoolean()).as(damaged.toString()).isFalse();
        assertThat(d.get("firstBad").get("globalSequence").asLong()).isEqualTo(target);
        assertThat(d.get("firstBad").get("kind").stringValue()).isEqualTo("CHANGED");
        assertThat(d.get("digest").get("outcome").stringValue()).isEqualTo("HEAD_MISMATCH");
        assertThat(api.get("/api/v1/audit/verification/latest", "auditor").json().get("ok").asBoolean()).isFalse();
    }

    @Test
    void theAuditEndpointsAreInTheOpenApiDocument() {
        JsonNode paths = new Api(port).get("/v3/api-docs", null).json().path("paths");

        assertThat(paths.path("/api/v1/audit/verification").has("post")).isTrue();
        assertThat(paths.path("/api/v1/audit/verification/latest").has("get")).isTrue();
        assertThat(paths.path("/api/v1/audit/digests").has("post")).isTrue();
        assertThat(paths.path("/api/v1/audit/digests/latest").has("get")).isTrue();
        assertThat(paths.path("/api/v1/audit/digests/latest/file").has("get")).isTrue();
    }

    private void awaitChainHead(long globalIndex) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CATCH_UP_LIMIT_SECONDS);
        while (true) {
            Long head = jdbc.queryForObject("SELECT max(global_index) FROM audit_chain", Long.class);
            if (head != null && head >= globalIndex) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the audit chain stopped at " + head + ", the log is at " + globalIndex);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }
}
