package org.etat.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The verification benchmark's harness at a tiny size: the synthetic log verifies in every mode and both files are written. No timing is asserted. */
class VerifyBenchmarkTest {

    @Test
    void givenATinyRun_whenTheBenchmarkRuns_thenEveryModeSeesEveryEventAndBothFilesAreWritten(@TempDir Path out) throws Exception {
        VerifyBenchmark.Settings settings = new VerifyBenchmark.Settings(1_000, 5, 2, 7L, out, true);
        ByteArrayOutputStream console = new ByteArrayOutputStream();

        Path json = new VerifyBenchmark(settings, new PrintStream(console, true, StandardCharsets.UTF_8)).run();

        JsonNode report = new ObjectMapper().readTree(json.toFile());
        List<String> modes = new ArrayList<>();
        report.get("modes").forEach(m -> modes.add(m.get("mode").asText() + "/" + m.get("seconds").size()));
        assertThat(modes).containsExactly("raw/2", "raw-jdbc/2", "chain/2", "full/2");
        assertThat(report.get("events").asLong()).isEqualTo(1_000);
        assertThat(Files.readString(out.resolve("verify.md"), StandardCharsets.UTF_8))
                .contains("./etat bench verify --events 1000 --lines 5 --runs 2", "| chain |", "Target: chain verification >= 300,000 events/s");
    }
}
