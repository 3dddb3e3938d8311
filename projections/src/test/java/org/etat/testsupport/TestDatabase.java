package org.etat.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * One real PostgreSQL per test JVM, and a fresh database on it for every caller.
 *
 * <p>Testcontainers' PostgreSQL 17 where a Docker engine answers; otherwise embedded PostgreSQL
 * 17 from real binaries (zonky). Either way it is PostgreSQL, never a stand-in. Set
 * {@code -Detat.test.db=embedded} or {@code =docker} to force one.
 */
public final class TestDatabase {

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static volatile Server server;

    private TestDatabase() {
    }

    /** A new, empty database. */
    public static Database create() {
        Server s = server();
        String name = "etat_test_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
        try (Connection c = s.admin().getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name, e);
        }
        return new Database(s.jdbcUrl(name), s.user(), s.password(), s.kind());
    }

    /** Which engine serves the tests: "testcontainers" or "embedded". */
    public static String kind() {
        return server().kind();
    }

    private static Server server() {
        Server s = server;
        if (s == null) {
            synchronized (TestDatabase.class) {
                s = server;
                if (s == null) {
                    s = start();
                    server = s;
                }
            }
        }
        return s;
    }

    private static Server start() {
        String forced = System.getProperty("etat.test.db", "");
        boolean docker = !forced.equals("embedded") && (forced.equals("docker") || dockerAnswers());
        return docker ? Server.container() : Server.embedded();
    }

    private static boolean dockerAnswers() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable t) {
            return false;
        }
    }

    /** A database for one test: its JDBC URL and credentials. */
    public record Database(String jdbcUrl, String user, String password, String kind) {
        public DataSource dataSource() {
            PGSimpleDataSource ds = new PGSimpleDataSource();
            ds.setUrl(jdbcUrl);
            ds.setUser(user);
            ds.setPassword(password);
            return ds;
        }
    }

    private record Server(String kind, String host, int port, String user, String password) {

        static Server embedded() {
            try {
                EmbeddedPostgres pg = EmbeddedPostgres.builder()
                        .setServerConfig("max_connections", "300")
                        .setServerConfig("fsync", "on")
                        .start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        pg.close();
                    } catch (Exception ignored) {
                        // the JVM is going away
                    }
                }));
                return new Server("embedded", "localhost", pg.getPort(), "postgres", "postgres");
            } catch (Exception e) {
                throw new IllegalStateException("cannot start embedded PostgreSQL", e);
            }
        }

        @SuppressWarnings("resource")
        static Server container() {
            PostgreSQLContainer pg = new PostgreSQLContainer("postgres:17").withCommand("postgres", "-c", "max_connections=300");
            pg.start();
            Runtime.getRuntime().addShutdownHook(new Thread(pg::stop));
            return new Server("testcontainers", pg.getHost(), pg.getFirstMappedPort(), pg.getUsername(), pg.getPassword());
        }

        String jdbcUrl(String database) {
            return "jdbc:postgresql://" + host + ":" + port + "/" + database;
        }

        DataSource admin() {
            PGSimpleDataSource ds = new PGSimpleDataSource();
            ds.setUrl(jdbcUrl("postgres"));
            ds.setUser(user);
            ds.setPassword(password);
            return ds;
        }
    }
}
