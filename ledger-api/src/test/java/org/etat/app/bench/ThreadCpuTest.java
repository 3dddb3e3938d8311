package org.etat.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ThreadCpuTest {

    @Test
    void givenNativeThreadNames_whenGrouped_thenCompilerGcReadSideAndOtherAreToldApart() {
        assertThat(ThreadCpu.group("C2 CompilerThre")).isEqualTo("JIT compiler");
        assertThat(ThreadCpu.group("C1 CompilerThre")).isEqualTo("JIT compiler");
        assertThat(ThreadCpu.group("GC Thread#0")).isEqualTo("GC and VM");
        assertThat(ThreadCpu.group("G1 Refine#0")).isEqualTo("GC and VM");
        assertThat(ThreadCpu.group("VM Thread")).isEqualTo("GC and VM");
        assertThat(ThreadCpu.group("WorkPackage[eta")).isEqualTo("read side");
        assertThat(ThreadCpu.group("EventProcessor[")).isEqualTo("read side");
        assertThat(ThreadCpu.group("java")).isEqualTo("other");
    }

    @Test
    void givenThreadsThatStartAndEndBetweenReadings_whenSubtracted_thenNoGroupGoesNegative() {
        Map<Long, ThreadCpu.Task> before = Map.of(1L, new ThreadCpu.Task("JIT compiler", 5.0), 2L, new ThreadCpu.Task("other", 1.0));
        // thread 1 ended, thread 3 started, thread 2 ran on
        Map<Long, ThreadCpu.Task> after = Map.of(2L, new ThreadCpu.Task("other", 1.5), 3L, new ThreadCpu.Task("JIT compiler", 0.25));

        Map<String, Double> between = ThreadCpu.between(before, after);

        assertThat(between).containsEntry("other", 0.5).containsEntry("JIT compiler", 0.25).containsEntry("read side", 0.0);
    }

    @Test
    void givenThisJvm_whenRead_thenItsThreadsAreListedWhereProcIsAvailable() {
        Map<Long, ThreadCpu.Task> threads = ThreadCpu.read();

        if (java.nio.file.Files.isDirectory(java.nio.file.Path.of("/proc/self/task"))) {
            assertThat(threads).isNotEmpty();
            assertThat(threads.values()).allMatch(t -> t.seconds() >= 0 && ThreadCpu.GROUPS.contains(t.group()));
        } else {
            assertThat(threads).isEmpty();
        }
    }
}
