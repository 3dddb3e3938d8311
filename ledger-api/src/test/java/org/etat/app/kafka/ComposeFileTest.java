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
import java.io.OutputStream;
import java.io.PrintStream;
import org.etat.app.cli.LedgerDatabase;
import org.etat.app.cli.ProjectionsCommand;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.support.ResourcePropertySource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker/compose.yaml and docker/Dockerfile cannot be started here (no Docker engine), so they are
 * parsed and checked: the services, images, ports, health checks and volumes, and that every
 * variable compose gives an Etat service is one its command really reads.
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

    /**
     * Each variable compose gives an Etat service must change what that service's command reads.
     * The API ({@code serve}): its database from {@link LedgerDatabase}, everything else through
     * Spring's environment (relaxed binding of {@code etat.kafka.*} into {@link KafkaSettings}, and
     * {@code etat.users}), probed by binding with and without a changed value. The projection
     * service ({@code projections}, no Spring): the names {@link ProjectionsCommand} and
     * {@link LedgerDatabase} read. A name that only appears in a comment does not count.
     */
    @Test
    void theEnvironmentGivenToEtatNamesOnlyVariablesItsCommandReads() throws IOException {
        Map<String, String> api = env("etat-api");
        Map<String, String> projections = env("etat-projections");
        for (Map<String, String> env : List.of(api, projections)) {
            assertThat(env).containsKeys(LedgerDatabase.URL_ENV, LedgerDatabase.USER_ENV, LedgerDatabase.PASSWORD_ENV, ProjectionsCommand.BOOTSTRAP_ENV);
            try (LedgerDatabase db = LedgerDatabase.open(env, Path.of("target", "no-embedded-db"), 0, new PrintStream(OutputStream.nullOutputStream()))) {
                assertThat(db.springProperties()).containsEntry("spring.datasource.url", env.get(LedgerDatabase.URL_ENV))
                        .containsEntry("spring.datasource.username", env.get(LedgerDatabase.USER_ENV))
                        .containsEntry("spring.datasource.password", env.get(LedgerDatabase.PASSWORD_ENV));
            }
        }
        Set<String> database = Set.of(LedgerDatabase.URL_ENV, LedgerDatabase.USER_ENV, LedgerDatabase.PASSWORD_ENV);

        // The API: what Spring binds from this environment, and that each variable matters to it.
        KafkaSettings bound = kafkaSettings(api);
        assertThat(bound.bootstrap()).isEqualTo(api.get("ETAT_KAFKA_BOOTSTRAP"));
        assertThat(bound.topic()).isEqualTo(api.get("ETAT_KAFKA_TOPIC"));
        assertThat(bound.partitions()).isEqualTo(Integer.parseInt(api.get("ETAT_KAFKA_PARTITIONS")));
        assertThat(bound.replicationFactor()).isEqualTo(Short.parseShort(api.get("ETAT_KAFKA_REPLICATION_FACTOR")));
        assertThat(bound.minInsyncReplicas()).isEqualTo(Integer.parseInt(api.get("ETAT_KAFKA_MIN_INSYNC_REPLICAS")));
        assertThat(springEnvironment(api).getProperty("etat.users")).isEqualTo(api.get("ETAT_USERS"));
        for (String variable : api.keySet()) {
            if (JVM_VARIABLES.contains(variable) || database.contains(variable)) {
                continue;
            }
            Map<String, String> changed = new java.util.HashMap<>(api);
            changed.put(variable, probe(api.get(variable)));
            assertThat(readByTheApi(changed)).as("etat-api sets " + variable + ", which serve never reads").isNotEqualTo(readByTheApi(api));
        }

        // The projection service: only the names its command reads.
        Set<String> projectionsReads = Set.of(ProjectionsCommand.BOOTSTRAP_ENV, ProjectionsCommand.TOPIC_ENV, ProjectionsCommand.GROUP_ENV,
                ProjectionsCommand.REPLICATION_ENV, ProjectionsCommand.MIN_INSYNC_ENV);
        for (String variable : projections.keySet()) {
            if (!JVM_VARIABLES.contains(variable) && !database.contains(variable)) {
                assertThat(projectionsReads).as("etat-projections sets " + variable + ", which `projections` never reads").contains(variable);
            }
        }
        assertThat(projections.get(ProjectionsCommand.TOPIC_ENV)).isEqualTo(bound.topic());
        // The two Etat services use different databases.
        assertThat(api.get(LedgerDatabase.URL_ENV)).isNotEqualTo(projections.get(LedgerDatabase.URL_ENV));
    }

    /** What serve reads from its environment besides the database: the Kafka settings (or why they fail) and the users. */
    private static String readByTheApi(Map<String, String> env) {
        String kafka;
        try {
            kafka = kafkaSettings(env).toString();
        } catch (RuntimeException e) {
            kafka = "invalid: " + e.getMessage();
        }
        return kafka + " users=" + springEnvironment(env).getProperty("etat.users");
    }

    private static KafkaSettings kafkaSettings(Map<String, String> env) {
        return Binder.get(springEnvironment(env)).bindOrCreate("etat.kafka", KafkaSettings.class);
    }

    /** The application's settings files under an operating-system environment of {@code env}, as Spring resolves them. */
    private static StandardEnvironment springEnvironment(Map<String, String> env) {
        StandardEnvironment spring = new StandardEnvironment();
        spring.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new java.util.HashMap<>(env)));
        spring.getPropertySources().remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        try {
            // config/application.properties takes precedence over application.properties, as in Spring Boot.
            spring.getPropertySources().addLast(new ResourcePropertySource("config", "classpath:config/application.properties"));
            spring.getPropertySources().addLast(new ResourcePropertySource("application", "classpath:application.properties"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        ConfigurationPropertySources.attach(spring);
        return spring;
    }

    /** A different value of the same shape: numbers + 1, anything else with a suffix. */
    private static String probe(String value) {
        return value.matches("\\d+") ? String.valueOf(Long.parseLong(value) + 1) : value + "-probe";
    }

    private static Map<String, String> env(String service) {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        map(services.get(service).get("environment")).forEach((k, v) -> env.put(k, resolveDefault(String.valueOf(v))));
        return env;
    }

    /** Compose's {@code ${NAME:-default}} and {@code ${NAME:?message}}: the default, or a stand-in for a required value. */
    private static String resolveDefault(String value) {
        Matcher m = Pattern.compile("\\$\\{[A-Z0-9_]+(?::-([^}]*)|:\\?[^}]*)}").matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) != null ? m.group(1) : "court:court-pw:COURT_OF_AUDIT"));
        }
        m.appendTail(out);
        return out.toString();
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
