package org.etat.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Map;
import org.etat.app.projection.RebuildServiceAccess;
import org.etat.projection.ReadModelSchema;
import org.etat.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code etat replay} against an external PostgreSQL (ETAT_DB_URL) holding the Ruhrkonferenz demo. */
class ReplayCommandTest {

    @TempDir
    Path dir;

    @Test
    void givenTheDemo_whenReplayed_thenEveryDigestMatches_andATamperedLiveModelIsNamedAndReplacedByTheRebuild() throws Exception {
        TestDatabase.Database db = TestDatabase.create();
        Map<String, String> env = Map.of(LedgerDatabase.URL_ENV, db.jdbcUrl(), LedgerDatabase.USER_ENV, db.user(),
                LedgerDatabase.PASSWORD_ENV, db.password());
        DemoCommand demo = new DemoCommand();
        demo.env = env;
        demo.out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertThat(new CommandLine(demo).execute()).isZero();

        Run replay = run(env);

        assertThat(replay.exit).as(replay.out + replay.err).isZero();
        for (String table : ReadModelSchema.TABLES) {
            assertThat(replay.out).containsPattern("(?m)^" + table + " +[0-9a-f]{64}  [0-9a-f]{64}  match$");
        }
        assertThat(replay.out).contains("rebuild: ", "(100 %)", "the rebuilt tables are now current");

        // Someone changes a live read model behind the log's back.
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password()); Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE projection.line_balance SET spent_cents = spent_cents + 1 WHERE line_id = '2024-08030-54669'");
        }
        Run verify = run(env, "--verify-only");
        assertThat(verify.exit).as(verify.out + verify.err).isEqualTo(ReplayCommand.MISMATCH);
        assertThat(verify.err).contains("differ from the log's rebuild: line_balance").doesNotContain("now current");
        assertThat(verify.out).containsPattern("(?m)^line_balance .* DIFFERS$");

        Run repair = run(env);
        assertThat(repair.exit).isEqualTo(ReplayCommand.MISMATCH);
        assertThat(repair.err).contains("line_balance (the rebuilt tables are now current)");
        Run after = run(env, "--verify-only");
        assertThat(after.exit).as(after.out + after.err).isZero();
    }

    @Test
    void givenARebuildHoldingTheLock_whenReplayed_thenItExitsWith3AndOneLineWhy() throws Exception {
        TestDatabase.Database db = TestDatabase.create();
        Map<String, String> env = Map.of(LedgerDatabase.URL_ENV, db.jdbcUrl(), LedgerDatabase.USER_ENV, db.user(),
                LedgerDatabase.PASSWORD_ENV, db.password());
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
                PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_lock(?)")) {
            lock.setLong(1, RebuildServiceAccess.lockKey());
            lock.execute();

            Run replay = run(env);

            assertThat(replay.exit).as(replay.out + replay.err).isEqualTo(ReplayCommand.ALREADY_RUNNING);
            assertThat(replay.err.lines()).hasSize(1);
            assertThat(replay.err).contains("already running");
        }
    }

    @Test
    void givenAnUnreachableDatabase_whenReplayed_thenItExitsWith4() {
        Run replay = run(Map.of(LedgerDatabase.URL_ENV, "jdbc:postgresql://127.0.0.1:1/none"), "--verify-only");

        assertThat(replay.exit).isEqualTo(ReplayCommand.NO_DATABASE);
        assertThat(replay.err.lines()).hasSize(1);
    }

    @Test
    void aDataDirectoryCountsAsServedOnlyWithItsPidFileAndAnAnsweringPort() throws Exception {
        ReplayCommand command = new ReplayCommand();
        command.dataDirectory = dir;
        try (ServerSocket server = new ServerSocket(0)) {
            command.port = server.getLocalPort();
            assertThat(command.embeddedRunning()).as("no pid file").isFalse();
            Files.writeString(dir.resolve("postmaster.pid"), "4711\n");
            assertThat(command.embeddedRunning()).as("pid file, port answers").isTrue();
        }
        assertThat(command.embeddedRunning()).as("stale pid file, nothing listens").isFalse();
    }

    private record Run(int exit, String out, String err) {
    }

    private Run run(Map<String, String> env, String... args) {
        ReplayCommand command = new ReplayCommand();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        command.env = env;
        command.out = new PrintStream(out, true, StandardCharsets.UTF_8);
        command.err = new PrintStream(err, true, StandardCharsets.UTF_8);
        command.terminal = false;
        int exit = new CommandLine(command).execute(args);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
