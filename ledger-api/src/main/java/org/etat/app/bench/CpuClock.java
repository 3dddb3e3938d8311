package org.etat.app.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CPU time spent by this JVM, by the calling thread, and by a PostgreSQL cluster (postmaster, live
 * backends and the backends it has reaped), read from /proc. On a shared machine, wall time says
 * more about the neighbours than about the code; CPU seconds say what the work costs.
 */
final class CpuClock {

    /** Kernel clock ticks per second for /proc/[pid]/stat ({@code getconf CLK_TCK}; 100 on Linux). */
    private static final double TICKS_PER_SECOND = 100.0;

    /** One reading, in seconds. PostgreSQL's figure is NaN where /proc is unavailable. */
    record Reading(long nanoTime, double jvmSeconds, double threadSeconds, double postgresSeconds, double loadAverage) {
        Reading minus(Reading start) {
            return new Reading(nanoTime - start.nanoTime, jvmSeconds - start.jvmSeconds, threadSeconds - start.threadSeconds,
                    postgresSeconds - start.postgresSeconds, loadAverage);
        }

        double wallSeconds() {
            return nanoTime / 1e9;
        }
    }

    private final Path dataDirectory;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    CpuClock(Path dataDirectory) {
        this.dataDirectory = dataDirectory;
    }

    Reading read() {
        double jvm = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
        double thread = threads.getCurrentThreadCpuTime() / 1e9;
        return new Reading(System.nanoTime(), jvm, thread, postgresSeconds(), loadAverage());
    }

    private double postgresSeconds() {
        try {
            long postmaster = Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid")).get(0).trim());
            long ticks = 0;
            try (var procs = Files.list(Path.of("/proc"))) {
                for (Path p : procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
                    long[] stat = stat(p.resolve("stat"));
                    if (stat == null) {
                        continue;
                    }
                    long pid = Long.parseLong(p.getFileName().toString());
                    if (pid == postmaster) {
                        ticks += stat[1] + stat[2] + stat[3] + stat[4];
                    } else if (stat[0] == postmaster) {
                        ticks += stat[1] + stat[2];
                    }
                }
            }
            return ticks / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** ppid, utime, stime, cutime, cstime of /proc/[pid]/stat, or null if the process is gone. */
    private static long[] stat(Path file) {
        try {
            String s = Files.readString(file);
            // Fields after the command name, which is in parentheses and may contain spaces.
            List<String> f = List.of(s.substring(s.lastIndexOf(')') + 2).split(" "));
            return new long[] {Long.parseLong(f.get(1)), Long.parseLong(f.get(11)), Long.parseLong(f.get(12)), Long.parseLong(f.get(13)),
                    Long.parseLong(f.get(14))};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
