package org.etat.app.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** How the Kafka tests pick their broker: Docker when it answers, embedded otherwise, forced either way. */
class TestKafkaTest {

    @Test
    void givenNothingForced_thenTestcontainersWhereDockerAnswersAndEmbeddedElsewhere() {
        assertThat(TestKafka.choose("", () -> true)).isEqualTo(TestKafka.TESTCONTAINERS);
        assertThat(TestKafka.choose("", () -> false)).isEqualTo(TestKafka.EMBEDDED);
    }

    @Test
    void givenEmbeddedForced_thenEmbeddedEvenWithDocker() {
        assertThat(TestKafka.choose("embedded", () -> true)).isEqualTo(TestKafka.EMBEDDED);
    }

    @Test
    void givenDockerForcedWithoutAnEngine_thenItFailsInsteadOfRunningOnTheOther() {
        assertThat(TestKafka.choose("docker", () -> true)).isEqualTo(TestKafka.TESTCONTAINERS);
        assertThatThrownBy(() -> TestKafka.choose("docker", () -> false)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no Docker engine");
        assertThatThrownBy(() -> TestKafka.choose("podman", () -> true)).isInstanceOf(IllegalArgumentException.class);
    }
}
