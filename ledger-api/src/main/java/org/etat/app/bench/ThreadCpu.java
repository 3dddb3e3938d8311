package org.etat.app.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU seconds of this JVM's threads by group, read from /proc/self/task (Linux): JFR samples only Java
 * threads, so the JIT compiler and the GC, which a fresh JVM spends much of its CPU on, need the
 * kernel's per-thread figures. Threads are grouped by their native name (15 characters at most).
 */
final class ThreadCpu {

    /** Group names in report order. */
    static final List<String> GROUPS = List.of("JIT compiler", "GC and VM", "read side", "other");

    private static final double TICKS_PER_SECOND = 100.0;

    private ThreadCpu() {
    }

    /** One thread's group and CPU seconds since it started. */
    record Task(String group, double seconds) {
    }

    /** Every live thread of this JVM by native thread id; empty where /proc is unavailable. */
    static Map<Long, Task> read() {
        Map<Long, Task> threads = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    int open = stat.indexOf('(');
                    int close = stat.lastIndexOf(')');
                    String name = stat.substring(open + 1, close);
                    String[] f = stat.substring(close + 2).split(" ");
                    double seconds = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
                    threads.put(Long.parseLong(task.getFileName().toString()), new Task(group(name), seconds));
                } catch (IOException | RuntimeException e) {
                    // the thread ended while being read
                }
            }
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
        return threads;
    }

    /**
     * CPU seconds per group between two readings: per thread alive at the end, its CPU since the
     * first reading (or since it started, if it started in between). What threads that ended in
     * between spent is not counted (the JIT starts and stops compiler threads as its queue grows).
     */
    static Map<String, Double> between(Map<Long, Task> before, Map<Long, Task> after) {
        Map<String, Double> groups = new LinkedHashMap<>();
        GROUPS.forEach(g -> groups.put(g, 0.0));
        after.forEach((tid, t) -> {
            Task earlier = before.get(tid);
            double seconds = earlier == null || !earlier.group().equals(t.group()) ? t.seconds() : t.seconds() - earlier.seconds();
            groups.merge(t.group(), seconds, Double::sum);
        });
        return groups;
    }

    /**
     * Seconds the calling thread has spent ready to run but waiting for a CPU (second field of
     * /proc/thread-self/schedstat, in ns); NaN where unavailable. On a shared machine this is the part of
     * the wall time the neighbours take.
     */
    static double runQueueWaitSeconds() {
        return schedstatWaitSeconds(Path.of("/proc/thread-self/schedstat"));
    }

    /**
     * The same for a PostgreSQL cluster: the postmaster and its live children (the pool's backends stay
     * for the whole run; what an ended process waited is not counted); NaN where unavailable.
     */
    static double postgresRunQueueWaitSeconds(Path dataDirectory) {
        try {
            long postmaster = Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid")).get(0).trim());
            double seconds = 0;
            try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
                for (Path p : procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
                    long pid = Long.parseLong(p.getFileName().toString());
                    if (pid == postmaster || parentOf(p) == postmaster) {
                        double wait = schedstatWaitSeconds(p.resolve("schedstat"));
                        seconds += Double.isNaN(wait) ? 0 : wait;
                    }
                }
            }
            return seconds;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private static long parentOf(Path proc) {
        try {
            String stat = Files.readString(proc.resolve("stat"));
            return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static double schedstatWaitSeconds(Path schedstat) {
        try {
            return Long.parseLong(Files.readString(schedstat).trim().split(" ")[1]) / 1e9;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    static String group(String nativeName) {
        if (nativeName.startsWith("C1 Compiler") || nativeName.startsWith("C2 Compiler")) {
            return "JIT compiler";
        }
        if (nativeName.startsWith("GC Thread") || nativeName.startsWith("G1 ") || nativeName.startsWith("VM ")) {
            return "GC and VM";
        }
        // Axon's tracking processors (projection work packages, coordinator, audit chain) and the event
        // store's producer thread, which reads ahead for them.
        if (nativeName.startsWith("WorkPackage") || nativeName.startsWith("Coordinator") || nativeName.startsWith("EventProcessor")
                || nativeName.startsWith("EmbeddedEventSt")) {
            return "read side";
        }
        return "other";
    }
}
