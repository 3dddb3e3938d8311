package org.etat.app.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker/compose.yaml and docker/Dockerfile cannot be started here (no Docker engine), so they are
 * parsed and checked: the services, images, ports, health checks and volumes, and that the
 * environment compose gives Etat names only variables the application reads.
 */
class ComposeFileTest {

    private static final Path DOCKER = Path.of("..", "docker");
    private static final Set<String> ETAT_SERVICES = Set.of("etat-api", "etat-projections");
    /** Variables the JVM itself reads. */
    private static final Set<String> JVM_VARIABLES = Set.of("JAVA_TOOL_OPTIONS");

    private static Map<String, Object> compose;
    private static Map<String, Map<String, Object>> services;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void parse() throws IOException {
        compose = new Yaml().load(Files.readString(DOCKER.resolve("compose.yaml")));
        services = (Map<String, Map<String, Object>>) compose.get("services");
    }

    @Test
    void composeRunsLedgerDatabaseKafkaTheApiAndTheProjectionServiceOnPinnedImages() throws IOException {
        assertThat(services).containsOnlyKeys("postgres", "projections-postgres", "kafka", "etat-api", "etat-projections");
        assertThat(services.get("postgres").get("image")).isEqualTo("postgres:17");
        assertThat(services.get("projections-postgres").get("image")).isEqualTo("postgres:17");
        // The broker is the version the client is pinned to in the root pom.
        Matcher pinned = Pattern.compile("<kafka.version>([^<]+)</kafka.version>").matcher(Files.readString(Path.of("..", "pom.xml")));
        assertThat(pinned.find()).isTrue();
        assertThat(services.get("kafka").get("image")).isEqualTo("apache/kafka:" + pinned.group(1));
        for (String etat : ETAT_SERVICES) {
            assertThat(services.get(etat).get("image")).isEqualTo("etat:latest");
            assertThat(map(services.get(etat).get("build")).get("dockerfile")).isEqualTo("docker/Dockerfile");
        }
        assertThat(list(services.get("etat-api").get("command"))).containsSubsequence(List.of("serve", "--port", "8080"));
        assertThat(list(services.get("etat-api").get("ports"))).containsExactly((Object) "8080:8080");
        assertThat(list(services.get("etat-projections").get("command"))).containsSubsequence(List.of("projections", "--from-kafka"));
        assertThat(services.get("etat-projections")).doesNotContainKey("ports");
        Map<String, Object> kafkaEnv = map(services.get("kafka").get("environment"));
        assertThat(kafkaEnv.get("KAFKA_PROCESS_ROLES")).isEqualTo("broker,controller");
        assertThat(kafkaEnv.get("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR")).isEqualTo(1);
        assertThat(kafkaEnv.get("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR")).isEqualTo(1);
        assertThat(String.valueOf(kafkaEnv.get("KAFKA_ADVERTISED_LISTENERS"))).contains("kafka:9092");
    }

    @Test
    void everyServiceHasAHealthCheckAndWaitsForHealthyDependencies() {
        services.forEach((name, service) -> {
            Map<String, Object> health = map(service.get("healthcheck"));
            assertThat(list(health.get("test"))).as(name).isNotEmpty();
            assertThat(health).as(name).containsKeys("interval", "timeout", "retries");
            Object dependsOn = service.get("depends_on");
            if (dependsOn != null) {
                map(dependsOn).forEach((dependency, condition) -> {
                    assertThat(services).as(name + " depends on " + dependency).containsKey(dependency);
                    if ("service_healthy".equals(map(condition).get("condition"))) {
                        assertThat(services.get(dependency)).containsKey("healthcheck");
                    }
                });
            }
        });
        assertThat(map(services.get("etat-api").get("depends_on"))).containsKeys("postgres", "kafka");
        assertThat(map(services.get("etat-projections").get("depends_on"))).containsKeys("projections-postgres", "kafka");
    }

