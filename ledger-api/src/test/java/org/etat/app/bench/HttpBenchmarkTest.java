package org.etat.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP benchmark's harness at a tiny size: every mode runs without failures and both files are written. No timing is asserted. */
class HttpBenchmarkTest {

    @Test
    void givenATinyRun_whenTheBenchmarkRuns_thenEveryModeSucceedsAndBothFilesAreWritten(@TempDir Path out) throws Exception {
        HttpBenchmark.Settings settings = new HttpBenchmark.Settings(60, 20, 2, 30, 200, 4, 3, 7L, out, false);
        ByteArrayOutputStream console = new ByteArrayOutputStream();

        Path json = new HttpBenchmark(settings, new PrintStream(console, true, StandardCharsets.UTF_8)).run();

        JsonNode report = AppendBenchmark.json().readTree(json.toFile());
        List<String> modes = new ArrayList<>();
        report.get("phases").forEach(p -> {
            modes.add(p.get("mode").asText() + "/" + p.get("entries").asInt());
            assertThat(p.get("failures").asInt()).as(p.get("mode").asText() + "; console: " + console).isZero();
        });
        assertThat(modes).containsExactly("HTTP batched, read side paused/60", "gateway batched, read side paused/60",
                "HTTP batched, read side live/60", "gateway batched, read side live/60", "HTTP single, fixed rate/30",
                "gateway single, fixed rate/30");
        assertThat(Files.readString(out.resolve("http.md"), StandardCharsets.UTF_8)).contains("./etat bench http --entries 60",
                "HTTP single, fixed rate at 200 requests/s");
    }
}
