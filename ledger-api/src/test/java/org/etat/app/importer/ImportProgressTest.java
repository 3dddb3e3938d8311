package org.etat.app.importer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ImportProgressTest {

    @Test
    void without_a_terminal_progress_is_a_few_plain_lines_per_phase() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImportProgress progress = ImportProgress.to(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);

        progress.phase("open lines", 7000);
        for (int i = 0; i < 7000; i++) {
            progress.advance(1);
        }
        progress.endPhase();

        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(text).doesNotContain("\r");
        assertThat(text.lines()).hasSize(10).first().isEqualTo("open lines: 700/7000 (10 %)");
        assertThat(text.lines()).last().isEqualTo("open lines: 7000/7000 (100 %)");
    }

    @Test
    void on_a_terminal_the_bar_is_redrawn_in_place_once_per_percent() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImportProgress progress = ImportProgress.to(new PrintStream(bytes, true, StandardCharsets.UTF_8), true);

        progress.phase("record actuals", 400);
        progress.advance(100);
        progress.advance(1);
        progress.endPhase();

        String text = bytes.toString(StandardCharsets.UTF_8);
        // Drawn at 0 %, 25 % and 100 %; 101/400 is still 25 % and draws nothing.
        assertThat(text.split("\r", -1)).hasSize(4);
        assertThat(text).contains("record actuals         [##########------------------------------]  25 % 100/400");
        assertThat(text).endsWith("[########################################] 100 % 400/400" + System.lineSeparator());
    }
}
