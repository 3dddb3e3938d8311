package org.etat.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The import benchmark's harness on a tiny year: it imports twice, checks the totals and writes its files. No timing is asserted. */
class ImportBenchmarkTest {

    static final String SOLL = "einzelplan;einzelplan-text;einnahmen-ausgaben;einnahmen-ausgaben-art;kapitel;kapitel-text;titel;funktion;titel-text;flex;seite;soll;titelgruppe;tgr-text\n"
            + "04;BK;A;x;0411;K;42101;011;Bezüge;ja;1;100;;\n"
            + "04;BK;A;x;0411;K;52601;011;Gutachten;nein;1;100;;\n"
            + "04;BK;E;x;0411;K;11101;011;Gebühren;;1;100;;\n";
    static final String IST = "Epl.;Kap.;Tit.;Zweckbestimmung;Ist 2021;Seite\n"
            + "4;11;42101;Bezüge;150000.25;1\n"
            + "4;11;52601;Gutachten;10;1\n"
            + "4;11;11101;Gebühren;100000;1\n"
            + "4;11;68501;Neue Hilfe;7.25;1\n";

    @Test
    void givenATinyYear_whenTheBenchmarkRuns_thenEveryPhaseIsTimedTheRerunRecordsNothingAndBothFilesAreWritten(@TempDir Path dir) throws Exception {
        Path soll = Files.writeString(dir.resolve("bund_soll_2021.csv"), SOLL);
        Path ist = Files.writeString(dir.resolve("bund_ist_2021.csv"), IST);
        Path out = dir.resolve("results");
        ImportBenchmark.Settings settings = new ImportBenchmark.Settings(soll, ist, 2021, 2, false, out, Map.of(), "./etat bench import (test)");

        Path json = new ImportBenchmark(settings, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)).run();

        JsonNode report = AppendBenchmark.json().readTree(json.toFile());
        assertThat(report.get("linesOpened").asInt()).isEqualTo(4);
        // 4 lines + 3 appropriations + 2 consents (over-plan, unplanned) + 4 actuals
        assertThat(report.get("events").asLong()).isEqualTo(4 + 3 + 2 + 4);
        assertThat(report.get("batches").asInt()).as("batches of at most 2 entries").isEqualTo(2 + 1 + 1 + 2);
        assertThat(report.get("phaseSeconds").has("open lines")).isTrue();
        assertThat(report.get("phaseSeconds").has("grant § 37 consents")).isTrue();
        assertThat(report.get("phaseSeconds").has("record actuals")).isTrue();
        assertThat(report.get("cpuSeconds").get("import (all phases)").get("importThreadCpu").asDouble()).isPositive();
        assertThat(report.get("totalsVerified").asBoolean()).isTrue();
        assertThat(Files.readString(out.resolve("import.md"), StandardCharsets.UTF_8)).contains("| open lines |", "no event recorded");
    }

    @Test
    void givenTheReadSidePaused_whenTheBenchmarkRuns_thenItsCatchUpIsTimedAfterTheImportAndItsOwnFilesAreWritten(@TempDir Path dir) throws Exception {
        Path soll = Files.writeString(dir.resolve("bund_soll_2021.csv"), SOLL);
        Path ist = Files.writeString(dir.resolve("bund_ist_2021.csv"), IST);
        Path out = dir.resolve("results");
        ImportBenchmark.Settings settings = new ImportBenchmark.Settings(soll, ist, 2021, 2000, true, out, Map.of(), "./etat bench import (test)");

        Path json = new ImportBenchmark(settings, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)).run();

        assertThat(json.getFileName()).hasToString("import-read-side-paused.json");
        assertThat(out.resolve("import.json")).doesNotExist();
        JsonNode report = AppendBenchmark.json().readTree(json.toFile());
        assertThat(report.get("readSide").asText()).startsWith("paused");
        assertThat(report.get("events").asLong()).isEqualTo(4 + 3 + 2 + 4);
        assertThat(report.get("cpuSeconds").has(ImportBenchmark.CATCH_UP)).isTrue();
        assertThat(report.get("cpuSeconds").get(ImportBenchmark.IMPORT).get("jvmThreads").has("JIT compiler")).isTrue();
        assertThat(report.get("totalsVerified").asBoolean()).isTrue();
        assertThat(Files.readString(out.resolve("import-read-side-paused.md"), StandardCharsets.UTF_8))
                .contains("read side caught up, after the import", "wall less the import thread's wait");
    }
}
