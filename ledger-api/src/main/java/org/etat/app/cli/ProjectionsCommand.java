package org.etat.app.cli;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.etat.app.kafka.KafkaProjectionConsumer;
import org.etat.app.kafka.KafkaSettings;
import org.etat.projection.Projector;
import org.flywaydb.core.Flyway;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code etat projections --from-kafka}: the read side as its own process. Consumes the ledger's
 * topic and builds the read models in its own PostgreSQL (ETAT_DB_URL / ETAT_DB_USER /
 * ETAT_DB_PASSWORD, else an embedded one in {@code --data}); no Axon, no HTTP. Several processes with
 * the same {@code --group} share the partitions. Runs until SIGTERM or Ctrl-C.
 */
@Command(name = "projections", mixinStandardHelpOptions = true,
        description = "Run the read models as their own service, fed from Kafka (--from-kafka), in their own PostgreSQL.")
public final class ProjectionsCommand implements Callable<Integer> {

    public static final String BOOTSTRAP_ENV = "ETAT_KAFKA_BOOTSTRAP";
    public static final String GROUP_ENV = "ETAT_KAFKA_GROUP";
    public static final String TOPIC_ENV = "ETAT_KAFKA_TOPIC";
    /** Replicas of the dead-letter topic when this service creates it (3 and 2 with three brokers). */
    public static final String REPLICATION_ENV = "ETAT_KAFKA_REPLICATION_FACTOR";
    public static final String MIN_INSYNC_ENV = "ETAT_KAFKA_MIN_INSYNC_REPLICAS";

    @Option(names = "--from-kafka", required = true, description = "Consume the ledger's event topic (the only source so far).")
    boolean fromKafka;

    @Option(names = "--bootstrap", description = "Kafka bootstrap servers host:port (default: $" + BOOTSTRAP_ENV + ").")
    String bootstrap;

    @Option(names = "--topic", description = "Event topic (default: $" + TOPIC_ENV + " or " + KafkaSettings.DEFAULT_TOPIC + ").")
    String topic;

    @Option(names = "--group", description = "Consumer group; instances of one group share the partitions (default: $" + GROUP_ENV
            + " or " + KafkaProjectionConsumer.DEFAULT_GROUP + ").")
    String group;

    @Option(names = "--db-port", defaultValue = "54339", description = "Port of the embedded PostgreSQL (default: ${DEFAULT-VALUE}).")
    int dbPort;

    @Option(names = "--data", defaultValue = "data/projections-pg",
            description = "Data directory of the embedded PostgreSQL (default: ${DEFAULT-VALUE}).")
    Path dataDirectory;

    @Option(names = "--heartbeat-file", description = "File touched on every poll, for a container health check.")
    Path heartbeatFile;

    Map<String, String> env = System.getenv();
    PrintStream out = System.out;
    /** Tests stop the service with {@link #stop()}; false keeps the JVM's hook out. */
    boolean installShutdownHook = true;
    private volatile KafkaProjectionConsumer running;

    @Override
    public Integer call() throws Exception {
        String servers = firstNonBlank(bootstrap, env.get(BOOTSTRAP_ENV));
        if (servers == null) {
            out.println("etat projections: no Kafka bootstrap; pass --bootstrap HOST:PORT or set " + BOOTSTRAP_ENV);
            return 2;
        }
        KafkaProjectionConsumer.Settings settings = new KafkaProjectionConsumer.Settings(servers,
                firstNonBlank(topic, env.get(TOPIC_ENV), KafkaSettings.DEFAULT_TOPIC),
                firstNonBlank(group, env.get(GROUP_ENV), KafkaProjectionConsumer.DEFAULT_GROUP), 500, heartbeatFile,
                Short.parseShort(firstNonBlank(env.get(REPLICATION_ENV), "1")), Integer.parseInt(firstNonBlank(env.get(MIN_INSYNC_ENV), "1")));
        try (LedgerDatabase db = LedgerDatabase.open(env, dataDirectory, dbPort, out);
                HikariDataSource dataSource = dataSource(db)) {
            Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").outOfOrder(true).load().migrate();
            KafkaProjectionConsumer consumer = new KafkaProjectionConsumer(dataSource, new Projector(dataSource), settings);
            running = consumer;
            if (installShutdownHook) {
                Runtime.getRuntime().addShutdownHook(new Thread(consumer::close, "etat-projections-shutdown"));
            }
            out.printf("Projecting %s from Kafka %s as group %s into %s. Stop with Ctrl-C or SIGTERM.%n", settings.topic(), servers,
                    settings.groupId(), db.jdbcUrl());
            out.flush();
            consumer.start();
            consumer.awaitStopped();
        }
        return 0;
    }

    /** Stops consuming; {@link #call()} then closes the database and returns. */
    void stop() {
        KafkaProjectionConsumer consumer = running;
        if (consumer != null) {
            consumer.close();
        }
    }

    private static HikariDataSource dataSource(LedgerDatabase db) {
        Map<String, Object> p = db.springProperties();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl((String) p.get("spring.datasource.url"));
        config.setUsername((String) p.get("spring.datasource.username"));
        config.setPassword((String) p.get("spring.datasource.password"));
        config.setMaximumPoolSize(4);
        config.setPoolName("etat-projections");
        return new HikariDataSource(config);
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }
}
