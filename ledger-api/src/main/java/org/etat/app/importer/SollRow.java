package org.etat.app.importer;

import org.etat.ledger.budgetline.LineKind;

/**
 * One title of the budget as enacted (Soll), amount in cents (the file gives thousand EUR).
 *
 * @param titelgruppe 2 digits or null
 * @param funktion 3 digits or null
 * @param flexible the file's {@code flex} column: the title is flexibilised (§ 5 Haushaltsgesetz)
 * @param anlage the chapter is an annex (Kapitel x090-x099, "Anlage"): the business plan of a special
 *     fund or an EU pass-through shown beside the budget, outside the core budget and its totals
 */
public record SollRow(
        String einzelplan,
        String kapitel,
        String titel,
        String titelgruppe,
        String funktion,
        LineKind kind,
        String purpose,
        boolean flexible,
        long sollCents,
        boolean anlage,
        Provenance source) {

    /** Kapitel x090-x099 hold annexes (Anlagen), e.g. 0690, 1490, 6090-6098 in 2024. */
    public static boolean isAnlageKapitel(String kapitel) {
        return Integer.parseInt(kapitel.substring(kapitel.length() - 2)) >= 90;
    }
}
