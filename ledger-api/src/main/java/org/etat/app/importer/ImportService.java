package org.etat.app.importer;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.etat.app.ledger.LedgerGateway;
import org.etat.ledger.batch.BudgetBatch;
import org.etat.ledger.batch.RecordBatch;
import org.etat.ledger.common.LedgerMetadata;
import org.etat.ledger.common.LedgerRejection;
import org.springframework.stereotype.Service;

/**
 * Executes an {@link ImportPlan} through the {@link LedgerGateway}, the ledger's only entrance: no
 * table is written directly, every entry is decided by the budget-line aggregate.
 *
 * <p>Failure and rerun: the files are parsed and checked completely before the first command is
 * sent, so a malformed file records nothing. The plan is then sent as batches ({@code BudgetBatch},
 * {@code RecordBatch}); each batch is one transaction, all or nothing, and its request id is derived
 * from the source file's SHA-256 and the batch's first and last row. Each committed batch is thus a
 * checkpoint: an interrupted or refused import is resumed by running it again with the same files;
 * batches that were recorded return their stored receipt and record nothing, the rest are sent. A
 * complete re-import changes nothing. The same bytes under another file name (or another principal)
 * are refused as an idempotency conflict instead of being booked twice.
 */
@Service
public class ImportService {

    /** The principal every imported command is recorded under; part of each request's fingerprint. */
    public static final String PRINCIPAL = "etat-import";

    private final LedgerGateway ledger;

    public ImportService(LedgerGateway ledger) {
        this.ledger = ledger;
    }

    /** What an executed import did. */
    public record ImportResult(ImportPlan plan, int commandsSent, int entriesSent, Duration elapsed, Map<PlannedCommand.Phase, Duration> byPhase) {
        public ImportResult {
            byPhase = Collections.unmodifiableMap(new EnumMap<>(byPhase));
        }
    }

    /** Sends every command of the plan in order; on a refusal stops and names the command and its source. */
    public ImportResult execute(ImportPlan plan, ImportProgress progress) {
        long start = System.nanoTime();
        int commands = 0;
        int entries = 0;
        Map<PlannedCommand.Phase, Duration> byPhase = new EnumMap<>(PlannedCommand.Phase.class);
        for (PlannedCommand.Phase phase : PlannedCommand.Phase.values()) {
            long phaseStart = System.nanoTime();
            List<PlannedCommand> todo = plan.commands(phase);
            progress.phase(label(phase), plan.entries(phase));
            for (PlannedCommand c : todo) {
                try {
                    ledger.send(c.command(), PRINCIPAL, c.requestId());
                } catch (LedgerRejection e) {
                    throw new ImportRefusedException(c, e);
                }
                commands++;
                entries += c.entries();
                progress.advance(c.entries());
            }
            progress.endPhase();
            byPhase.put(phase, Duration.ofNanos(System.nanoTime() - phaseStart));
        }
        return new ImportResult(plan, commands, entries, Duration.ofNanos(System.nanoTime() - start), byPhase);
    }

    public static String label(PlannedCommand.Phase phase) {
        return switch (phase) {
            case OPEN_LINE -> "open lines";
            case GRANT_CONSENT -> "grant § 37 consents";
            case RECORD_ACTUALS -> "record actuals";
        };
    }

    /** The ledger refused a planned batch; the batches sent before it stay and a rerun resumes here. */
    public static final class ImportRefusedException extends RuntimeException {
        private final transient PlannedCommand command;
        private final transient Map<String, String> source;

        ImportRefusedException(PlannedCommand command, LedgerRejection cause) {
            this(command, cause, firstRefusedSource(command, cause));
        }

        private ImportRefusedException(PlannedCommand command, LedgerRejection cause, Map<String, String> source) {
            super("the ledger refused " + command.command().getClass().getSimpleName() + " (request " + command.requestId() + ")"
                    + (source.isEmpty() ? "" : " at " + source.get(LedgerMetadata.SOURCE_FILE) + " row " + source.get(LedgerMetadata.SOURCE_ROW))
                    + ": " + cause.getMessage(), cause);
            this.command = command;
            this.source = source;
        }

        public PlannedCommand command() {
            return command;
        }

        public LedgerRejection rejection() {
            return (LedgerRejection) getCause();
        }

        /** Provenance of the first refused entry (file, SHA-256, row), or empty. */
        public Map<String, String> source() {
            return source;
        }

        private static Map<String, String> firstRefusedSource(PlannedCommand command, LedgerRejection cause) {
            if (cause.entryErrors().isEmpty()) {
                return Map.of();
            }
            int index = cause.entryErrors().get(0).index();
            if (command.command() instanceof BudgetBatch b && index < b.entries().size() && b.entries().get(index) != null) {
                return b.entries().get(index).metadata();
            }
            if (command.command() instanceof RecordBatch b && index < b.entries().size() && b.entries().get(index) != null) {
                return b.entries().get(index).metadata();
            }
            return Map.of();
        }
    }
}
