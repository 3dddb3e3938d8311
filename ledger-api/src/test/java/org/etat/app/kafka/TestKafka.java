package org.etat.app.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.utils.AppInfoParser;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The broker of a Kafka test, chosen like {@code TestDatabase} chooses PostgreSQL: Testcontainers'
 * Kafka ({@code apache/kafka} at the client's pinned version) where a Docker engine answers,
 * otherwise an embedded KRaft broker in this JVM. Either way a real Kafka broker, never a mock.
 * {@code -Detat.test.kafka=embedded} or {@code =docker} forces one; {@code docker} without an engine
 * fails instead of quietly running on the other.
 */
final class TestKafka {

    static final String PROPERTY = "etat.test.kafka";
    static final String EMBEDDED = "embedded";
    static final String TESTCONTAINERS = "testcontainers";

    private TestKafka() {
    }

    /** A broker under test: where clients find it, which kind it is, and an outage to switch on and off. */
    interface Broker extends AutoCloseable {
        String bootstrap();

        String kind();

        /** Clients can no longer reach the broker (until {@link #recover()}); the topic's data stays. */
        void outage();

        void recover();

        @Override
        void close();
    }

    /** Which broker {@code forced} (the property's value) and a Docker engine's presence give. */
    static String choose(String forced, BooleanSupplier dockerAnswers) {
        return switch (forced == null ? "" : forced) {
            case EMBEDDED -> EMBEDDED;
            case "docker" -> {
                if (!dockerAnswers.getAsBoolean()) {
                    throw new IllegalStateException("-D" + PROPERTY + "=docker, but no Docker engine answers");
                }
                yield TESTCONTAINERS;
            }
            case "" -> dockerAnswers.getAsBoolean() ? TESTCONTAINERS : EMBEDDED;
            default -> throw new IllegalArgumentException("-D" + PROPERTY + " must be embedded or docker, got " + forced);
        };
    }

    static String chosen() {
        return choose(System.getProperty(PROPERTY, ""), TestKafka::dockerAnswers);
    }

    /**
     * A single broker. Embedded: {@code spring-kafka-test}'s {@link EmbeddedKafkaKraftBroker}, with
     * the transaction log on one replica (the publisher is transactional). It has no outage.
     */
    static Broker start() {
        if (chosen().equals(TESTCONTAINERS)) {
            return Container.start();
        }
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1);
        broker.brokerProperty("transaction.state.log.replication.factor", "1");
        broker.brokerProperty("transaction.state.log.min.isr", "1");
        broker.afterPropertiesSet();
        return new Broker() {
            public String bootstrap() {
                return broker.getBrokersAsString();
            }

            public String kind() {
                return EMBEDDED;
            }

            public void outage() {
                throw new UnsupportedOperationException("use TestKafka.restartable for an outage");
            }

            public void recover() {
                throw new UnsupportedOperationException("use TestKafka.restartable for an outage");
            }

            public void close() {
                broker.destroy();
            }
        };
    }

    /**
     * A broker that can go away and come back with its data. Embedded: {@link LocalKafkaBroker}
     * (Apache Kafka's KRaft server, as {@code serve --with-kafka} runs it), stopped and restarted on
     * the same port and log directory. Testcontainers: the container is paused and unpaused (the
     * broker process freezes; clients' requests time out, as in a network partition), because a
     * restarted container would get new ports.
     */
    static Broker restartable(Path logDirectory) throws IOException {
        if (chosen().equals(TESTCONTAINERS)) {
            return Container.start();
        }
        LocalKafkaBroker broker = new LocalKafkaBroker(logDirectory, freePort(), freePort()).start();
        return new Broker() {
            public String bootstrap() {
                return broker.bootstrap();
            }

            public String kind() {
                return EMBEDDED;
            }

            public void outage() {
                broker.stop();
            }

            public void recover() {
                try {
                    broker.start();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            public void close() {
                broker.close();
            }
        };
    }

    private record Container(KafkaContainer container) implements Broker {

        @SuppressWarnings("resource")
        static Container start() {
            KafkaContainer kafka = new KafkaContainer("apache/kafka:" + AppInfoParser.getVersion())
                    .withEnv("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
                    .withEnv("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
                    .withEnv("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1");
            kafka.start();
            return new Container(kafka);
        }

        public String bootstrap() {
            return container.getBootstrapServers();
        }

        public String kind() {
            return TESTCONTAINERS;
        }

        public void outage() {
            DockerClientFactory.instance().client().pauseContainerCmd(container.getContainerId()).exec();
        }

        public void recover() {
            DockerClientFactory.instance().client().unpauseContainerCmd(container.getContainerId()).exec();
        }

        public void close() {
            container.stop();
        }
    }

    private static boolean dockerAnswers() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable t) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
