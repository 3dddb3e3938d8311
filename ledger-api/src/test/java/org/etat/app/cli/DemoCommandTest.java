package org.etat.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.etat.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code etat demo} against an external PostgreSQL (ETAT_DB_URL), run twice like a restart. */
class DemoCommandTest {

    @Test
    void givenAnExternalDatabase_whenTheDemoRunsTwice_thenItRecordsOnceAndPrintsTheRates() throws Exception {
        TestDatabase.Database db = TestDatabase.create();
        Map<String, String> env = Map.of(LedgerDatabase.URL_ENV, db.jdbcUrl(), LedgerDatabase.USER_ENV, db.user(),
                LedgerDatabase.PASSWORD_ENV, db.password());

        String first = runDemo(env);
        long eventsAfterFirst = countEvents(db);
        String second = runDemo(env);

        assertThat(first).contains("2023-08030-54669", "28.04 %", "0.06 %", "503729.53", "the books balance");
        assertThat(second).contains("the books balance");
        assertThat(eventsAfterFirst).isEqualTo(22);
        assertThat(countEvents(db)).isEqualTo(eventsAfterFirst);
    }

    private static String runDemo(Map<String, String> env) {
        DemoCommand demo = new DemoCommand();
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        demo.env = env;
        demo.out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        int exit = new CommandLine(demo).execute();
        String output = buffer.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(output).isZero();
        return output;
    }

    private static long countEvents(TestDatabase.Database db) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM domain_event_entry")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
