package org.etat.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.etat.app.EtatApplication;
import org.etat.app.demo.RuhrkonferenzDemo;
import org.etat.ledger.scenario.Ruhrkonferenz;
import org.etat.app.ledger.LedgerGateway;
import org.etat.app.testsupport.EtatIntegrationTest;
import org.etat.projection.ReadModelSchema;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/** {@code POST /api/v1/projections/rebuild} and its job over real HTTP on the Ruhrkonferenz case. */
@SpringBootTest(classes = EtatApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource(properties = "etat.users=" + Api.USERS)
class RebuildApiTest extends EtatIntegrationTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @LocalServerPort
    int port;
    @Autowired
    LedgerGateway ledger;
    @Autowired
    DataSource dataSource;

    @Test
    void a_rebuild_is_accepted_as_a_job_that_ends_with_matching_digests_per_read_model() {
        RuhrkonferenzDemo.record(ledger);
        Api api = new Api(port);

        Api.Response started = api.post("/api/v1/projections/rebuild", "auditor", UUID.randomUUID().toString(), "");

        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        String location = started.header("location");
        assertThat(location).isEqualTo("/api/v1/projections/rebuild/" + started.json().get("jobId").asString());
        JsonNode job = started.json();
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (job.get("state").asString().equals("RUNNING") && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
            job = api.get(location, "auditor").json();
        }
        assertThat(job.get("state").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("switchedOver").asBoolean()).isTrue();
        assertThat(job.get("eventsProcessed").asLong()).isPositive();
        assertThat(job.get("digestsMatch").asBoolean()).isTrue();
        for (String table : ReadModelSchema.TABLES) {
            JsonNode d = job.get("digests").get(table);
            assertThat(d.get("rebuilt").asString()).as(table).hasSize(64).isEqualTo(d.get("live").asString());
        }
        // The rebuilt models answer reads.
        assertThat(api.get("/api/v1/lines/" + Ruhrkonferenz.LINE_2024, "court").status()).isEqualTo(200);
    }

    @Test
    void a_second_rebuild_while_one_holds_the_lock_is_a_409_problem() throws Exception {
        Api api = new Api(port);
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_lock(?)")) {
                lock.setLong(1, org.etat.app.projection.RebuildServiceAccess.lockKey());
                lock.execute();
            }
            try {
                Api.Response refused = api.post("/api/v1/projections/rebuild", "auditor", UUID.randomUUID().toString(), "");

                assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
                assertThat(refused.contentType()).startsWith("application/problem+json");
                assertThat(refused.json().get("type").asString()).isEqualTo(RebuildController.REBUILD_RUNNING.toString());
            } finally {
                // A pooled connection keeps its session's advisory locks when it goes back to the pool.
                try (PreparedStatement unlock = c.prepareStatement("SELECT pg_advisory_unlock_all()")) {
                    unlock.execute();
                }
            }
        }
    }
}
