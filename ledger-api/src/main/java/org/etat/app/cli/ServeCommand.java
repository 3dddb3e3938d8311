package org.etat.app.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.etat.app.EtatApplication;
import org.etat.app.kafka.KafkaSettings;
import org.etat.app.kafka.LocalKafkaBroker;
import org.etat.ledger.scenario.Ruhrkonferenz;
import org.etat.app.demo.RuhrkonferenzDemo;
import org.etat.app.ledger.LedgerGateway;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code etat serve}: the HTTP API on PostgreSQL (embedded unless ETAT_DB_URL is set). Prints where
 * the API, Swagger UI and health are, the database and the users; with {@code --demo} records the
 * Ruhrkonferenz case first (fixed request ids: a restart records nothing new). Runs until SIGTERM
 * or Ctrl-C, then stops the web server (letting requests finish), the application and the database,
 * in that order.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the HTTP API (Swagger UI at /swagger-ui.html) on PostgreSQL, embedded unless ETAT_DB_URL is set.")
public final class ServeCommand implements Callable<Integer> {

    /** Users are generated unless ETAT_USERS names them. */
    static final String USERS_ENV = "ETAT_USERS";
    static final List<String> GENERATED = List.of("finance:FINANCE", "budget:BUDGET_ADMIN", "court:COURT_OF_AUDIT", "auditor:AUDITOR");

    @Option(names = "--demo", description = "Record the Ruhrkonferenz case before serving (once; a restart records nothing new).")
    boolean demo;

    @Option(names = "--port", defaultValue = "8080", description = "HTTP port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--db-port", defaultValue = "54329", description = "Port of the embedded PostgreSQL (default: ${DEFAULT-VALUE}).")
    int dbPort;

    @Option(names = "--data", defaultValue = "data/pg", description = "Data directory of the embedded PostgreSQL (default: ${DEFAULT-VALUE}).")
    Path dataDirectory;

    @Option(names = "--with-kafka", description = "Also start a local single-node KRaft broker (Apache Kafka's own server jars) and publish every event to it.")
    boolean withKafka;

    @Option(names = "--kafka-port", defaultValue = "9092", description = "Port of the local Kafka broker (default: ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Option(names = "--kafka-controller-port", defaultValue = "0",
            description = "Port of the local broker's KRaft controller (default: --kafka-port + 1).")
    int kafkaControllerPort;

    @Option(names = "--kafka-data", defaultValue = "data/kafka", description = "Log directory of the local Kafka broker (default: ${DEFAULT-VALUE}).")
    Path kafkaDirectory;

    /** Where the settings and the output come from; tests replace them. */
    Map<String, String> env = System.getenv();
    PrintStream out = System.out;
    /** Tests stop the server by calling {@link #stop()} instead of sending SIGTERM; false keeps the JVM's hook out. */
    boolean installShutdownHook = true;

    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile Runnable stopAction = () -> { };
    private volatile int httpPort = -1;

