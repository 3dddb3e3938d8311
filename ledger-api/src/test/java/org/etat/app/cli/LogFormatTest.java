package org.etat.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LogFormatTest {

    @Test
    void etatLogFormatJsonSwitchesTheConsoleToStructuredEcsLogging() {
        assertThat(ApplicationStarter.logFormat(Map.of("ETAT_LOG_FORMAT", "json")))
                .containsExactly(Map.entry("logging.structured.format.console", "ecs"));
        assertThat(ApplicationStarter.logFormat(Map.of())).isEmpty();
        assertThat(ApplicationStarter.logFormat(Map.of("ETAT_LOG_FORMAT", "text"))).isEmpty();
        assertThatThrownBy(() -> ApplicationStarter.logFormat(Map.of("ETAT_LOG_FORMAT", "xml"))).hasMessageContaining("json or text");
    }
}
