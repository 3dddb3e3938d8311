package org.etat.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.etat.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code etat import} against an external PostgreSQL (ETAT_DB_URL), run twice like a rerun. */
class ImportCommandTest {

    private static final String SOLL = "einzelplan;einzelplan-text;einnahmen-ausgaben;einnahmen-ausgaben-art;kapitel;kapitel-text;titel;funktion;titel-text;flex;seite;soll;titelgruppe;tgr-text\n"
            + "04;BK;A;x;0411;K;42101;011;Bezüge;ja;1;100;;\n"
            + "04;BK;E;x;0411;K;11101;011;Gebühren;;1;100;;\n";
    private static final String IST = "Epl.;Kap.;Tit.;Zweckbestimmung;Ist 2021;Seite\n"
            + "4;;;BK;;\n"
            + "4;11;42101;Bezüge;150000.25;1\n"
            + "4;11;11101;Gebühren;100000;1\n";

    @TempDir
    Path dir;

    @Test
    void givenAnExternalDatabase_whenAYearIsImportedTwice_thenItRecordsOnceAndPrintsASummary() throws Exception {
        TestDatabase.Database db = TestDatabase.create();
        Map<String, String> env = Map.of(LedgerDatabase.URL_ENV, db.jdbcUrl(), LedgerDatabase.USER_ENV, db.user(),
                LedgerDatabase.PASSWORD_ENV, db.password());
        Path soll = Files.writeString(dir.resolve("bund_soll_2021.csv"), SOLL);
        Path ist = Files.writeString(dir.resolve("bund_ist_2021.csv"), IST);

        Run first = run(env, "--soll", soll.toString(), "--ist", ist.toString(), "--year", "2021");
        long events = countEvents(db);
        Run second = run(env, "--soll", soll.toString(), "--ist", ist.toString(), "--year", "2021");

        assertThat(first.exit).as(first.out + first.err).isZero();
        assertThat(first.out).contains("open lines: 2/2 (100 %)", "record actuals: 2/2 (100 %)",
                "actuals recorded:          expenditure 150000.25 EUR, revenue 100000.00 EUR",
                "§ 37 consents:             1 over-plan 50000.25 EUR");
        assertThat(events).isEqualTo(2 + 2 + 1 + 2);
        assertThat(second.exit).isZero();
        assertThat(countEvents(db)).isEqualTo(events);
    }

    @Test
    void givenAMalformedRow_whenImported_thenItStopsNamingFileRowAndColumnBeforeTouchingADatabase() throws Exception {
        Path soll = Files.writeString(dir.resolve("bund_soll_2021.csv"), SOLL.replace(";100;;\n0", ";1x0;;\n0"));
        Map<String, String> env = Map.of(LedgerDatabase.URL_ENV, "jdbc:postgresql://127.0.0.1:1/none");

        Run run = run(env, "--soll", soll.toString(), "--year", "2021");

        assertThat(run.exit).isEqualTo(ImportCommand.MALFORMED_FILE);
        assertThat(run.err).contains("bund_soll_2021.csv row 2, column soll: ");
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run run(Map<String, String> env, String... args) {
        ImportCommand command = new ImportCommand();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        command.env = env;
        command.out = new PrintStream(out, true, StandardCharsets.UTF_8);
        command.err = new PrintStream(err, true, StandardCharsets.UTF_8);
        command.terminal = false;
        int exit = new CommandLine(command).execute(args);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static long countEvents(TestDatabase.Database db) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM domain_event_entry")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
