package org.etat.app.faults;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A PostgreSQL 17 server run as our own child process from zonky's binaries, on a fixed data
 * directory and port, so the suite can kill it with SIGKILL (postmaster and every backend) and start
 * it again on the same data: a real crash and crash recovery, not a clean shutdown.
 */
final class PgServer implements AutoCloseable {

    static final String USER = "postgres";
    private static final Duration START_DEADLINE = Duration.ofSeconds(60);

    private final Path bin;
    private final Path dataDirectory;
    private final Path logFile;
    private final int port;
    private Process postmaster;

    PgServer(Path workDirectory, int port) throws IOException {
        this.bin = binaries();
        this.dataDirectory = workDirectory.resolve("pg-data");
        this.logFile = workDirectory.resolve("postgres.log");
        this.port = port;
        Files.createDirectories(workDirectory);
    }

    /** initdb on an empty data directory, then start. */
    void initAndStart() throws IOException, InterruptedException {
        if (!Files.exists(dataDirectory.resolve("PG_VERSION"))) {
            Files.createDirectories(dataDirectory);
            run(List.of(bin.resolve("initdb").toString(), "-A", "trust", "-U", USER, "-D", dataDirectory.toString(), "-E", "UTF-8",
                    "--no-locale"));
        }
        start();
    }

    /** Starts the postmaster on the existing data directory (after a kill: crash recovery) and waits until it answers. */
    void start() throws IOException {
        if (postmaster != null && postmaster.isAlive()) {
            throw new IllegalStateException("PostgreSQL is already running");
        }
        Files.deleteIfExists(dataDirectory.resolve("postmaster.pid")); // a SIGKILLed postmaster leaves it; its backends are gone too
        List<String> cmd = command(List.of(bin.resolve("postgres").toString(), "-D", dataDirectory.toString(), "-p", String.valueOf(port),
                "-c", "listen_addresses=localhost", "-c", "unix_socket_directories=", "-c", "max_connections=200",
                "-c", "fsync=on", "-c", "synchronous_commit=on"));
        postmaster = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
        long deadline = System.nanoTime() + START_DEADLINE.toNanos();
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            if (!postmaster.isAlive()) {
                throw new IOException("PostgreSQL exited with " + postmaster.exitValue() + "; see " + logFile);
            }
            try (Connection c = connect("postgres")) {
                return;
            } catch (SQLException e) {
                last = e;
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            }
        }
        throw new IOException("PostgreSQL did not answer within " + START_DEADLINE + "; see " + logFile, last);
    }

    /** SIGKILL to the postmaster and all its backends, as a machine or OOM-killer would; waits until all are gone. */
    void killHard() {
        if (postmaster == null) {
            return;
        }
        List<ProcessHandle> all = new ArrayList<>(postmaster.descendants().toList());
        all.add(0, postmaster.toHandle());
        all.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle p : all) {
            p.onExit().join();
        }
        postmaster = null;
    }

    /** A fast shutdown (SIGINT): running transactions are rolled back, then a checkpoint. */
    void stop() {
        if (postmaster == null) {
            return;
        }
        try {
            new ProcessBuilder("kill", "-INT", String.valueOf(postmaster.pid())).start().waitFor();
            if (!postmaster.waitFor(60, TimeUnit.SECONDS)) {
                killHard();
            }
        } catch (IOException | InterruptedException e) {
            killHard();
        }
        postmaster = null;
    }

    @Override
    public void close() {
        stop();
    }

    String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + port + "/" + database;
    }

    Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), USER, "");
    }

    /** A fresh, empty database for one scenario. */
    void createDatabase(String name) throws SQLException {
        try (Connection c = connect("postgres"); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            st.execute("CREATE DATABASE " + name);
        }
    }

    int port() {
        return port;
    }

    /** zonky extracts its bundled binaries once per machine; its extractor is private, so ask it by reflection. */
    private static Path binaries() throws IOException {
        String override = System.getenv("ETAT_PG_HOME");
        if (override != null && !override.isBlank()) {
            return Path.of(override, "bin");
        }
        try {
            Method prepare = EmbeddedPostgres.class.getDeclaredMethod("prepareBinaries", PgBinaryResolver.class, File.class);
            prepare.setAccessible(true);
            File pgDir = (File) prepare.invoke(null, DefaultPostgresBinaryResolver.INSTANCE, null);
            return pgDir.toPath().resolve("bin");
        } catch (ReflectiveOperationException e) {
            throw new IOException("cannot locate zonky's PostgreSQL binaries; set ETAT_PG_HOME to a PostgreSQL 17 installation", e);
        }
    }

    /** PostgreSQL refuses to run as root; zonky runs it in a user namespace ({@code unshare -U}), and so do we. */
    private static List<String> command(List<String> cmd) {
        List<String> all = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name")) && UNSHARE) {
            all.add("unshare");
            all.add("-U");
        }
        all.addAll(cmd);
        return all;
    }

    /** Whether user namespaces work here (a container may forbid them); zonky asks the same way. */
    private static final boolean UNSHARE = unshareWorks();

    private static boolean unshareWorks() {
        try {
            Process p = new ProcessBuilder("unshare", "-U", "true").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command(cmd)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(cmd.get(0) + " failed; see " + logFile);
        }
    }
}
