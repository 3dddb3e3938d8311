package org.etat.app.importer;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.etat.app.ledger.LedgerGateway;
import org.etat.ledger.batch.RecordBatch;
import org.etat.ledger.common.LedgerRejection;
import org.springframework.stereotype.Service;

/**
 * Executes an {@link ImportPlan} through the {@link LedgerGateway}, the ledger's only entrance: no
 * table is written directly, every command is decided by the budget-line aggregate.
 *
 * <p>Failure and rerun: each command is its own transaction, and its request id is derived from the
 * source file's SHA-256 and row. An interrupted or refused import is resumed by running it again with
 * the same files: commands that were recorded return their stored receipt and record nothing, the rest
 * are sent. So the import of a file is neither all-or-nothing nor silently partial: it is resumable,
 * and a complete re-import changes nothing. The same bytes under another file name (or another
 * principal) are refused as an idempotency conflict instead of being booked twice.
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
            boolean batches = phase == PlannedCommand.Phase.RECORD_ACTUALS;
            progress.phase(label(phase), batches ? todo.stream().mapToInt(c -> ((RecordBatch) c.command()).entries().size()).sum() : todo.size());
            for (PlannedCommand c : todo) {
                try {
                    ledger.send(c.command(), PRINCIPAL, c.requestId());
                } catch (LedgerRejection e) {
                    throw new ImportRefusedException(c, e);
                }
                commands++;
                int n = batches ? ((RecordBatch) c.command()).entries().size() : 1;
                entries += batches ? n : 0;
                progress.advance(n);
            }
            progress.endPhase();
            byPhase.put(phase, Duration.ofNanos(System.nanoTime() - phaseStart));
        }
        return new ImportResult(plan, commands, entries, Duration.ofNanos(System.nanoTime() - start), byPhase);
    }

    public static String label(PlannedCommand.Phase phase) {
        return switch (phase) {
            case OPEN_LINE -> "open lines";
            case ENACT_APPROPRIATION -> "enact appropriations";
            case GRANT_CONSENT -> "grant § 37 consents";
            case RECORD_ACTUALS -> "record actuals";
        };
    }

    /** The ledger refused a planned command; everything sent before it stays and a rerun resumes here. */
    public static final class ImportRefusedException extends RuntimeException {
        private final transient PlannedCommand command;

        ImportRefusedException(PlannedCommand command, LedgerRejection cause) {
            super("the ledger refused " + command.command().getClass().getSimpleName() + " (request " + command.requestId() + "): "
                    + cause.getMessage(), cause);
            this.command = command;
        }

        public PlannedCommand command() {
            return command;
        }

        public LedgerRejection rejection() {
            return (LedgerRejection) getCause();
        }
    }
}
