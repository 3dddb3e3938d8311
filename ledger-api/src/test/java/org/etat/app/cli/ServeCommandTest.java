package org.etat.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.etat.app.http.Api;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code etat serve --demo} on an embedded PostgreSQL in a temporary directory, twice. */
class ServeCommandTest {

    @TempDir
    Path data;

    record Run(int eventCount, String output) {
    }

    @Test
    void serve_prints_where_everything_is_serves_the_demo_and_a_restart_records_nothing_new() throws Exception {
        int dbPort = freePort();
        Run first = serveOnce(dbPort);
        assertThat(first.output()).contains("/swagger-ui.html", "/actuator/health", "/api/v1", "port " + dbPort, "auditor", "AUDITOR");
        assertThat(first.eventCount()).isGreaterThan(15);

        Run second = serveOnce(dbPort);
        assertThat(second.eventCount()).isEqualTo(first.eventCount());
    }

    private Run serveOnce(int dbPort) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ServeCommand serve = new ServeCommand();
        serve.demo = true;
        serve.port = 0;
        serve.dbPort = dbPort;
        serve.dataDirectory = data;
        serve.env = Map.of();
        serve.out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        serve.installShutdownHook = false;
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> exit = thread.submit(serve);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (!bytes.toString(StandardCharsets.UTF_8).contains("Stop with Ctrl-C") && !exit.isDone() && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            }
            String output = bytes.toString(StandardCharsets.UTF_8);
            assertThat(output).as(exit.isDone() ? "serve ended early: " + exit : "serve output").contains("Stop with Ctrl-C");
            Matcher m = Pattern.compile("auditor\\s+(\\S+)\\s+AUDITOR").matcher(output);
            assertThat(m.find()).as(output).isTrue();
            Api api = new Api(serve.httpPort());
            assertThat(api.get("/actuator/health", null).status()).isEqualTo(200);
            Api.Response events = api.send(api.request("/api/v1/events?limit=1000", null)
                    .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(("auditor:" + m.group(1)).getBytes(StandardCharsets.UTF_8)))
                    .GET().build());
            assertThat(events.status()).as(events.toString()).isEqualTo(200);
            serve.stop();
            assertThat(exit.get(60, TimeUnit.SECONDS)).isZero();
            return new Run(events.json().get("events").size(), output);
        } finally {
            serve.stop();
            thread.shutdownNow();
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
