package org.etat.app.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How many synchronous 8 kB writes per second the disk under the database takes: the ceiling of
 * one-at-a-time commits. From PostgreSQL's pg_test_fsync when one is installed (zonky's binaries ship
 * only initdb, pg_ctl and postgres), else from a Java probe doing what a WAL flush does: overwrite
 * 8 kB and fdatasync (FileChannel.force(false)).
 */
public record FsyncRate(String source, double opsPerSecond, String detail) {

    private static final Pattern FDATASYNC = Pattern.compile("^\\s*fdatasync\\s+([0-9.,]+) ops/sec", Pattern.MULTILINE);

    /** {@code seconds} per test (pg_test_fsync -s) or for the probe; 0 measures nothing. */
    static FsyncRate measure(Path directory, int seconds, PrintStream out) throws IOException, InterruptedException {
        if (seconds == 0) {
            return new FsyncRate("not measured (--fsync-seconds 0)", 0, "");
        }
        Path tool = findPgTestFsync();
        FsyncRate rate = null;
        if (tool != null) {
            rate = fromPgTestFsync(tool, directory, seconds);
        }
        if (rate == null) {
            rate = probe(directory, seconds, tool == null
                    ? "pg_test_fsync not available (not on PATH, not in /usr/lib/postgresql/*/bin; zonky ships only initdb, pg_ctl, postgres)"
                    : "pg_test_fsync at " + tool + " gave no fdatasync figure");
        }
        out.printf("  %-20s %,.0f ops/s (%s)%n", "fsync rate", rate.opsPerSecond(), rate.source());
        return rate;
    }

    private static Path findPgTestFsync() throws IOException {
        List<Path> candidates = new ArrayList<>();
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isBlank()) {
                candidates.add(Path.of(dir, "pg_test_fsync"));
            }
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (var versions = Files.list(debian)) {
                versions.sorted(java.util.Comparator.reverseOrder()).forEach(v -> candidates.add(v.resolve("bin/pg_test_fsync")));
            }
        }
        return candidates.stream().filter(Files::isExecutable).findFirst().orElse(null);
    }

    private static FsyncRate fromPgTestFsync(Path tool, Path directory, int seconds) throws IOException, InterruptedException {
        Path file = directory.resolve("pg_test_fsync.out");
        Process p = new ProcessBuilder(tool.toString(), "-s", String.valueOf(seconds), "-f", directory.resolve("pg_test_fsync.tmp").toString())
                .redirectErrorStream(true).redirectOutput(file.toFile()).start();
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            return null;
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        Matcher m = FDATASYNC.matcher(text);
        if (!m.find()) {
            return null;
        }
        return new FsyncRate("pg_test_fsync " + tool + " -s " + seconds + ", fdatasync, one 8 kB write", Double.parseDouble(m.group(1).replace(",", "")),
                text.strip());
    }

    /** Overwrites one 8 kB block and fdatasyncs it, for {@code seconds}. */
    static FsyncRate probe(Path directory, int seconds, String why) throws IOException {
        long probeNanos = TimeUnit.SECONDS.toNanos(seconds);
        Path file = directory.resolve("fsync-probe.tmp");
        ByteBuffer block = ByteBuffer.allocateDirect(8192);
        long ops = 0;
        long start;
        long elapsed;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ)) {
            ch.write(block.duplicate(), 0);
            ch.force(true);
            start = System.nanoTime();
            do {
                ch.write(block.duplicate(), 0);
                ch.force(false);
                ops++;
                elapsed = System.nanoTime() - start;
            } while (elapsed < probeNanos);
        } finally {
            Files.deleteIfExists(file);
        }
        return new FsyncRate("Java probe: 8 kB overwrite + fdatasync in the database's directory", ops / (elapsed / 1e9), why);
    }
}
