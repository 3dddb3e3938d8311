package org.etat.app.projection;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.etat.app.ledger.EventLog;
import org.etat.app.ledger.LedgerGateway;
import org.etat.app.testsupport.EtatIntegrationTest;
import org.etat.ledger.budgetline.AmendAppropriation;
import org.etat.ledger.budgetline.CoverGroup;
import org.etat.ledger.budgetline.EnactAppropriation;
import org.etat.ledger.budgetline.LineBalance;
import org.etat.ledger.budgetline.LineKind;
import org.etat.ledger.budgetline.OpenLine;
import org.etat.ledger.budgetline.RecordExpenditure;
import org.etat.ledger.budgetline.TitleKey;
import org.etat.ledger.carryover.CarryOverRemainder;
import org.etat.ledger.common.LedgerRejection;
import org.etat.ledger.common.Receipt;
import org.etat.ledger.common.Rule;
import org.etat.ledger.correction.ReverseEntry;
import org.etat.ledger.reallocation.LegalBasis;
import org.etat.ledger.reallocation.Reallocate;
import org.etat.ledger.yearclose.CloseYear;
import org.etat.projection.Digest;
import org.etat.projection.ReadModelSchema;
import org.etat.projection.ReadModels;
import org.etat.projection.Rebuild;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * Given a seeded random history over two years (spends, reallocations, amendments, reversals of
 * spends and of reallocations, carry-overs into the next year, the year close), when the read models
 * are rebuilt while another thread keeps writing, then the rebuilt digests equal the live ones (for
 * the same events), the rebuilt tables become current, and once the writes stop the processor
 * continues on them to exactly what a rebuild of the whole final log gives. Replay a failure with
 * {@code -Detat.test.seed=<seed>}.
 */
@TestPropertySource(properties = {"etat.projection.segments=2", "etat.projection.batch-size=7", "etat.projection.rebuild-batch-size=40"})
class RebuildIntegrationTest extends EtatIntegrationTest {

    private static final Duration DEADLINE = Duration.ofSeconds(120);
    private static final int HISTORY_OPERATIONS = 400;
    /** Writes the concurrent writer must have committed after the rebuild started and before its bulk phase ends. */
    private static final int WRITES_DURING_REBUILD = 15;
    private static final Set<Rule> EXPECTED_REFUSALS = EnumSet.of(Rule.INSUFFICIENT_FUNDS, Rule.ENTRY_ALREADY_REVERSED,
            Rule.APPROPRIATION_BELOW_ZERO, Rule.REALLOCATION_WITHIN_ONE_LINE, Rule.YEAR_CLOSED);

