package org.etat.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A command finds the PostgreSQL that {@code ./etat serve} runs on the same data directory and leaves it running. */
class LedgerDatabaseTest {

    @TempDir
    Path data;

    @Test
    void givenAServerRunningOnTheDataDirectory_whenACommandOpensIt_thenItConnectsToThatServerAndLeavesItRunning() throws Exception {
        int port = freePort();
        try (EmbeddedPostgres running = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port).start()) {
            try (Connection c = running.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE marker (id int)");
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();

            try (LedgerDatabase db = LedgerDatabase.open(Map.of(), data, port, new PrintStream(bytes, true, StandardCharsets.UTF_8))) {
                assertThat(db.startedHere()).isFalse();
                assertThat(count(db.jdbcUrl())).as("the running server's database").isZero();
                assertThat(db.auditKeyDirectory()).contains(data.toAbsolutePath().getParent().resolve("audit"));
            }

            assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("already running", "port " + port);
            assertThatThrownBy(() -> LedgerDatabase.open(Map.of(), data, port, new PrintStream(bytes), false))
                    .as("serve owns its server: it does not attach to a command's").hasMessageContaining("already runs on");
            assertThat(count(running.getJdbcUrl("postgres", "postgres"))).as("still serving after the command closed").isZero();
        }
        assertThat(LedgerDatabase.runningServerPort(data)).as("stopped: nothing to reuse").isEmpty();
    }

    @Test
    void aStalePidFileOfAProcessThatIsGoneIsNotARunningServer() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        int port = freePort();
        Files.writeString(data.resolve("postmaster.pid"), gone.pid() + "\n" + data + "\n1700000000\n" + port + "\n/tmp\n*\n");

        assertThat(LedgerDatabase.runningServerPort(data)).isEmpty();
    }

    private static long count(String jdbcUrl) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "postgres"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM marker")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
