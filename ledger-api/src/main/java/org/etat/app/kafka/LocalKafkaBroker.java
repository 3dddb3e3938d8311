package org.etat.app.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A single-node KRaft broker (combined broker and controller) for {@code ./etat serve --with-kafka}:
 * Apache Kafka's own server classes ({@code org.apache.kafka:kafka_2.13} at the pinned version, from
 * Maven Central), not a test kit. Its log lives in a directory of its own, formatted once, so a restart
 * keeps the topic; {@link #stop()} and {@link #start()} may alternate (the failure tests do).
 * Single node means replication factor 1 for the internal topics; production runs three brokers
 * (docker/README.md).
 */
public final class LocalKafkaBroker implements AutoCloseable {

    private final Path logDirectory;
    private final int port;
    private final int controllerPort;
    private KafkaRaftServer server;

    public LocalKafkaBroker(Path logDirectory, int port, int controllerPort) {
        this.logDirectory = logDirectory.toAbsolutePath();
        this.port = port;
        this.controllerPort = controllerPort;
    }

    public synchronized LocalKafkaBroker start() throws IOException {
        if (server != null) {
            return this;
        }
        quiet();
        // Kafka halts the whole JVM when it cannot bind a listener: refuse here instead, with the reason.
        for (int p : new int[] {port, controllerPort}) {
            try (java.net.ServerSocket probe = new java.net.ServerSocket(p)) {
                probe.setReuseAddress(true);
            } catch (IOException e) {
                throw new IOException("port " + p + " for the local Kafka broker is in use (--kafka-port, --kafka-controller-port)", e);
            }
        }
        Files.createDirectories(logDirectory);
        Properties props = properties();
        if (!Files.exists(logDirectory.resolve("meta.properties"))) {
            format(props);
        }
        server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        server.startup();
        return this;
    }

    /** The broker logs every step at INFO; before Spring configures logging, logback's default would print it all. */
    private static void quiet() {
        for (String name : new String[] {"kafka", "org.apache.kafka", "state.change.logger"}) {
            if (org.slf4j.LoggerFactory.getLogger(name) instanceof ch.qos.logback.classic.Logger logger && logger.getLevel() == null) {
                logger.setLevel(ch.qos.logback.classic.Level.WARN);
            }
        }
    }

    public synchronized void stop() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }

    public String bootstrap() {
        return "localhost:" + port;
    }

    public Path logDirectory() {
        return logDirectory;
    }

    Properties properties() {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@localhost:" + controllerPort);
        p.put("listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://localhost:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", logDirectory.toString());
        // One node: internal topics cannot have more replicas than that (stack.md: transactions need these).
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("num.partitions", "6");
        p.put("auto.create.topics.enable", "false");
        return p;
    }

    private void format(Properties props) throws IOException {
        Path config = logDirectory.resolveSibling(logDirectory.getFileName() + ".properties");
        try (OutputStream out = Files.newOutputStream(config)) {
            props.store(out, "etat local KRaft broker");
        }
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        int rc = StorageTool.execute(new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c", config.toString(),
                "--ignore-formatted"}, new PrintStream(log, true, StandardCharsets.UTF_8));
        if (rc != 0) {
            throw new IOException("formatting the Kafka log directory " + logDirectory + " failed: " + log.toString(StandardCharsets.UTF_8));
        }
    }

    @Override
    public void close() {
        stop();
    }
}
