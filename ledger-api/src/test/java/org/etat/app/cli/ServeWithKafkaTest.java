package org.etat.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.etat.app.http.Api;
import org.etat.projection.Digest;
import org.etat.projection.ReadModelSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@code etat serve --demo --with-kafka} and {@code etat projections --from-kafka}, each with its own
 * embedded PostgreSQL, as two commands: the demo reaches the local broker, and the standalone read
 * side builds the same read models from it.
 */
class ServeWithKafkaTest {

    @TempDir
    Path dir;

    @Test
    void serveWithKafkaPublishesTheDemoAndTheStandaloneProjectionsBuildTheSameReadModels() throws Exception {
        int kafkaPort = freePort();
        ByteArrayOutputStream serveOut = new ByteArrayOutputStream();
        ServeCommand serve = new ServeCommand();
        serve.demo = true;
        serve.withKafka = true;
        serve.kafkaPort = kafkaPort;
        serve.kafkaControllerPort = freePort();
        serve.kafkaDirectory = dir.resolve("kafka");
        serve.port = 0;
        serve.dbPort = freePort();
        serve.dataDirectory = dir.resolve("pg");
        serve.env = Map.of();
        serve.out = new PrintStream(serveOut, true, StandardCharsets.UTF_8);
        serve.installShutdownHook = false;

        ByteArrayOutputStream projectionsOut = new ByteArrayOutputStream();
        ProjectionsCommand projections = new ProjectionsCommand();
        projections.fromKafka = true;
        projections.bootstrap = "localhost:" + kafkaPort;
        projections.dbPort = freePort();
        projections.dataDirectory = dir.resolve("projections-pg");
        projections.env = Map.of();
        projections.out = new PrintStream(projectionsOut, true, StandardCharsets.UTF_8);
        projections.installShutdownHook = false;

        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<Integer> serving = threads.submit(serve);
            await("serve is up", () -> serveOut.toString(StandardCharsets.UTF_8).contains("Stop with Ctrl-C") || serving.isDone());
            String output = serveOut.toString(StandardCharsets.UTF_8);
            assertThat(output).contains("Local Kafka (KRaft, single node) on localhost:" + kafkaPort)
                    .contains("Kafka       localhost:" + kafkaPort + ", topic etat.ledger.events");
            Api api = new Api(serve.httpPort());
            assertThat(api.get("/actuator/health", null).text()).contains("\"kafka\"");

            Future<Integer> projecting = threads.submit(projections);
            await("projections is up", () -> projectionsOut.toString(StandardCharsets.UTF_8).contains("Projecting") || projecting.isDone());
            JdbcTemplate ledger = new JdbcTemplate(embedded(serve.dbPort));
            PGSimpleDataSource readSide = embedded(projections.dbPort);
            JdbcTemplate read = new JdbcTemplate(readSide);
            int events = ledger.queryForObject("SELECT count(*) FROM domain_event_entry", Integer.class);
            assertThat(events).isGreaterThan(15);
            await("every demo event projected by the standalone service",
                    () -> org.etat.app.projection.Projected.events(readSide, embedded(serve.dbPort)) == events);
            await("every demo event projected in process",
                    () -> org.etat.app.projection.Projected.events(embedded(serve.dbPort)) == events);
            assertThat(Digest.of(readSide, ReadModelSchema.LIVE)).isEqualTo(Digest.of(embedded(serve.dbPort), ReadModelSchema.LIVE));

            projections.stop();
            assertThat(projecting.get(60, TimeUnit.SECONDS)).isZero();
            serve.stop();
            assertThat(serving.get(60, TimeUnit.SECONDS)).isZero();
        } finally {
            projections.stop();
            serve.stop();
            threads.shutdownNow();
        }
    }

    private static PGSimpleDataSource embedded(int port) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl("jdbc:postgresql://localhost:" + port + "/postgres");
        ds.setUser("postgres");
        ds.setPassword("postgres");
        return ds;
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("not within 180 s: " + what).isLessThan(deadline);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
