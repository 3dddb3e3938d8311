package org.etat.app.cli;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The PostgreSQL the command line works on: the one named by ETAT_DB_URL / ETAT_DB_USER /
 * ETAT_DB_PASSWORD, or else an embedded PostgreSQL 17 (real binaries, zonky) whose data persists in
 * a directory (./data/pg by default), so a second run sees the first run's ledger. When a PostgreSQL
 * already runs on that directory (e.g. {@code ./etat serve} in another terminal), a command connects
 * to it instead of starting a second server, and leaves it running when done.
 */
public final class LedgerDatabase implements AutoCloseable {

    public static final String URL_ENV = "ETAT_DB_URL";
    public static final String USER_ENV = "ETAT_DB_USER";
    public static final String PASSWORD_ENV = "ETAT_DB_PASSWORD";

    /** Spring property naming the directory of the generated audit signing key (embedded mode only). */
    public static final String AUDIT_KEY_DIRECTORY_PROPERTY = "etat.audit.key-directory";
    /** How long to wait for a running server's port to answer. */
    private static final int CONNECT_TIMEOUT_MILLIS = 2_000;

    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final EmbeddedPostgres embedded;
    private final Path dataDirectory;

    private LedgerDatabase(String jdbcUrl, String user, String password, EmbeddedPostgres embedded, Path dataDirectory) {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        this.embedded = embedded;
        this.dataDirectory = dataDirectory;
    }

    /**
     * The external database if ETAT_DB_URL is set, else the embedded one on {@code dataDirectory}:
     * the server already running there, or one started now.
     */
    public static LedgerDatabase open(Map<String, String> env, Path dataDirectory, int port, PrintStream out) throws IOException {
        return open(env, dataDirectory, port, out, true);
    }

    /**
     * As {@link #open(Map, Path, int, PrintStream)}; with {@code reuseRunning} false a server already
     * running on the directory is refused instead of used. A long-lived owner ({@code serve}) must
     * not attach to the server of a one-shot command, which stops it when it ends.
     */
    public static LedgerDatabase open(Map<String, String> env, Path dataDirectory, int port, PrintStream out, boolean reuseRunning)
            throws IOException {
        String url = env.get(URL_ENV);
        if (url != null && !url.isBlank()) {
            LedgerDatabase db = new LedgerDatabase(url, env.getOrDefault(USER_ENV, ""), env.getOrDefault(PASSWORD_ENV, ""), null, null);
            out.printf("PostgreSQL (from %s): %s as %s%n", URL_ENV, url, db.user);
            return db;
        }
        Optional<Integer> running = runningServerPort(dataDirectory);
        if (running.isPresent() && !reuseRunning) {
            throw new IOException("a PostgreSQL already runs on " + dataDirectory.toAbsolutePath() + " (port " + running.get()
                    + "), probably started by another etat command; wait for it to end");
        }
        if (running.isPresent()) {
            // zonky's servers trust local connections, so user postgres needs no password.
            LedgerDatabase db = new LedgerDatabase("jdbc:postgresql://localhost:" + running.get() + "/postgres?user=postgres",
                    "postgres", "postgres", null, dataDirectory);
            out.printf("Embedded PostgreSQL 17 already running on %s (port %d): using it, leaving it running%n",
                    dataDirectory.toAbsolutePath(), running.get());
            return db;
        }
        Files.createDirectories(dataDirectory);
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setPort(port)
                .start();
        LedgerDatabase db = new LedgerDatabase(pg.getJdbcUrl("postgres", "postgres"), "postgres", "postgres", pg, dataDirectory);
        out.printf("Embedded PostgreSQL 17, data in %s%n", dataDirectory.toAbsolutePath());
        out.printf("  host localhost  port %d  database postgres  user postgres  password postgres%n", pg.getPort());
        out.printf("  psql -h localhost -p %d -U postgres postgres%n", pg.getPort());
        return db;
    }

    /**
     * The port of a PostgreSQL running on {@code dataDirectory}, read from its {@code postmaster.pid}
     * (line 1: process id, line 4: port) and confirmed by a live process and an answering port; empty
     * when none runs (no file, a stale file after a crash, or a port that does not answer).
     */
    public static Optional<Integer> runningServerPort(Path dataDirectory) {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        List<String> lines;
        try {
            lines = Files.readAllLines(pidFile, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (lines.size() < 4) {
            return Optional.empty(); // written line by line at start-up: not serving yet
        }
        long pid;
        int port;
        try {
            pid = Long.parseLong(lines.get(0).trim());
            port = Integer.parseInt(lines.get(3).trim());
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (port < 1 || port > 65_535 || !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            return Optional.empty();
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("localhost", port), CONNECT_TIMEOUT_MILLIS);
            return Optional.of(port);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Spring properties that point the application at this database (and, embedded, at its audit key directory). */
    public Map<String, Object> springProperties() {
        Map<String, Object> properties = new java.util.LinkedHashMap<>(Map.of("spring.datasource.url", jdbcUrl,
                "spring.datasource.username", user, "spring.datasource.password", password));
        auditKeyDirectory().ifPresent(dir -> properties.put(AUDIT_KEY_DIRECTORY_PROPERTY, dir.toAbsolutePath().toString()));
        return properties;
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    /** True when this process started the embedded server (so no other process writes to it). */
    public boolean startedHere() {
        return embedded != null;
    }

    /**
     * Embedded mode: where the audit signing key is generated once and kept, next to the database
     * ({@code ./data/audit} for {@code ./data/pg}); empty for an external database.
     */
    public Optional<Path> auditKeyDirectory() {
        if (dataDirectory == null) {
            return Optional.empty();
        }
        Path absolute = dataDirectory.toAbsolutePath();
        return Optional.of(absolute.getParent() == null ? absolute.resolve("audit") : absolute.getParent().resolve("audit"));
    }

    @Override
    public void close() throws IOException {
        if (embedded != null) {
            embedded.close();
        }
    }
}