    @Autowired
    LedgerGateway ledger;
    @Autowired
    EventLog log;
    @Autowired
    RebuildService rebuilds;
    @Autowired
    ReadModels models;
    @Autowired
    DataSource dataSource;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aRebuildDuringWritesEqualsTheLiveModelsAndTheProcessorContinuesOnIt() throws Exception {
        long seed = Long.getLong("etat.test.seed", System.nanoTime());
        String replay = "seed " + seed + " (replay with -Detat.test.seed=" + seed + ")";
        Random random = new Random(seed);
        List<String> lines2023 = List.of("2023-06010-53101", "2023-06010-53102", "2023-06010-53103", "2023-06010-53104");
        List<String> lines2024 = lines2023.stream().map(l -> "2024" + l.substring(4)).toList();
        for (String line : concat(lines2023, lines2024)) {
            String[] p = line.split("-");
            send(new OpenLine(line, TitleKey.of(p[1], p[2]), "Titel " + p[2], LineKind.EXPENDITURE, true,
                    List.of(CoverGroup.mutual("TG" + p[0])), null), "open-" + line);
            send(new EnactAppropriation(line, 200_000_00L, "HG " + p[0], LocalDate.of(Integer.parseInt(p[0]), 1, 1)), "enact-" + line);
        }
        List<String> reversible = new CopyOnWriteArrayList<>();
        int accepted = history(random, lines2023, 2023, HISTORY_OPERATIONS / 2, reversible, "h23-" + seed);
        for (String line : lines2023) {
            if (random.nextInt(4) != 0) {
                accepted += tryOp(new CarryOverRemainder(line, 1 + random.nextInt(30_000_00), "BMF-" + line, "Ausgaberest",
                        LocalDate.of(2023, 12, 31)), "carry-" + seed + "-" + line, reversible);
            }
        }
        send(new CloseYear(2023, "Jahresabschluss 2023"), "close-2023-" + seed);
        accepted += history(random, lines2024, 2024, HISTORY_OPERATIONS / 2, reversible, "h24-" + seed);
        assertThat(accepted).as("%s: a mostly refused history tests little", replay).isGreaterThan(HISTORY_OPERATIONS / 4);

        // Writes go on throughout the rebuild; its first batch waits until some of them are committed.
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger written = new AtomicInteger();
        List<Throwable> writerFailures = new CopyOnWriteArrayList<>();
        Random writerRandom = new Random(seed + 1);
        Thread writer = new Thread(() -> {
            int op = 0;
            while (writing.get()) {
                try {
                    written.addAndGet(history(writerRandom, lines2024, 2024, 1, reversible, "w-" + seed + "-" + op++));
                } catch (Throwable t) {
                    writerFailures.add(t);
                    return;
                }
            }
        }, "concurrent-writer");
        AtomicBoolean refusedSecond = new AtomicBoolean();
        RebuildService.Progress waitForWrites = new RebuildService.Progress() {
            boolean waited;

            @Override
            public void phase(String name, long total) {
            }

            @Override
            public void advance(long events) {
                if (!waited) {
                    waited = true;
                    int before = written.get();
                    awaitTrue(() -> written.get() >= before + WRITES_DURING_REBUILD || !writerFailures.isEmpty(), "writes during the rebuild");
                    try {
                        rebuilds.start();
                    } catch (RebuildService.AlreadyRunning expected) {
                        refusedSecond.set(true);
                    }
                }
            }

            @Override
            public void endPhase() {
            }
        };
        RebuildJob job;
        writer.start();
        try {
            job = rebuilds.run(waitForWrites);
        } finally {
            writing.set(false);
            writer.join(DEADLINE.toMillis());
        }
        assertThat(writerFailures).as(replay).isEmpty();
        RebuildJob.Status status = job.status();
        assertThat(status.state()).as("%s: %s", replay, status).isEqualTo(RebuildJob.State.SUCCEEDED);
        assertThat(status.switchedOver()).isTrue();
        assertThat(refusedSecond).as("a second rebuild is refused while one runs").isTrue();
        assertThat(status.digests()).as(replay).hasSize(ReadModelSchema.TABLES.size());
        status.digests().forEach((table, d) -> assertThat(d.rebuilt()).as("%s: %s rebuilt vs live", replay, table).isEqualTo(d.live()));
        assertThat(status.eventsProcessed()).isGreaterThan(0);
        assertThat(rebuilds.job(job.id())).contains(job);

        // The processor continues on the rebuilt tables: once it has caught up, they are the whole log's rebuild.
        int events = log.all().size();
        awaitTrue(() -> Projected.events(dataSource) == events,
                "the processor projects every event into the rebuilt tables");
        Map<String, LineBalance> folded = log.balances();
        folded.forEach((line, balance) -> assertThat(models.line(line).orElseThrow().balance()).as("%s: %s", replay, line).isEqualTo(balance));
        Rebuild fromScratch = new Rebuild(dataSource, new ReadModelSchema("projection_check"));
        fromScratch.prepare();
        fromScratch.feed(log.all().stream()
                .map(e -> ReadModelProjection.toProjected(e.globalIndex(), e.eventId(), e.payload(), e.metaData(), null)).toList(), 97);
        assertThat(Digest.of(dataSource, fromScratch.target())).as(replay).isEqualTo(Digest.of(dataSource, ReadModelSchema.LIVE));
        fromScratch.drop();
        System.out.printf("%s: %d history entries accepted, %d written during the rebuild, %d events%n", replay, accepted, written.get(), events);
    }

    private int history(Random random, List<String> lines, int year, int operations, List<String> reversible, String prefix) {
        int accepted = 0;
        for (int op = 0; op < operations; op++) {
            String line = lines.get(random.nextInt(lines.size()));
            String other = lines.get(random.nextInt(lines.size()));
            long cents = 1 + random.nextInt(5_000_00);
            LocalDate date = LocalDate.of(year, 1 + random.nextInt(12), 1 + random.nextInt(28));
            List<String> ofYear = reversible.stream().filter(id -> id.startsWith(year + "|")).toList();
            Object command = switch (random.nextInt(7)) {
                case 0, 1, 2 -> new RecordExpenditure(line, cents, date, "Zahlung", "RE-" + prefix + "-" + op, "P" + random.nextInt(5));
                case 3, 4 -> new Reallocate(line, other, cents, LegalBasis.coverGroup("TG" + year), "Umschichtung", date);
                case 5 -> new AmendAppropriation(line, random.nextBoolean() ? cents : -cents, "Nachtrag", date);
                default -> ofYear.isEmpty() ? new RecordExpenditure(line, cents, date, "Zahlung", "RE-" + prefix + "-" + op, null)
                        : new ReverseEntry(ofYear.get(random.nextInt(ofYear.size())).substring(5), "Storno", date);
            };
            accepted += tryOp(command, prefix + "-" + op, reversible);
        }
        return accepted;
    }

    private int tryOp(Object command, String requestId, List<String> reversible) {
        try {
            Receipt receipt = ledger.send(command, "t", requestId);
            if (command instanceof RecordExpenditure x) {
                reversible.add(x.lineId().substring(0, 4) + "|" + receipt.eventIds().get(0));
            } else if (command instanceof Reallocate x) {
                reversible.add(x.fromLineId().substring(0, 4) + "|" + receipt.eventIds().get(0));
            }
            return 1;
        } catch (LedgerRejection r) {
            assertThat(r.rule()).as("%s", command).isIn(EXPECTED_REFUSALS);
            return 0;
        }
    }

    private void send(Object command, String requestId) {
        ledger.send(command, "t", requestId);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + DEADLINE + ": " + what);
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }
}