    @Test
    void everyNamedVolumeIsDeclaredAndEveryDatabaseAndTheBrokerKeepTheirData() {
        Set<String> declared = map(compose.get("volumes")).keySet();
        Set<String> used = new HashSet<>();
        services.forEach((name, service) -> {
            for (Object volume : list(service.getOrDefault("volumes", List.of()))) {
                String source = String.valueOf(volume).split(":")[0];
                if (!source.startsWith(".") && !source.startsWith("/")) {
                    used.add(source);
                }
            }
        });
        assertThat(declared).containsExactlyInAnyOrderElementsOf(used);
        assertThat(list(services.get("postgres").get("volumes"))).anyMatch(v -> String.valueOf(v).endsWith(":/var/lib/postgresql/data"));
        assertThat(list(services.get("projections-postgres").get("volumes")))
                .anyMatch(v -> String.valueOf(v).endsWith(":/var/lib/postgresql/data"));
        assertThat(list(services.get("kafka").get("volumes"))).anyMatch(v -> String.valueOf(v).endsWith(":/var/lib/kafka/data"));
    }

    @Test
    void theEnvironmentGivenToEtatNamesOnlyVariablesTheApplicationReads() throws IOException {
        Set<String> read = variablesReadByTheApplication();
        assertThat(read).contains("ETAT_DB_URL", "ETAT_DB_USER", "ETAT_DB_PASSWORD", "ETAT_USERS", "ETAT_KAFKA_BOOTSTRAP");
        for (String etat : ETAT_SERVICES) {
            Map<String, Object> env = map(services.get(etat).get("environment"));
            assertThat(env).as(etat).containsKeys("ETAT_DB_URL", "ETAT_DB_USER", "ETAT_DB_PASSWORD", "ETAT_KAFKA_BOOTSTRAP");
            for (String variable : env.keySet()) {
                if (!JVM_VARIABLES.contains(variable)) {
                    assertThat(read).as(etat + " sets " + variable + ", which the application never reads").contains(variable);
                }
            }
        }
        assertThat(map(services.get("etat-api").get("environment"))).containsKey("ETAT_USERS");
        // The two Etat services use different databases.
        assertThat(map(services.get("etat-api").get("environment")).get("ETAT_DB_URL"))
                .isNotEqualTo(map(services.get("etat-projections").get("environment")).get("ETAT_DB_URL"));
    }

    @Test
    void theDockerfileBuildsInOneStageAndRunsOnAJreAsANonRootUserWithAHealthCheck() throws IOException {
        List<String> lines = Files.readAllLines(DOCKER.resolve("Dockerfile")).stream().map(String::strip)
                .filter(l -> !l.startsWith("#")).toList();
        List<String> froms = lines.stream().filter(l -> l.startsWith("FROM ")).toList();
        assertThat(froms).hasSizeGreaterThanOrEqualTo(2);
        assertThat(froms.get(0)).contains("jdk").contains(" AS build");
        String runtime = froms.get(froms.size() - 1);
        assertThat(runtime).contains("-jre").doesNotContain("jdk");
        int lastFrom = lines.indexOf(runtime);
        List<String> runStage = lines.subList(lastFrom, lines.size());
        assertThat(runStage).anyMatch(l -> l.startsWith("COPY --from=build"));
        List<String> users = runStage.stream().filter(l -> l.startsWith("USER ")).toList();
        assertThat(users).isNotEmpty();
        assertThat(users.get(users.size() - 1)).doesNotContain("root").doesNotMatch("USER\\s+0(:.*)?");
        assertThat(runStage).anyMatch(l -> l.startsWith("HEALTHCHECK "));
        assertThat(lines).anyMatch(l -> l.contains("./mvnw"));
        assertThat(runStage).anyMatch(l -> l.startsWith("EXPOSE 8080"));
    }

    /** Every ETAT_* name that appears in the application's main sources and settings. */
    private static Set<String> variablesReadByTheApplication() throws IOException {
        Set<String> names = new HashSet<>();
        Pattern name = Pattern.compile("ETAT_[A-Z0-9_]+");
        try (Stream<Path> files = Files.walk(Path.of("src", "main"))) {
            for (Path f : files.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".java") || p.toString().endsWith(".properties"))
                    .toList()) {
                Matcher m = name.matcher(Files.readString(f));
                while (m.find()) {
                    names.add(m.group());
                }
            }
        }
        return names;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        assertThat(o).isInstanceOf(Map.class);
        return (Map<String, Object>) o;
    }

    private static List<Object> list(Object o) {
        if (o instanceof String s) {
            return List.of(s);
        }
        assertThat(o).isInstanceOf(List.class);
        return List.copyOf((List<?>) o);
    }
}
