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
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The append benchmark's harness at a tiny size: it runs every mode and writes its files. No timing is asserted. */
class AppendBenchmarkTest {

    @Test
    void givenATinyRun_whenTheBenchmarkRuns_thenEveryModeAppendsItsEntriesAndBothFilesAreWritten(@TempDir Path out) throws Exception {
        AppendBenchmark.Settings settings = new AppendBenchmark.Settings(200, 40, 4, 50, List.of(1, 2), true, 0, 7L, out, Map.of());
        ByteArrayOutputStream console = new ByteArrayOutputStream();

        Path json = new AppendBenchmark(settings, new PrintStream(console, true, StandardCharsets.UTF_8)).run();

        JsonNode report = AppendBenchmark.json().readTree(json.toFile());
        List<String> modes = new ArrayList<>();
        report.get("phases").forEach(p -> modes.add(p.get("mode").asText() + "/" + p.get("threads").asInt() + "/" + p.get("entries").asInt()));
        assertThat(modes).containsExactly("raw JDBC/1/200", "raw JDBC, no reWriteBatchedInserts/1/200", "single/1/40", "single/2/40",
                "batched, read side paused/1/200", "batched, read side live/1/200");
        assertThat(report.get("postgres").get("synchronous_commit").asText()).isEqualTo("on");
        assertThat(report.get("postgres").get("fsync").asText()).isEqualTo("on");
        assertThat(report.get("postgres").has("wal_sync_method")).isTrue();
        // warm-up (10 single, 10 batched) + 2 x 40 single + 2 x 200 batched, counted in the log by the benchmark
        assertThat(report.get("storedExpenditures").asLong()).isEqualTo(10 + 10 + 80 + 400);
        assertThat(report.get("readSideCatchUpSeconds").asDouble()).isPositive();
        String markdown = Files.readString(out.resolve("append.md"), StandardCharsets.UTF_8);
        assertThat(markdown).contains("| batched, read side paused | 1 | 50 | 4 | 200 |", "| batched, read side live | 1 | 50 | 4 | 200 |",
                "read side (projection, audit chain) caught up", "| synchronous_commit | on |", "./etat bench append --entries 200");
    }
}
