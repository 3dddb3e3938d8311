package org.etat.app.faults;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The Kafka broker of scenario 6 as a separate OS process ({@code etat faults kafka-broker}, a
 * single-node KRaft broker from Apache Kafka's own jars). "Killed" is SIGKILL; the restart runs on
 * the same log directory and ports, so the broker recovers its log as after a crash.
 */
final class KafkaBrokerProcess implements AutoCloseable {

    private static final Duration START_DEADLINE = Duration.ofSeconds(180);

    private final Path logDirectory;
    private final int port;
    private final int controllerPort;
    private final Path logFile;
    private Process process;

    KafkaBrokerProcess(Path workDirectory, int port, int controllerPort) {
        this.logDirectory = workDirectory.resolve("kafka-log").toAbsolutePath();
        this.port = port;
        this.controllerPort = controllerPort;
        this.logFile = workDirectory.resolve("kafka-broker.log");
    }

    String bootstrap() {
        return "localhost:" + port;
    }

    /** Starts the broker and waits until it says it is ready (after Kafka's startup returned). */
    void start() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("the broker is already running");
        }
        Files.createDirectories(logFile.getParent());
        long readyBefore = readyLines();
        List<String> cmd = AppNode.etatCommand(List.of("-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"), List.of("faults", "kafka-broker", "--log-dir",
                logDirectory.toString(), "--port", String.valueOf(port), "--controller-port", String.valueOf(controllerPort)));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        pb.environment().remove("ETAT_JAVA_OPTS");
        process = pb.start();
        long deadline = System.nanoTime() + START_DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("the Kafka broker exited with " + process.exitValue() + " while starting; see " + logFile);
            }
            if (readyLines() > readyBefore) {
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
        throw new IOException("the Kafka broker was not ready within " + START_DEADLINE + "; see " + logFile);
    }

    private long readyLines() throws IOException {
        if (!Files.exists(logFile)) {
            return 0;
        }
        try (var lines = Files.lines(logFile, StandardCharsets.UTF_8)) {
            return lines.filter(l -> l.startsWith(KafkaBrokerCommand.READY)).count();
        } catch (java.io.UncheckedIOException e) {
            return 0; // a partly written multi-byte character: look again
        }
    }

    /** SIGKILL: no clean shutdown, the log is recovered at the next start. */
    void kill9() {
        if (process == null) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.onExit().join();
        process = null;
    }

    @Override
    public void close() {
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
