package org.etat.app.importer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.etat.ledger.budgetline.LineKind;
import org.etat.ledger.money.Money;

/**
 * One upload's import: its state (queued, running, succeeded, failed), progress in source rows, and
 * at the end a summary or the failure with file, row, column and reason. Thread-safe: the import
 * thread writes, HTTP threads read {@link #view()}.
 */
public final class ImportJob {

    public enum State {
        queued, running, succeeded, failed
    }

    /** An uploaded file as the job names it. */
    public record FileView(String part, String name, long bytes, String sha256) {
    }

    /** Rows done of all rows to send, and the phase being sent. */
    public record Progress(String phase, int rowsDone, int rowsTotal) {
    }

    /** Why the job failed: the file, row (1-based) and column when known, the reason, and the ledger's rule if it refused. */
    public record Failure(String file, Integer row, String column, String reason, String rule) {
    }

    /** What was imported; amounts are decimal strings in EUR. */
    public record Summary(int year, int linesOpened, int istOnlyLines, String appropriatedExpenditure, String appropriatedRevenue,
            String recordedExpenditure, String recordedRevenue, String coreSollExpenditure, String coreIstExpenditure,
            int overPlanConsents, String overPlanConsentAmount, int unplannedConsents, String unplannedConsentAmount,
            int annexSollRowsLeftOut, int negativeSollRowsSkipped, String negativeSollExpenditure, int negativeIstRowsSkipped,
            String negativeIstExpenditure, int batchesSent, int rowsSent, double seconds) {

        static Summary of(ImportReport r, ImportService.ImportResult result) {
            return new Summary(r.year(), r.linesOpened(), r.istOnlyLines(), Money.format(r.appropriatedExpenditureCents()),
                    Money.format(r.appropriatedRevenueCents()), Money.format(r.recordedExpenditureCents()), Money.format(r.recordedRevenueCents()),
                    Money.format(r.coreSollExpenditureCents()), Money.format(r.coreIstExpenditureCents()), r.overPlanConsents(),
                    Money.format(r.overPlanConsentCents()), r.unplannedConsents(), Money.format(r.unplannedConsentCents()), r.anlageSollRows(),
                    r.negativeSoll().size(), Money.format(r.negativeSollCents(LineKind.EXPENDITURE)), r.negativeIst().size(),
                    Money.format(r.negativeIstCents(LineKind.EXPENDITURE)), result.commandsSent(), result.entriesSent(),
                    Math.round(result.elapsed().toMillis() / 10.0) / 100.0);
        }
    }

    /** The job as its progress resource shows it. */
    public record View(UUID id, State state, int year, String submittedBy, List<FileView> files, Progress progress, Instant submittedAt,
            Instant startedAt, Instant finishedAt, Summary summary, Failure failure) {
    }

    private final UUID id;
    private final String principal;
    private final int year;
    private final Instant submittedAt;
    private final List<FileView> files = new ArrayList<>();
    private State state = State.queued;
    private String phase;
    private int rowsDone;
    private int rowsTotal;
    private Instant startedAt;
    private Instant finishedAt;
    private Summary summary;
    private Failure failure;

    ImportJob(UUID id, String principal, int year, Instant submittedAt) {
        this.id = id;
        this.principal = principal;
        this.year = year;
        this.submittedAt = submittedAt;
    }

    public UUID id() {
        return id;
    }

    synchronized void file(String part, ImportJobs.Upload upload) {
        files.add(new FileView(part, upload.fileName(), upload.bytes().length, SourceFile.sha256(upload.bytes())));
    }

    synchronized void start(Instant at) {
        state = State.running;
        startedAt = at;
        phase = "read files";
    }

    synchronized void succeed(Instant at, Summary s) {
        state = State.succeeded;
        finishedAt = at;
        summary = s;
        phase = null;
        rowsDone = rowsTotal;
    }

    synchronized void fail(Instant at, Failure f) {
        state = State.failed;
        finishedAt = at;
        failure = f;
    }

    synchronized boolean finished() {
        return state == State.succeeded || state == State.failed;
    }

    public synchronized View view() {
        return new View(id, state, year, principal, List.copyOf(files), new Progress(phase, rowsDone, rowsTotal), submittedAt, startedAt,
                finishedAt, summary, failure);
    }

    /** Progress across all phases: rows done of the plan's rows. */
    ImportProgress progress(int total) {
        synchronized (this) {
            rowsTotal = total;
            rowsDone = 0;
        }
        return new ImportProgress() {
            @Override
            public void phase(String name, int phaseTotal) {
                synchronized (ImportJob.this) {
                    phase = name;
                }
            }

            @Override
            public void advance(int done) {
                synchronized (ImportJob.this) {
                    rowsDone = Math.min(rowsTotal, rowsDone + done);
                }
            }

            @Override
            public void endPhase() {
            }
        };
    }
}
