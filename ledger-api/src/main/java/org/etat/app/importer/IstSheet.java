package org.etat.app.importer;

import java.util.List;

/** The titles of one annual account, in file order; {@code year} is read from the header {@code Ist <Y>}. */
public record IstSheet(int year, List<IstRow> rows) {
    public IstSheet {
        rows = List.copyOf(rows);
    }
}
