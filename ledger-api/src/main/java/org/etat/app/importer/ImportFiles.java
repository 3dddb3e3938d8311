package org.etat.app.importer;

import java.nio.file.Path;
import java.util.Locale;

/** Reads a year's source files and plans their import; the Ist format is chosen by file extension. */
public final class ImportFiles {

    private ImportFiles() {
    }

    /** {@code ist} may be null (a year without annual account yet, such as 2024). */
    public static ImportPlan plan(int year, Path soll, Path ist) {
        IstSheet sheet = ist == null ? null : readIst(SourceFile.read(ist));
        return new ImportPlanner().plan(year, new SollCsvParser().parse(SourceFile.read(soll)), sheet);
    }

    public static IstSheet readIst(SourceFile file) {
        return file.fileName().toLowerCase(Locale.ROOT).endsWith(".xlsx") ? new IstXlsxParser().parse(file) : new IstCsvParser().parse(file);
    }
}
