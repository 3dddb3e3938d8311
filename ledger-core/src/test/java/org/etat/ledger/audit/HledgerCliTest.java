package org.etat.ledger.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.etat.ledger.budgetline.LineBalance;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cross-checks the journal export with the real hledger (a tool Etat did not write). CI installs
 * hledger (.ci/run); there a missing hledger fails this test, elsewhere it is skipped, visibly.
 */
class HledgerCliTest {
    /** hledger parses a few thousand transactions in well under a second; this is a hang guard, not a speed check. */
    private static final long PROCESS_LIMIT_SECONDS = 120;

    @Test
    void hledgerAcceptsTheJournalAndItsLineBalancesAreTheAvailableAmounts(@TempDir Path dir) throws Exception {
        Path hledger = hledgerOrSkip();
        long seed = Seeds.seed("HledgerCliTest");
        RandomHistory history = RandomHistory.generate(new Random(seed), 1_500);
        Path journal = dir.resolve("etat.journal");
        Files.writeString(journal, HledgerJournal.export(history.entries), StandardCharsets.UTF_8);

        Result check = run(hledger, "-f", journal.toString(), "check", "--strict");
        Result balance = run(hledger, "-f", journal.toString(), "balance", "--flat", "--empty", "--no-total", "-O", "csv");

        assertThat(check.exitCode()).as("seed %d: hledger check --strict said: %s", seed, check.output()).isZero();
        assertThat(balance.exitCode()).as("seed %d: %s", seed, balance.output()).isZero();
        Map<String, Long> byAccount = parseBalanceCsv(balance.output());
        assertThat(byAccount).as("seed %d", seed).isNotEmpty();
        for (Map.Entry<String, LineBalance> line : history.balances.entrySet()) {
            String account = HledgerJournal.lineAccount(line.getKey());
            assertThat(byAccount.getOrDefault(account, 0L)).as("seed %d, hledger balance of %s", seed, account)
                    .isEqualTo(line.getValue().availableCents());
        }
        long total = byAccount.values().stream().mapToLong(Long::longValue).sum();
        assertThat(total).as("seed %d: a balanced journal sums to zero over all accounts", seed).isZero();
    }

    private static Map<String, Long> parseBalanceCsv(String csv) {
        Map<String, Long> out = new TreeMap<>();
        for (String line : csv.split("\r?\n")) {
            if (line.isBlank() || line.startsWith("\"account\"")) {
                continue;
            }
            String[] cells = line.split("\",\"");
            String account = cells[0].replace("\"", "");
            out.put(account, JournalParsing.cents(cells[1].replace("\"", "")));
        }
        return out;
    }

    private static Path hledgerOrSkip() {
        Optional<Path> found = onPath("hledger");
        if (found.isEmpty() && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("hledger is not on the PATH, but CI=true: CI must install hledger "
                    + "(apt-get install -y hledger, see .ci/run) so that the journal export is cross-checked");
        }
        Assumptions.assumeTrue(found.isPresent(), "hledger is not installed: skipping the cross-check with real hledger "
                + "(apt-get install hledger to run it; with CI=true this fails instead)");
        return found.get();
    }

    private static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(Path hledger, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(hledger.toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(PROCESS_LIMIT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("hledger did not finish within " + PROCESS_LIMIT_SECONDS + " s: " + command);
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
