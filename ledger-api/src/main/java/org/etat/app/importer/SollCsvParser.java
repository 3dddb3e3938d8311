package org.etat.app.importer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.etat.ledger.budgetline.LineKind;

/**
 * Reads {@code bund_soll_<Y>.csv}, the bundeshaushalt.de download: one row per title, {@code soll}
 * in thousand EUR. Reads every variant seen since 2019: with or without byte-order mark, quoted or
 * not, LF or CRLF, header spelled {@code einnahmen-ausgaben} or {@code einahmen-ausgaben}, {@code soll}
 * or {@code "soll "}, trailing empty fields omitted or added.
 */
public final class SollCsvParser {

    static final String EINZELPLAN = "einzelplan";
    static final String EA = "einnahmen-ausgaben";
    static final String KAPITEL = "kapitel";
    static final String TITEL = "titel";
    static final String FUNKTION = "funktion";
    static final String TITEL_TEXT = "titel-text";
    static final String FLEX = "flex";
    static final String SOLL = "soll";
    static final String TITELGRUPPE = "titelgruppe";

    private static final List<String> REQUIRED = List.of(EINZELPLAN, EA, KAPITEL, TITEL, FUNKTION, TITEL_TEXT, FLEX, SOLL);
    private static final Set<String> KNOWN = Set.of(EINZELPLAN, "einzelplan-text", EA, "einnahmen-ausgaben-art",
            "einnahmen-ausgaben-text", KAPITEL, "kapitel-text", TITEL, FUNKTION, TITEL_TEXT, FLEX, "seite", SOLL, TITELGRUPPE, "tgr-text");

    /** More titles than any budget has (2024: 7,282); bounds memory for a wrong file. */
    public static final int MAX_ROWS = 100_000;

    public List<SollRow> parse(SourceFile file) {
        List<SemicolonCsv.Record> records = SemicolonCsv.parse(file);
        if (records.isEmpty()) {
            throw new MalformedRowException(file.fileName(), 1, null, "file is empty: the header row is missing");
        }
        if (records.size() - 1 > MAX_ROWS) {
            throw new MalformedRowException(file.fileName(), records.get(MAX_ROWS + 1).line(), null, "more than " + MAX_ROWS + " rows");
        }
        SemicolonCsv.Record header = records.get(0);
        Map<String, Integer> columns = columns(file, header);
        // Columns up to the last required one must be present; later ones (titelgruppe, tgr-text) may be cut off.
        int lastRequired = REQUIRED.stream().mapToInt(columns::get).max().orElseThrow();
        List<String> names = header.fields().stream().map(SollCsvParser::normalize).toList();

        List<SollRow> rows = new ArrayList<>(records.size());
        Set<String> seen = new HashSet<>();
        for (SemicolonCsv.Record record : records.subList(1, records.size())) {
            if (record.fields().size() == 1 && record.fields().get(0).isBlank()) {
                continue; // blank line
            }
            Row row = new Row(file, record, names);
            if (record.fields().size() <= lastRequired) {
                throw row.error(names.get(record.fields().size()), "column is missing: the row has "
                        + record.fields().size() + " fields, " + (lastRequired + 1) + " are required");
            }
            for (int i = names.size(); i < record.fields().size(); i++) {
                if (!record.fields().get(i).isBlank()) {
                    throw row.error(null, "field " + (i + 1) + " is beyond the header's " + names.size() + " columns");
                }
            }
            SollRow parsed = row.toSollRow(columns);
            if (!seen.add(parsed.kapitel() + "-" + parsed.titel())) {
                throw row.error(TITEL, "Kapitel " + parsed.kapitel() + " Titel " + parsed.titel() + " appears twice");
            }
            rows.add(parsed);
        }
        return List.copyOf(rows);
    }

    private static Map<String, Integer> columns(SourceFile file, SemicolonCsv.Record header) {
        Map<String, Integer> columns = new HashMap<>();
        for (int i = 0; i < header.fields().size(); i++) {
            String name = normalize(header.fields().get(i));
            if (!KNOWN.contains(name)) {
                throw new MalformedRowException(file.fileName(), header.line(), header.fields().get(i),
                        "unknown column; expected the bundeshaushalt.de header " + KNOWN);
            }
            if (columns.put(name, i) != null) {
                throw new MalformedRowException(file.fileName(), header.line(), name, "column appears twice");
            }
        }
        for (String required : REQUIRED) {
            if (!columns.containsKey(required)) {
                throw new MalformedRowException(file.fileName(), header.line(), required, "required column is missing from the header");
            }
        }
        return columns;
    }

    /** {@code "soll "} -> {@code soll}; the 2023+ misspelling {@code einahmen} -> {@code einnahmen}. */
    static String normalize(String headerName) {
        String name = headerName.strip().toLowerCase(Locale.ROOT);
        return name.startsWith("einahmen-") ? "einnahmen-" + name.substring("einahmen-".length()) : name;
    }

    private record Row(SourceFile file, SemicolonCsv.Record record, List<String> names) {

        MalformedRowException error(String column, String reason) {
            return new MalformedRowException(file.fileName(), record.line(), column, reason);
        }

        String text(Map<String, Integer> columns, String column) {
            Integer index = columns.get(column);
            String value = index == null ? null : record.field(index);
            return value == null ? "" : value.strip();
        }

        String digits(Map<String, Integer> columns, String column, int length) {
            String value = text(columns, column);
            if (!value.matches("[0-9]{" + length + "}")) {
                throw error(column, "must be " + length + " digits, got \"" + value + "\"");
            }
            return value;
        }

        SollRow toSollRow(Map<String, Integer> columns) {
            String einzelplan = digits(columns, EINZELPLAN, 2);
            String kapitel = digits(columns, KAPITEL, 4);
            if (!kapitel.startsWith(einzelplan)) {
                throw error(KAPITEL, "Kapitel " + kapitel + " does not belong to Einzelplan " + einzelplan);
            }
            String titel = digits(columns, TITEL, 5);
            String funktion = text(columns, FUNKTION).isEmpty() ? null : digits(columns, FUNKTION, 3);
            String titelgruppe = text(columns, TITELGRUPPE).isEmpty() ? null : digits(columns, TITELGRUPPE, 2);
            LineKind kind = switch (text(columns, EA)) {
                case "E" -> LineKind.REVENUE;
                case "A" -> LineKind.EXPENDITURE;
                default -> throw error(EA, "must be E (revenue) or A (expenditure), got \"" + text(columns, EA) + "\"");
            };
            if (kind != LineKind.ofTitel(titel)) {
                throw error(EA, "marks " + kind + " but Titel " + titel + " is " + LineKind.ofTitel(titel) + " by its first digit");
            }
            String purpose = text(columns, TITEL_TEXT);
            if (purpose.isEmpty()) {
                throw error(TITEL_TEXT, "the title has no text (Zweckbestimmung)");
            }
            boolean flexible = switch (text(columns, FLEX)) {
                case "ja" -> true;
                case "nein", "" -> false;
                default -> throw error(FLEX, "must be ja, nein or empty, got \"" + text(columns, FLEX) + "\"");
            };
            long sollCents;
            try {
                sollCents = Amounts.thousandsToCents(text(columns, SOLL));
            } catch (IllegalArgumentException e) {
                throw error(SOLL, e.getMessage());
            }
            return new SollRow(einzelplan, kapitel, titel, titelgruppe, funktion, kind, purpose, flexible, sollCents,
                    SollRow.isAnlageKapitel(kapitel), file.at(record.line()));
        }
    }
}
