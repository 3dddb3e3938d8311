package org.etat.app.importer;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Reads a year's source files and plans their import; the Ist format is chosen by file extension. */
public final class ImportFiles {

    private ImportFiles() {
    }

    /** {@code ist} may be null (a year without annual account yet, such as 2024). */
    public static ImportPlan plan(int year, Path soll, Path ist) {
        return plan(year, soll, ist, ImportPlanner.BATCH_ENTRIES);
    }

    /**
     * Reads both files at once: the Ist on a thread of its own while this one reads the Soll (the
     * spreadsheet costs about as much CPU as the CSV, and the machine has 2 cores). Both are read
     * completely before anything is planned or sent; if both are malformed, the Soll's error is reported.
     */
    public static ImportPlan plan(int year, Path soll, Path ist, int batchEntries) {
        CompletableFuture<IstSheet> sheet = ist == null ? CompletableFuture.completedFuture(null) : startReadingIst(ist);
        List<SollRow> sollRows;
        try {
            sollRows = new SollCsvParser().parse(SourceFile.read(soll));
        } catch (RuntimeException e) {
            sheet.cancel(false);
            throw e;
        }
        return new ImportPlanner(batchEntries).plan(year, sollRows, join(sheet));
    }

    public static IstSheet readIst(SourceFile file) {
        return file.fileName().toLowerCase(Locale.ROOT).endsWith(".xlsx") ? new IstXlsxParser().parse(file) : new IstCsvParser().parse(file);
    }

    private static CompletableFuture<IstSheet> startReadingIst(Path ist) {
        CompletableFuture<IstSheet> result = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try {
                result.complete(readIst(SourceFile.read(ist)));
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
