package org.etat.app.importer;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.etat.ledger.budgetline.LineKind;

/**
 * Turns the rows of the Ist sheet ({@code Epl.;Kap.;Tit.;Zweckbestimmung;Ist <Y>;Seite}) into titles,
 * whether they come from the spreadsheet or its CSV conversion. Heading rows (an Einzelplan or a
 * Kapitel without a Titel) are skipped; the chapter is rebuilt from Einzelplan and the chapter's last
 * two digits ({@code 1;11} is Kapitel 0111); titles are zero-padded to 5 digits.
 */
final class IstRowReader {

    /** A cell as the source holds it: text, or a spreadsheet number (then {@code text} is null). */
    record Cell(String text, Double number) {
        static final Cell BLANK = new Cell("", null);

        static Cell text(String text) {
            return new Cell(text == null ? "" : text, null);
        }

        static Cell number(double number) {
            return new Cell(null, number);
        }

        boolean blank() {
            return number == null && text.isBlank();
        }
    }

    static final String EPL = "Epl.";
    static final String KAP = "Kap.";
    static final String TIT = "Tit.";
    static final String PURPOSE = "Zweckbestimmung";
    private static final Pattern IST_HEADER = Pattern.compile("Ist ([0-9]{4})");

    /** More rows than any annual account has (2022: 6,919); bounds memory for a wrong file. */
    static final int MAX_ROWS = 100_000;

    private final SourceFile file;
    private final List<IstRow> rows = new ArrayList<>();
    private final Set<String> seen = new HashSet<>();
    private int year;
    private String amountColumn;

    IstRowReader(SourceFile file) {
        this.file = file;
    }

    /** Feeds one row; {@code row} is 1-based, the header is the first row fed. */
    void accept(int row, List<Cell> cells) {
        if (amountColumn == null) {
            header(row, cells);
            return;
        }
        if (rows.size() >= MAX_ROWS) {
            throw error(row, null, "more than " + MAX_ROWS + " titles");
        }
        if (cells.stream().allMatch(Cell::blank)) {
            return;
        }
        String epl = code(row, cells, 0, EPL, 2);
        if (epl == null) {
            throw error(row, EPL, "Einzelplan is missing");
        }
        String kap = code(row, cells, 1, KAP, 2);
        String tit = code(row, cells, 2, TIT, 5);
        if (tit == null) {
            // A heading (Einzelplan or Kapitel) or a note like "Achtung: Kein Wert"; it must carry no amount.
            if (cells.size() > 4 && !cells.get(4).blank() && amount(row, cells.get(4)) != 0) {
                throw error(row, amountColumn, "row has an amount but no Titel");
            }
            return;
        }
        if (kap == null) {
            throw error(row, KAP, "Titel " + tit + " has no Kapitel");
        }
        String kapitel = pad(epl, 2) + pad(kap, 2);
        String titel = pad(tit, 5);
        String purpose = cells.size() > 3 && cells.get(3).text() != null ? cells.get(3).text().strip() : "";
        if (purpose.isEmpty()) {
            throw error(row, PURPOSE, "the title has no text (Zweckbestimmung)");
        }
        if (cells.size() <= 4) {
            throw error(row, amountColumn, "column is missing: the row has " + cells.size() + " fields");
        }
        if (cells.get(4).blank()) {
            throw error(row, amountColumn, "amount is missing");
        }
        long istCents = amount(row, cells.get(4));
        if (!seen.add(kapitel + "-" + titel)) {
            throw error(row, TIT, "Kapitel " + kapitel + " Titel " + titel + " appears twice");
        }
        rows.add(new IstRow(kapitel, titel, LineKind.ofTitel(titel), purpose, istCents, file.at(row)));
    }

    IstSheet finish() {
        if (amountColumn == null) {
            throw error(1, null, "file is empty: the header row is missing");
        }
        return new IstSheet(year, rows);
    }

    private void header(int row, List<Cell> cells) {
        List<String> expected = List.of(EPL, KAP, TIT, PURPOSE);
        for (int i = 0; i < expected.size(); i++) {
            String got = i < cells.size() ? String.valueOf(cells.get(i).text()).strip() : "";
            if (!got.equals(expected.get(i))) {
                throw error(row, expected.get(i), "header must start Epl.;Kap.;Tit.;Zweckbestimmung;Ist <Y>, got \"" + got + "\"");
            }
        }
        String ist = cells.size() > 4 && cells.get(4).text() != null ? cells.get(4).text().strip() : "";
        Matcher m = IST_HEADER.matcher(ist);
        if (!m.matches()) {
            throw error(row, "Ist <Y>", "fifth column must be named Ist <year>, got \"" + ist + "\"");
        }
        year = Integer.parseInt(m.group(1));
        amountColumn = ist;
    }

    /** A 1- to {@code maxDigits}-digit code, from text or an integral spreadsheet number; null if blank. */
    private String code(int row, List<Cell> cells, int index, String column, int maxDigits) {
        Cell cell = index < cells.size() ? cells.get(index) : Cell.BLANK;
        if (cell.blank()) {
            return null;
        }
        String value;
        if (cell.number() != null) {
            double d = cell.number();
            if (d != Math.rint(d) || d < 0 || d >= 1e9) {
                throw error(row, column, "must be a whole number, got " + d);
            }
            value = Long.toString((long) d);
        } else {
            value = cell.text().strip();
        }
        if (!value.matches("[0-9]{1," + maxDigits + "}")) {
            throw error(row, column, "must be 1 to " + maxDigits + " digits, got \"" + value + "\"");
        }
        return value;
    }

    private long amount(int row, Cell cell) {
        try {
            return cell.number() != null ? Amounts.doubleEurosToCents(cell.number()) : Amounts.eurosToCents(cell.text().strip());
        } catch (IllegalArgumentException e) {
            throw error(row, amountColumn, e.getMessage());
        }
    }

    private static String pad(String digits, int width) {
        return "0".repeat(width - digits.length()) + digits;
    }

    private MalformedRowException error(int row, String column, String reason) {
        return new MalformedRowException(file.fileName(), row, column, reason);
    }
}
