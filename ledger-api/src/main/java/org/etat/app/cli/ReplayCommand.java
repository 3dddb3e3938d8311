package org.etat.app.cli;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.etat.app.axon.AxonJson;
import org.etat.app.importer.ImportProgress;
import org.etat.app.projection.RebuildJob;
import org.etat.app.projection.RebuildService;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code etat replay}: rebuilds every read model from the event log and prints each one's digest
 * next to the live model's. See docs/projections-rebuild.md.
 *
 * <p>Alone on its database, it starts the application, rebuilds into fresh tables, brings the live
 * tables to the same events, compares, and swaps the rebuilt tables in (as
 * {@code POST /api/v1/projections/rebuild} does). If {@code etat serve} (or any other process) is
 * already running the embedded PostgreSQL of the data directory, replay connects to that PostgreSQL
 * instead of starting a second one and only verifies: it rebuilds, into a scratch schema, exactly the
 * events the live models have applied (read in one snapshot with their digests), compares, and drops
 * the scratch schema; the running server keeps its tables and its processor. The same happens with
 * {@code --verify-only}, e.g. against an external database (ETAT_DB_URL) that servers use.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Rebuild every read model from the event log, print each digest and whether it matches the live model's.",
        footer = {"", "Exit codes: 0 every digest matches; 1 a digest differs (named on stderr); 2 the rebuild failed;",
                "3 another rebuild is running on this database; 4 the database cannot be reached or started."})
public final class ReplayCommand implements Callable<Integer> {

    static final int MISMATCH = 1;
    static final int FAILED = 2;
    static final int ALREADY_RUNNING = 3;
    static final int NO_DATABASE = 4;

    @Option(names = "--data", defaultValue = "data/pg", description = "Data directory of the embedded PostgreSQL (default: ${DEFAULT-VALUE}).")
    Path dataDirectory;

    @Option(names = "--port", defaultValue = "54329", description = "Port of the embedded PostgreSQL (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--batch-size", defaultValue = "5000", description = "Events per projected batch (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--verify-only", description = "Rebuild into a scratch schema and compare; never swap (automatic while a server runs).")
    boolean verifyOnly;

    /** Where the settings and the output come from; tests replace them. */
    Map<String, String> env = System.getenv();
    PrintStream out = System.out;
    PrintStream err = System.err;
    boolean terminal = System.console() != null;

    @Override
    public Integer call() {
        boolean external = env.get(LedgerDatabase.URL_ENV) != null && !env.get(LedgerDatabase.URL_ENV).isBlank();
        Map<String, String> dbEnv = env;
        boolean serverRunning = !external && embeddedRunning();
        if (serverRunning) {
            // Another process (etat serve) runs this data directory's PostgreSQL: connect to it.
            dbEnv = new HashMap<>(env);
            dbEnv.put(LedgerDatabase.URL_ENV, "jdbc:postgresql://localhost:" + port + "/postgres");
            dbEnv.put(LedgerDatabase.USER_ENV, "postgres");
            dbEnv.put(LedgerDatabase.PASSWORD_ENV, "postgres");
            out.printf("PostgreSQL of %s is already running (etat serve?): verifying only, the server keeps its tables.%n", dataDirectory);
        }
        LedgerDatabase db;
        try {
            db = LedgerDatabase.open(dbEnv, dataDirectory, port, out);
        } catch (IOException | RuntimeException e) {
            err.println("etat replay: cannot open the database: " + oneLine(e));
            return NO_DATABASE;
        }
        try (db) {
            return verifyOnly || serverRunning ? verify(db, dbEnv) : rebuild(db);
        } catch (IOException e) {
            err.println("etat replay: could not stop the embedded PostgreSQL: " + oneLine(e));
            return FAILED;
        }
    }

    private int rebuild(LedgerDatabase db) {
        ConfigurableApplicationContext started;
        try {
            started = ApplicationStarter.start(db, WebApplicationType.NONE,
                    Map.of("logging.level.root", "WARN", "etat.projection.rebuild-batch-size", batchSize));
        } catch (RuntimeException e) {
            err.println("etat replay: cannot start the application on the database: " + oneLine(e));
            return NO_DATABASE;
        }
        try (ConfigurableApplicationContext app = started) {
            out.println("Rebuilding every read model from the log into fresh tables; the rebuilt tables become current.");
            return report(() -> app.getBean(RebuildService.class).run(progress()), true);
        }
    }

