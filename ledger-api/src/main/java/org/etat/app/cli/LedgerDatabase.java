package org.etat.app.cli;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The PostgreSQL the command line works on: the one named by ETAT_DB_URL / ETAT_DB_USER /
 * ETAT_DB_PASSWORD, or else an embedded PostgreSQL 17 (real binaries, zonky) whose data persists in
 * a directory (./data/pg by default), so a second run sees the first run's ledger.
 */
public final class LedgerDatabase implements AutoCloseable {

    public static final String URL_ENV = "ETAT_DB_URL";
    public static final String USER_ENV = "ETAT_DB_USER";
    public static final String PASSWORD_ENV = "ETAT_DB_PASSWORD";

    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final EmbeddedPostgres embedded;

    private LedgerDatabase(String jdbcUrl, String user, String password, EmbeddedPostgres embedded) {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        this.embedded = embedded;
    }

    /** The external database if ETAT_DB_URL is set, else an embedded one on {@code dataDirectory}. */
    public static LedgerDatabase open(Map<String, String> env, Path dataDirectory, int port, PrintStream out) throws IOException {
        String url = env.get(URL_ENV);
        if (url != null && !url.isBlank()) {
            LedgerDatabase db = new LedgerDatabase(url, env.getOrDefault(USER_ENV, ""), env.getOrDefault(PASSWORD_ENV, ""), null);
            out.printf("PostgreSQL (from %s): %s as %s%n", URL_ENV, url, db.user);
            return db;
        }
        Files.createDirectories(dataDirectory);
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setPort(port)
                .start();
        LedgerDatabase db = new LedgerDatabase(pg.getJdbcUrl("postgres", "postgres"), "postgres", "postgres", pg);
        out.printf("Embedded PostgreSQL 17, data in %s%n", dataDirectory.toAbsolutePath());
        out.printf("  host localhost  port %d  database postgres  user postgres  password postgres%n", pg.getPort());
        out.printf("  psql -h localhost -p %d -U postgres postgres%n", pg.getPort());
        return db;
    }

    /** Spring properties that point the application at this database. */
    public Map<String, Object> springProperties() {
        return Map.of("spring.datasource.url", jdbcUrl, "spring.datasource.username", user, "spring.datasource.password", password);
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    @Override
    public void close() throws IOException {
        if (embedded != null) {
            embedded.close();
        }
    }
}
