package org.etat.app.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.etat.ledger.budgetline.LineKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SollCsvParserTest {

    private final SollCsvParser parser = new SollCsvParser();

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "2019, 35640000000000",
        "2020, 36200000000000",
        "2021, 49862000000000",
        "2022, 49579147500000",
        "2024, 47680765600000"})
    void core_budget_totals_equal_the_published_reference_to_the_cent(int year, long referenceExpenditureCents) {
        List<SollRow> rows = parser.parse(BundFiles.soll(year));

        assertThat(total(rows, LineKind.EXPENDITURE, false)).isEqualTo(referenceExpenditureCents);
        assertThat(total(rows, LineKind.REVENUE, false)).as("the budget balances").isEqualTo(referenceExpenditureCents);
    }

    @Test
    void soll_2024_annex_chapters_hold_the_published_expenditure() {
        List<SollRow> rows = parser.parse(BundFiles.soll(2024));

        assertThat(total(rows, LineKind.EXPENDITURE, true)).isEqualTo(BundFiles.SOLL_ANLAGE_EXPENDITURE_2024);
        Set<String> annexChapters = rows.stream().filter(SollRow::anlage).map(SollRow::kapitel).collect(Collectors.toCollection(TreeSet::new));
        assertThat(annexChapters).containsExactly("0690", "0691", "1090", "1091", "1092", "1490", "1491", "1790", "1791",
                "6090", "6091", "6092", "6094", "6095", "6096", "6097", "6098");
    }

    @ParameterizedTest
    @ValueSource(ints = {2019, 2020, 2021, 2022})
    void years_before_2023_have_no_annex_chapters(int year) {
        assertThat(parser.parse(BundFiles.soll(year))).noneMatch(SollRow::anlage);
    }

    @Test
    void every_row_names_its_file_the_files_sha256_and_its_row() throws Exception {
        SourceFile file = BundFiles.soll(2024);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(file.bytes()));

        List<SollRow> rows = parser.parse(file);

        assertThat(rows).hasSize(7282);
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.source().fileName()).isEqualTo("bund_soll_2024.csv");
            assertThat(r.source().sha256()).isEqualTo(sha);
        });
        assertThat(rows.get(0).source().row()).isEqualTo(2);
        // Line 6785 holds a quoted text with a semicolon in it.
        SollRow dati = rows.stream().filter(r -> r.kapitel().equals("3004") && r.titel().equals("68310")).findFirst().orElseThrow();
        assertThat(dati.source().row()).isEqualTo(6785);
        assertThat(dati.purpose()).startsWith("DATI; regionale Innovationsökosysteme");
        assertThat(dati.sollCents()).isEqualTo(39_443_200_000L);
        assertThat(dati.titelgruppe()).isEqualTo("10");
        assertThat(dati.funktion()).isEqualTo("165");
    }

    @Test
    void reads_the_fields_of_a_row() {
        List<SollRow> rows = parser.parse(BundFiles.soll(2019));

        SollRow first = rows.get(0);
        assertThat(first).isEqualTo(new SollRow("01", "0101", "23201", null, "187", LineKind.REVENUE,
                "Beteiligung der Länder an der Deutschen Künstlerhilfe und sonstige ihr zugedachte Einnahmen", false, 0, false,
                first.source()));
        SollRow minderausgabe = rows.stream().filter(r -> r.kapitel().equals("0451") && r.titel().equals("97203")).findFirst().orElseThrow();
        assertThat(minderausgabe.sollCents()).isEqualTo(-500_000_000L);
        assertThat(minderausgabe.kind()).isEqualTo(LineKind.EXPENDITURE);
        assertThat(rows).anyMatch(r -> r.flexible() && r.kind() == LineKind.EXPENDITURE);
        assertThat(rows).noneMatch(r -> r.flexible() && r.kind() == LineKind.REVENUE);
    }

    @Test
    void every_format_variant_gives_the_same_row() {
        // 2019-2022: no byte-order mark, CRLF, unquoted (a quote only where the text holds a semicolon).
        String plain = "einzelplan;einzelplan-text;einnahmen-ausgaben;einnahmen-ausgaben-art;kapitel;kapitel-text;titel;funktion;titel-text;flex;seite;soll;titelgruppe;tgr-text\r\n"
                + "04;BK;A;Sächliche Verwaltungsausgaben;0411;Zentral;52601;011;\"Gutachten; Beratung\";ja;12;1234;57;Gruppe\r\n";
        // 2024: byte-order mark, LF, quoted, "einahmen" and "soll ", a trailing empty field.
        String quoted = "\uFEFFeinzelplan;einzelplan-text;einahmen-ausgaben;einahmen-ausgaben-text;kapitel;kapitel-text;titel;funktion;titel-text;flex;seite;soll ;titelgruppe;tgr-text\n"
                + "\"04\";\"BK\";\"A\";\"\";\"0411\";\"Zentral\";\"52601\";\"011\";\"Gutachten; Beratung\";\"ja\";\"12\";1234;\"57\";\"Gruppe\";\n";
        SollRow a = parser.parse(BundFiles.text("a.csv", plain)).get(0);
        SollRow b = parser.parse(BundFiles.text("b.csv", quoted)).get(0);

        assertThat(b).usingRecursiveComparison().ignoringFields("source").isEqualTo(a);
        assertThat(a.purpose()).isEqualTo("Gutachten; Beratung");
        assertThat(a.sollCents()).isEqualTo(123_400_000L);
        assertThat(a.flexible()).isTrue();
        assertThat(a.titelgruppe()).isEqualTo("57");
    }

    private static final String HEADER = "einzelplan;einzelplan-text;einnahmen-ausgaben;einnahmen-ausgaben-art;kapitel;kapitel-text;titel;funktion;titel-text;flex;seite;soll;titelgruppe;tgr-text\n";
    private static final String GOOD = "04;BK;A;x;0411;Zentral;52601;011;Gutachten;nein;12;1234;;\n";

    @Test
    void a_bad_amount_stops_parsing_at_its_row_and_column() {
        SourceFile file = BundFiles.text("bad.csv", HEADER + GOOD + GOOD.replace("52601", "52602").replace("1234", "12x4"));

        assertThatThrownBy(() -> parser.parse(file))
                .isInstanceOfSatisfying(MalformedRowException.class, e -> {
                    assertThat(e.fileName()).isEqualTo("bad.csv");
                    assertThat(e.row()).isEqualTo(3);
                    assertThat(e.column()).isEqualTo("soll");
                })
                .hasMessageStartingWith("bad.csv row 3, column soll: ")
                .hasMessageContaining("\"12x4\"");
    }

    @Test
    void an_amount_finer_than_a_cent_stops_parsing() {
        SourceFile file = BundFiles.text("fine.csv", HEADER + GOOD.replace("1234", "1.234567"));

        assertThatThrownBy(() -> parser.parse(file)).hasMessage("fine.csv row 2, column soll: amount in thousand EUR is finer than a cent: \"1.234567\"");
    }

    @Test
    void a_missing_column_stops_parsing_naming_the_first_missing_column() {
        SourceFile file = BundFiles.text("short.csv", HEADER + GOOD + GOOD.replace("52601", "52602") + "04;BK;A;x;0411;Zentral;52603;011;Gutachten;nein;12\n");

        assertThatThrownBy(() -> parser.parse(file))
                .isInstanceOfSatisfying(MalformedRowException.class, e -> {
                    assertThat(e.row()).isEqualTo(4);
                    assertThat(e.column()).isEqualTo("soll");
                })
                .hasMessageStartingWith("short.csv row 4, column soll: column is missing");
    }

    @Test
    void a_revenue_mark_on_an_expenditure_title_stops_parsing() {
        SourceFile file = BundFiles.text("kind.csv", HEADER + GOOD.replace(";A;", ";E;"));

        assertThatThrownBy(() -> parser.parse(file)).hasMessageStartingWith("kind.csv row 2, column einnahmen-ausgaben: marks REVENUE but Titel 52601 is EXPENDITURE");
    }

    @Test
    void a_chapter_of_another_einzelplan_and_a_short_title_stop_parsing() {
        assertThatThrownBy(() -> parser.parse(BundFiles.text("k.csv", HEADER + GOOD.replace(";0411;", ";0511;"))))
                .hasMessageStartingWith("k.csv row 2, column kapitel: Kapitel 0511 does not belong to Einzelplan 04");
        assertThatThrownBy(() -> parser.parse(BundFiles.text("t.csv", HEADER + GOOD.replace(";52601;", ";5260;"))))
                .hasMessageStartingWith("t.csv row 2, column titel: must be 5 digits");
    }

    @Test
    void a_title_listed_twice_stops_parsing() {
        assertThatThrownBy(() -> parser.parse(BundFiles.text("d.csv", HEADER + GOOD + GOOD)))
                .hasMessageStartingWith("d.csv row 3, column titel: Kapitel 0411 Titel 52601 appears twice");
    }

    @Test
    void an_unknown_header_is_refused() {
        assertThatThrownBy(() -> parser.parse(BundFiles.text("h.csv", HEADER.replace("soll", "ist") + GOOD)))
                .hasMessageStartingWith("h.csv row 1, column ist: unknown column");
    }

    private static long total(List<SollRow> rows, LineKind kind, boolean anlage) {
        return rows.stream().filter(r -> r.kind() == kind && r.anlage() == anlage).mapToLong(SollRow::sollCents).reduce(0L, Math::addExact);
    }
}
