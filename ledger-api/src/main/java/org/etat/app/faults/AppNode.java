package org.etat.app.faults;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.concurrent.locks.LockSupport;
import org.etat.app.EtatApplication;

/**
 * One Etat application node as a separate OS process ({@code java ... serve}) on the suite's
 * PostgreSQL. Started from the running jar ({@code java -jar etat.jar}) or, inside the test run,
 * from the test's class path, so the suite needs no packaged jar.
 */
final class AppNode {

    static final String USERS = "finance:faults-pw:FINANCE,budget:faults-pw:BUDGET_ADMIN,court:faults-pw:COURT_OF_AUDIT";
    private static final Duration START_DEADLINE = Duration.ofSeconds(180);

    private final String name;
    private final int httpPort;
    private final String jdbcUrl;
    private final List<String> systemProperties;
    private final Path logFile;
    private Process process;

    AppNode(String name, int httpPort, String jdbcUrl, List<String> systemProperties, Path workDirectory) {
        this.name = name;
        this.httpPort = httpPort;
        this.jdbcUrl = jdbcUrl;
        this.systemProperties = List.copyOf(systemProperties);
        this.logFile = workDirectory.resolve(name + ".log");
    }

    String name() {
        return name;
    }

    URI base() {
        return URI.create("http://localhost:" + httpPort);
    }

    /** Starts the process and waits until its health endpoint answers UP. */
    void start() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        Files.createDirectories(logFile.getParent());
        List<String> jvm = new ArrayList<>(List.of("-Xmx512m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Daxoniq.update-checker.disabled=true"));
        jvm.addAll(systemProperties);
        List<String> cmd = etatCommand(jvm, List.of("serve", "--port", String.valueOf(httpPort)));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        Map<String, String> env = pb.environment();
        env.put("ETAT_DB_URL", jdbcUrl);
        env.put("ETAT_DB_USER", PgServer.USER);
        env.put("ETAT_DB_PASSWORD", "");
        env.put("ETAT_USERS", USERS);
        env.remove("ETAT_JAVA_OPTS");
        process = pb.start();
        awaitHealthy();
    }

    /**
     * {@code java <jvm options> <etat> <arguments>}: the running jar ({@code java -jar etat.jar}) or,
     * inside the test run, the test's class path. Short-lived processes: start fast, stay small
     * (the suite's processes share the machine).
     */
    static List<String> etatCommand(List<String> jvmOptions, List<String> arguments) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        String classPath = System.getProperty("java.class.path");
        if (isBootJar(classPath)) {
            cmd.addAll(List.of("-jar", classPath));
        } else {
            cmd.addAll(List.of("-cp", classPath, EtatApplication.class.getName()));
        }
        cmd.addAll(arguments);
        return cmd;
    }

    /** The packaged application ({@code java -jar etat.jar}), not e.g. Surefire's manifest-only class-path jar. */
    private static boolean isBootJar(String classPath) {
        if (classPath.contains(File.pathSeparator) || !classPath.endsWith(".jar")) {
            return false;
        }
        try (JarFile jar = new JarFile(classPath)) {
            String main = jar.getManifest() == null ? null : jar.getManifest().getMainAttributes().getValue("Main-Class");
            return main != null && main.startsWith("org.springframework.boot.loader");
        } catch (IOException e) {
            return false;
        }
    }

    private void awaitHealthy() throws IOException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest health = HttpRequest.newBuilder(base().resolve("/actuator/health")).timeout(Duration.ofSeconds(5)).GET().build();
        long deadline = System.nanoTime() + START_DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(name + " exited with " + process.exitValue() + " while starting; see " + logFile);
            }
            try {
                if (http.send(health, HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
        throw new IOException(name + " not healthy within " + START_DEADLINE + "; see " + logFile);
    }

    /** SIGKILL: no shutdown hook, no graceful stop, requests in flight are cut. */
    void kill9() {
        if (process == null) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.onExit().join();
        process = null;
    }

    /** SIGTERM: the graceful stop of {@code serve}. */
    void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                kill9();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill9();
        }
        process = null;
    }
}
