package org.etat.app.importer;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.etat.ledger.common.LedgerMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * Imports uploaded files in the background, one at a time per node, and keeps each job's state,
 * progress, summary or failure for its progress resource. Jobs live in memory: they are for watching
 * an upload, not a record (the ledger is the record, and a rerun of the same files is harmless).
 * Bounded: at most {@code etat.import.max-queued-jobs} waiting, the latest
 * {@code etat.import.max-kept-jobs} kept.
 */
@Service
public class ImportJobs implements DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(ImportJobs.class);

    /** One uploaded file. */
    public record Upload(String fileName, byte[] bytes) {
    }

    private final ImportService importer;
    private final ThreadPoolExecutor executor;
    private final int maxKeptJobs;
    private final Clock clock = Clock.systemUTC();
    private final Map<UUID, ImportJob> jobs = new LinkedHashMap<>();

    public ImportJobs(ImportService importer, @Value("${etat.import.max-queued-jobs:4}") int maxQueuedJobs,
            @Value("${etat.import.max-kept-jobs:100}") int maxKeptJobs) {
        this.importer = importer;
        this.maxKeptJobs = Math.max(1, maxKeptJobs);
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(Math.max(1, maxQueuedJobs)), r -> {
            Thread t = new Thread(r, "etat-import");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Queues an import of {@code soll} and optionally {@code ist} for {@code year}.
     *
     * @throws RejectedExecutionException the queue is full; retry later
     */
    public ImportJob submit(String principal, int year, Upload soll, Upload ist) {
        ImportJob job = new ImportJob(UUID.randomUUID(), principal, year, clock.instant());
        job.file("soll", soll);
        if (ist != null) {
            job.file("ist", ist);
        }
        synchronized (jobs) {
            executor.execute(() -> run(job, year, soll, ist));
            jobs.put(job.id(), job);
            if (jobs.size() > maxKeptJobs) {
                jobs.values().stream().filter(ImportJob::finished).findFirst().ifPresent(oldest -> jobs.remove(oldest.id()));
            }
        }
        return job;
    }

    public Optional<ImportJob> find(UUID id) {
        synchronized (jobs) {
            return Optional.ofNullable(jobs.get(id));
        }
    }

    private void run(ImportJob job, int year, Upload soll, Upload ist) {
        job.start(clock.instant());
        ImportPlan plan;
        try {
            SourceFile sollFile = SourceFile.of(soll.fileName(), soll.bytes());
            SourceFile istFile = ist == null ? null : SourceFile.of(ist.fileName(), ist.bytes());
            plan = ImportFiles.plan(year, sollFile, istFile, ImportPlanner.BATCH_ENTRIES);
        } catch (MalformedRowException e) {
            // Nothing was sent: the files are read completely before the first command.
            job.fail(clock.instant(), new ImportJob.Failure(e.fileName(), e.row(), e.column(), e.reason(), null));
            return;
        } catch (IllegalArgumentException e) {
            job.fail(clock.instant(), new ImportJob.Failure(null, null, null, e.getMessage(), null));
            return;
        }
        try {
            ImportService.ImportResult result = importer.execute(plan, job.progress(plan.entries()));
            job.succeed(clock.instant(), ImportJob.Summary.of(plan.report(), result));
        } catch (ImportService.ImportRefusedException e) {
            Map<String, String> source = e.source();
            String row = source.get(LedgerMetadata.SOURCE_ROW);
            job.fail(clock.instant(), new ImportJob.Failure(source.get(LedgerMetadata.SOURCE_FILE), row == null ? null : Integer.valueOf(row), null,
                    e.getMessage() + "; the batches before it stay recorded, and uploading the same files again resumes here",
                    e.rejection().rule().name()));
        } catch (RuntimeException e) {
            LOG.error("import job {} failed", job.id(), e);
            job.fail(clock.instant(), new ImportJob.Failure(null, null, null,
                    "the import stopped unexpectedly (" + e.getClass().getSimpleName() + "); what was recorded stays, "
                            + "and uploading the same files again resumes without duplicates", null));
        }
    }

    /** Jobs of this node, newest last (for tests and diagnostics). */
    public List<ImportJob> all() {
        synchronized (jobs) {
            return new ArrayList<>(jobs.values());
        }
    }

    @Override
    public void destroy() {
        executor.shutdownNow();
    }
}
