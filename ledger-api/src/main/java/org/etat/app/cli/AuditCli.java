package org.etat.app.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.etat.app.audit.Progress;
import org.postgresql.ds.PGSimpleDataSource;
import picocli.CommandLine;

/**
 * What the audit commands ({@code verify}, {@code digest}, {@code export}) share: their exit codes,
 * the database (plain JDBC on {@link LedgerDatabase}; they do not start the application, so they
 * never compete with a running {@code serve} for the event processors), one-line errors and progress.
 *
 * <pre>
 * exit 0  ok
 *      1  verification failed (damaged chain, books that do not balance, a digest that does not match)
 *      2  usage or bad input (options, files, keys), one line on stderr saying why
 *      3  database unreachable, or no Etat ledger in it
 *      4  anything else (a bug: the message names it)
 * </pre>
 */
final class AuditCli {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    static final int DATABASE = 3;
    static final int INTERNAL = 4;

    /** Ends a command with an exit code and one line for stderr. */
    static final class Failure extends Exception {
        final int exitCode;

        Failure(int exitCode, String message) {
            super(message, null, false, false);
            this.exitCode = exitCode;
        }
    }

    private AuditCli() {
    }

    /** The ledger's database, open; close it (an embedded server this process started stops then). */
    static final class Session implements AutoCloseable {
        final LedgerDatabase db;
        final DataSource dataSource;

        private Session(LedgerDatabase db, DataSource dataSource) {
            this.db = db;
            this.dataSource = dataSource;
        }

        @Override
        public void close() throws Exception {
            db.close();
        }
    }

    static Session open(Map<String, String> env, Path dataDirectory, int port, PrintStream messages) throws Failure {
        LedgerDatabase db;
        try {
            db = LedgerDatabase.open(env, dataDirectory, port, messages);
        } catch (Exception e) {
            throw new Failure(DATABASE, "cannot start the embedded PostgreSQL on " + dataDirectory + " port " + port + ": " + oneLine(e));
        }
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(db.jdbcUrl());
        if (!db.user().isEmpty()) {
            ds.setUser(db.user());
        }
        if (!db.password().isEmpty()) {
            ds.setPassword(db.password());
        }
        ds.setConnectTimeout(10);
        Session session = new Session(db, ds);
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT to_regclass('domain_event_entry') IS NOT NULL, to_regclass('audit_chain') IS NOT NULL, "
                        + "to_regclass('audit_verification') IS NOT NULL");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            if (!rs.getBoolean(1) || !rs.getBoolean(2) || !rs.getBoolean(3)) {
                closeQuietly(session);
                throw new Failure(DATABASE, "no Etat ledger (with its audit tables) in " + db.jdbcUrl()
                        + ": start ./etat serve on it once to create the schema");
            }
        } catch (SQLException e) {
            closeQuietly(session);
            throw new Failure(DATABASE, "database unreachable (" + db.jdbcUrl() + "): " + oneLine(e));
        }
        return session;
    }

    private static void closeQuietly(Session s) {
        try {
            s.close();
        } catch (Exception ignored) {
            // already failing; the first error is the one to report
        }
    }

    /** The first line of an exception's message (with its type when it has none). */
    static String oneLine(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            return e.getClass().getSimpleName();
        }
        int nl = m.indexOf('\n');
        return (nl < 0 ? m : m.substring(0, nl)).trim();
    }

    /** Runs a command body, turning failures into one stderr line and an exit code. */
    static int run(String command, PrintStream err, Body body) {
        try {
            return body.run();
        } catch (Failure f) {
            err.println("etat " + command + ": " + f.getMessage());
            return f.exitCode;
        } catch (SQLException e) {
            err.println("etat " + command + ": database error: " + oneLine(e));
            return e.getSQLState() != null && (e.getSQLState().startsWith("08") || e.getSQLState().startsWith("57P")) ? DATABASE : INTERNAL;
        } catch (Exception e) {
            err.println("etat " + command + ": " + e.getClass().getSimpleName() + ": " + oneLine(e));
            return INTERNAL;
        }
    }

    @FunctionalInterface
    interface Body {
        int run() throws Exception;
    }

    /**
     * One line on stderr for a usage error ("etat export: Missing required option: '--year=<year>'
     * (see: etat export --help)"), exit 2; picocli's default prints the whole usage text.
     */
    static final class OneLineUsageErrors implements CommandLine.IParameterExceptionHandler {
        @Override
        public int handleParseException(CommandLine.ParameterException ex, String[] args) {
            CommandLine cmd = ex.getCommandLine();
            String name = cmd.getCommandSpec().qualifiedName();
            cmd.getErr().println(name + ": " + oneLine(ex) + " (see: " + name + " --help)");
            return USAGE;
        }
    }

    /**
     * Progress on stderr: on a terminal one line redrawn in place with a bar per phase (phases may
     * run at the same time), otherwise one plain line per phase and tenth of the work (log files and
     * CI keep readable lines).
     */
    static CliProgress progress(PrintStream err, boolean terminal) {
        return new CliProgress(err, terminal);
    }

    static final class CliProgress implements Progress {
        private static final long REDRAW_NANOS = 100_000_000L;
        private static final int BAR_WIDTH = 20;

        private final PrintStream err;
        private final boolean terminal;
        private final Map<String, long[]> phases = new java.util.LinkedHashMap<>();
        private final Map<String, Integer> lastTenth = new java.util.HashMap<>();
        private long lastDrawNanos;
        private boolean open;

        CliProgress(PrintStream err, boolean terminal) {
            this.err = err;
            this.terminal = terminal;
        }

        @Override
        public synchronized void update(String phase, long done, long total) {
            int percent = total <= 0 ? 100 : (int) Math.min(100, done * 100 / total);
            if (!terminal) {
                int tenth = percent / 10;
                if (!Integer.valueOf(tenth).equals(lastTenth.put(phase, tenth))) {
                    err.printf("%s: %,d / %,d events (%d %%)%n", phase, done, total, percent);
                    err.flush();
                }
                return;
            }
            phases.put(phase, new long[] {done, total, percent});
            long now = System.nanoTime();
            if (percent < 100 && now - lastDrawNanos < REDRAW_NANOS) {
                return;
            }
            lastDrawNanos = now;
            StringBuilder line = new StringBuilder("\r");
            phases.forEach((name, p) -> {
                int filled = (int) (p[2] * BAR_WIDTH / 100);
                line.append(String.format("%s [%s%s] %3d %% %,d/%,d  ", name, "#".repeat(filled), ".".repeat(BAR_WIDTH - filled), p[2], p[0],
                        p[1]));
            });
            err.print(line);
            err.flush();
            open = true;
        }

        /** Ends the progress line (call before printing results). */
        synchronized void finish() {
            if (open) {
                err.println();
                open = false;
            }
        }
    }

    /** The trusted public key: --public-key, else the configured or embedded signing key's public half. */
    static Optional<Path> configuredSigningKey(Map<String, String> env) {
        String configured = env.get(org.etat.app.audit.SigningKey.ENV);
        return configured == null || configured.isBlank() ? Optional.empty() : Optional.of(Path.of(configured.trim()));
    }
}