    @Override
    public Integer call() throws Exception {
        LedgerDatabase db = LedgerDatabase.open(env, dataDirectory, dbPort, out, false);
        LocalKafkaBroker kafka = null;
        ConfigurableApplicationContext app;
        String users = env.get(USERS_ENV);
        boolean generated = users == null || users.isBlank();
        try {
            Map<String, Object> properties = new LinkedHashMap<>(db.springProperties());
            properties.put("server.port", port);
            if (generated) {
                users = generateUsers();
            }
            properties.put("etat.users", users);
            if (withKafka) {
                kafka = new LocalKafkaBroker(kafkaDirectory, kafkaPort, kafkaControllerPort > 0 ? kafkaControllerPort : kafkaPort + 1).start();
                properties.put("etat.kafka.bootstrap", kafka.bootstrap());
                out.printf("Local Kafka (KRaft, single node) on %s, log in %s%n", kafka.bootstrap(), kafka.logDirectory());
            }
            app = new SpringApplicationBuilder(EtatApplication.class).web(WebApplicationType.SERVLET).registerShutdownHook(false)
                    .properties(properties).run();
        } catch (Exception e) {
            if (kafka != null) {
                kafka.close();
            }
            db.close();
            throw e;
        }
        LocalKafkaBroker broker = kafka;
        stopAction = () -> {
            try {
                app.close(); // graceful: the web server first lets running requests finish
            } finally {
                if (broker != null) {
                    broker.close(); // after the publisher, before the database
                }
                try {
                    db.close();
                } catch (Exception e) {
                    out.println("etat: could not stop the embedded PostgreSQL: " + e.getMessage());
                }
                stopped.countDown();
            }
        };
        Thread hook = new Thread(this::stop, "etat-serve-shutdown");
        if (installShutdownHook) {
            // SIGTERM and Ctrl-C stop in order (web server, application, database) before the JVM's shutdown
            // hooks run: the embedded PostgreSQL has a hook of its own that would otherwise stop it at the same time.
            for (String signal : List.of("TERM", "INT")) {
                try {
                    sun.misc.Signal.handle(new sun.misc.Signal(signal), s -> new Thread(this::stop, "etat-serve-" + signal).start());
                } catch (IllegalArgumentException e) {
                    // signal not available on this platform: the shutdown hook below still stops everything
                }
            }
            Runtime.getRuntime().addShutdownHook(hook);
        }
        if (demo) {
            int steps = RuhrkonferenzDemo.record(app.getBean(LedgerGateway.class)).size();
            out.printf("Ruhrkonferenz demo: %d requests recorded (fixed request ids: a restart records nothing new).%n", steps);
        }
        httpPort = ((WebServerApplicationContext) app).getWebServer().getPort();
        String base = "http://localhost:" + httpPort;
        out.printf("%nEtat is serving.%n");
        out.printf("  Dashboard   %s/dashboard/   (sign in as a COURT_OF_AUDIT or AUDITOR user)%n", base);
        out.printf("  API         %s/api/v1%n", base);
        out.printf("  Swagger UI  %s/swagger-ui.html   (OpenAPI: %s/v3/api-docs)%n", base, base);
        out.printf("  Health      %s/actuator/health   (metrics for AUDITOR: %s/actuator/prometheus)%n", base, base);
        out.printf("  Database    %s%n", db.jdbcUrl());
        KafkaSettings kafkaSettings = app.getBeanProvider(KafkaSettings.class).getIfAvailable();
        if (kafkaSettings != null) {
            out.printf("  Kafka       %s, topic %s  (read side: ./etat projections --from-kafka --bootstrap %s)%n", kafkaSettings.bootstrap(),
                    kafkaSettings.topic(), kafkaSettings.bootstrap());
        }
        if (generated) {
            out.printf("  Users (generated for this run; set %s=name:password:ROLE,... to choose):%n", USERS_ENV);
            for (String user : users.split(",")) {
                String[] p = user.split(":");
                out.printf("    %-8s %-22s %s%n", p[0], p[1], p[2]);
            }
        } else {
            out.printf("  Users       from %s%n", USERS_ENV);
        }
        out.println("Stop with Ctrl-C or SIGTERM.");
        out.flush();
        stopped.await();
        return 0;
    }

    /** Stops the application and the database; the SIGTERM hook calls this too. Idempotent. */
    public void stop() {
        Runnable action = stopAction;
        stopAction = () -> { };
        action.run();
    }

    /** The HTTP port once serving, else -1. */
    int httpPort() {
        return httpPort;
    }

    static String generateUsers() {
        SecureRandom random = new SecureRandom();
        StringBuilder spec = new StringBuilder();
        for (String user : GENERATED) {
            String[] p = user.split(":");
            StringBuilder password = new StringBuilder();
            String alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
            for (int i = 0; i < 20; i++) {
                password.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            spec.append(spec.length() == 0 ? "" : ",").append(p[0]).append(':').append(password).append(':').append(p[1]);
        }
        return spec.toString();
    }
}
