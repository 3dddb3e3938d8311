package org.etat.app.importer;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Reads a year's source files and plans their import; the Ist format is chosen by file extension.
 *
 * <p>The Ist is read on a thread of its own while the calling thread reads the Soll: the spreadsheet
 * costs about as much CPU as the CSV, and the machine has 2 cores. Both files are read completely
 * before anything is planned or sent. If both are malformed, the Ist's error is reported (as when
 * they were read one after the other, Ist first).
 */
public final class ImportFiles {

    private ImportFiles() {
    }

    /** {@code ist} may be null (a year without annual account yet, such as 2024). */
    public static ImportPlan plan(int year, Path soll, Path ist) {
        return plan(year, soll, ist, ImportPlanner.BATCH_ENTRIES);
    }

    public static ImportPlan plan(int year, Path soll, Path ist, int batchEntries) {
        return plan(year, () -> SourceFile.read(soll), ist == null ? null : () -> SourceFile.read(ist), batchEntries);
    }

    /** Files already in memory (an upload); {@code ist} may be null. */
    public static ImportPlan plan(int year, SourceFile soll, SourceFile ist, int batchEntries) {
        return plan(year, () -> soll, ist == null ? null : () -> ist, batchEntries);
    }

    public static IstSheet readIst(SourceFile file) {
        return file.fileName().toLowerCase(Locale.ROOT).endsWith(".xlsx") ? new IstXlsxParser().parse(file) : new IstCsvParser().parse(file);
    }

    private static ImportPlan plan(int year, Supplier<SourceFile> soll, Supplier<SourceFile> ist, int batchEntries) {
        ImportPlanner planner = new ImportPlanner(batchEntries);
        CompletableFuture<IstSheet> sheet = ist == null ? CompletableFuture.completedFuture(null) : startReading(ist);
        List<SollRow> sollRows;
        try {
            sollRows = new SollCsvParser().parse(soll.get());
        } catch (RuntimeException sollError) {
            join(sheet); // the Ist's error, if it has one, comes first
            throw sollError;
        }
        return planner.plan(year, sollRows, join(sheet));
    }

    private static CompletableFuture<IstSheet> startReading(Supplier<SourceFile> ist) {
        CompletableFuture<IstSheet> result = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try {
                result.complete(readIst(ist.get()));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }, "etat-import-ist-reader");
        reader.setDaemon(true);
        reader.start();
        return result;
    }

    /** The Ist reader's result, or its own exception (a MalformedRowException stays one). */
    private static IstSheet join(CompletableFuture<IstSheet> sheet) {
        try {
            return sheet.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }
}