    private int verify(LedgerDatabase db, Map<String, String> dbEnv) {
        try (HikariDataSource ds = new HikariDataSource()) {
            ds.setJdbcUrl(db.jdbcUrl());
            ds.setUsername(dbEnv.getOrDefault(LedgerDatabase.USER_ENV, "postgres"));
            ds.setPassword(dbEnv.getOrDefault(LedgerDatabase.PASSWORD_ENV, "postgres"));
            ds.setMaximumPoolSize(4);
            try {
                ds.getConnection().close();
            } catch (java.sql.SQLException | RuntimeException e) {
                err.println("etat replay: cannot connect to " + db.jdbcUrl() + ": " + oneLine(e));
                return NO_DATABASE;
            }
            Serializer serializer = JacksonSerializer.builder().objectMapper(AxonJson.newMapper()).lenientDeserialization().build();
            RebuildService service = new RebuildService(ds, serializer, null, batchSize);
            try {
                out.println("Rebuilding, into a scratch schema, the events the live read models have applied; nothing live changes.");
                return report(() -> service.verify(progress()), false);
            } finally {
                service.close();
            }
        }
    }

    private int report(java.util.function.Supplier<RebuildJob> run, boolean switches) {
        RebuildJob job;
        try {
            job = run.get();
        } catch (RebuildService.AlreadyRunning e) {
            err.println("etat replay: " + e.getMessage());
            return ALREADY_RUNNING;
        } catch (RuntimeException e) {
            err.println("etat replay: the rebuild could not start: " + oneLine(e));
            return FAILED;
        }
        RebuildJob.Status s = job.status();
        if (s.state() != RebuildJob.State.SUCCEEDED) {
            err.println("etat replay: the rebuild failed in phase " + s.phase() + ": " + s.error());
            return FAILED;
        }
        out.println();
        out.printf("%-18s %-64s  %-64s  %s%n", "read model", "rebuilt digest (SHA-256)", "live digest", "");
        s.digests().forEach((table, d) -> out.printf("%-18s %s  %s  %s%n", table, d.rebuilt(), d.live(), d.matches() ? "match" : "DIFFERS"));
        double seconds = Math.max(0.001, job.elapsed().toMillis() / 1000.0);
        out.printf("%,d events in %.1f s (%,.0f events/s).%n", s.eventsProcessed(), seconds, s.eventsProcessed() / seconds);
        if (s.digestsMatch()) {
            out.println("Every read model matches the live one" + (switches ? "; the rebuilt tables are now current." : "."));
            return 0;
        }
        String differing = String.join(", ", s.digests().entrySet().stream().filter(e -> !e.getValue().matches()).map(Map.Entry::getKey).toList());
        err.println("etat replay: the live read models differ from the log's rebuild: " + differing
                + (switches ? " (the rebuilt tables are now current)" : ""));
        return MISMATCH;
    }

    private RebuildService.Progress progress() {
        ImportProgress shown = ImportProgress.to(out, terminal);
        return new RebuildService.Progress() {
            @Override
            public void phase(String name, long total) {
                shown.phase(name, (int) Math.min(Integer.MAX_VALUE, total));
            }

            @Override
            public void advance(long events) {
                shown.advance((int) Math.min(Integer.MAX_VALUE, events));
            }

            @Override
            public void endPhase() {
                shown.endPhase();
            }
        };
    }

    /** Whether another process runs the embedded PostgreSQL of the data directory: its pid file is there and its port answers. */
    boolean embeddedRunning() {
        if (!Files.exists(dataDirectory.resolve("postmaster.pid"))) {
            return false;
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("localhost", port), 1_000);
            return true;
        } catch (IOException e) {
            return false; // a stale pid file after a crash: PostgreSQL starts over it
        }
    }

    private static String oneLine(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return String.valueOf(t.getMessage()).replace('\n', ' ');
    }
}
