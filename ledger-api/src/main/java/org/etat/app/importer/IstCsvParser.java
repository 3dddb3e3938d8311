package org.etat.app.importer;

import java.util.List;

/** Reads the CSV conversion of the Ist sheet ({@code bund_ist_<Y>.csv}: UTF-8, {@code ;}, {@code .} decimal). */
public final class IstCsvParser {

    public IstSheet parse(SourceFile file) {
        IstRowReader reader = new IstRowReader(file);
        for (SemicolonCsv.Record record : SemicolonCsv.parse(file)) {
            reader.accept(record.line(), record.fields().stream().map(IstRowReader.Cell::text).toList());
        }
        return reader.finish();
    }
}
