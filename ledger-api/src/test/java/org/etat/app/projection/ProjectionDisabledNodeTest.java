package org.etat.app.projection;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.axonframework.config.EventProcessingConfiguration;
import org.etat.app.EtatApplication;
import org.etat.app.http.Api;
import org.etat.app.ledger.LedgerGateway;
import org.etat.app.testsupport.EtatIntegrationTest;
import org.etat.ledger.budgetline.EnactAppropriation;
import org.etat.ledger.budgetline.LineKind;
import org.etat.ledger.budgetline.OpenLine;
import org.etat.ledger.budgetline.TitleKey;
import org.etat.projection.Projector;
import org.etat.projection.ReadModels;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A node with {@code etat.projection.enabled=false} (a write-only node beside one that projects):
 * it starts with and without the web layer, records, keeps no projection processor of its own,
 * and still answers reads from the read models the other node keeps.
 */
class ProjectionDisabledNodeTest extends EtatIntegrationTest {

    private static final long CATCH_UP_SECONDS = 60;

    @Autowired
    ReadModels projectingNodeReads;

    @Test
    void givenProjectionDisabled_whenANodeStartsWithoutTheWebLayer_thenItRecordsAndTheProjectingNodeProjects() {
        try (ConfigurableApplicationContext writeOnly = startAnotherNode(Map.of("etat.projection.enabled", "false"))) {
            assertThat(writeOnly.getBeanNamesForType(Projector.class)).isEmpty();
            assertThat(writeOnly.getBeanNamesForType(ReadModelProjection.class)).isEmpty();
            assertThat(writeOnly.getBean(EventProcessingConfiguration.class).eventProcessor(ProjectionConfiguration.PROCESSING_GROUP)).isEmpty();

            String line = open(writeOnly.getBean(LedgerGateway.class), "54601", 250_000_00L);
            awaitProjected(projectingNodeReads, line);
            assertThat(writeOnly.getBean(ReadModels.class).line(line)).isPresent();
        }
    }

    @Test
    void givenProjectionDisabled_whenANodeStartsWithTheWebLayer_thenItServesReadsAndRefusesRebuilds() {
        Map<String, Object> properties = Map.of("etat.projection.enabled", "false", "server.port", "0", "etat.users", Api.USERS,
                "spring.datasource.url", database.jdbcUrl(), "spring.datasource.username", database.user(),
                "spring.datasource.password", database.password(), "spring.jmx.enabled", "false");
        try (ConfigurableApplicationContext writeOnly = new SpringApplicationBuilder(EtatApplication.class).web(WebApplicationType.SERVLET)
                .properties(properties).run()) {
            assertThat(writeOnly.getBeanNamesForType(Projector.class)).isEmpty();
            Api api = new Api(((WebServerApplicationContext) writeOnly).getWebServer().getPort());
            String line = open(writeOnly.getBean(LedgerGateway.class), "54602", 125_000_00L);
            awaitProjected(projectingNodeReads, line);

            Api.Response read = api.get("/api/v1/lines/" + line, "court");
            assertThat(read.status()).as(read.toString()).isEqualTo(200);
            assertThat(read.json().path("appropriated").asText()).isEqualTo("125000.00");
            Api.Response rebuild = api.post("/api/v1/projections/rebuild", "auditor", "rebuild-on-write-only-node", "");
            assertThat(rebuild.status()).as(rebuild.toString()).isEqualTo(503);
        }
    }

    private static String open(LedgerGateway ledger, String titel, long cents) {
        String id = "2024-08099-" + titel;
        ledger.send(new OpenLine(id, TitleKey.of("08099", titel), "Write-only node line", LineKind.EXPENDITURE, false, List.of(), null),
                "tester", "open-" + id);
        ledger.send(new EnactAppropriation(id, cents, "HG 2024", LocalDate.of(2024, 1, 1)), "tester", "enact-" + id);
        return id;
    }

    private static void awaitProjected(ReadModels reads, String line) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CATCH_UP_SECONDS);
        while (reads.line(line).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(line + " not projected by the projecting node within " + CATCH_UP_SECONDS + " s");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }
}
