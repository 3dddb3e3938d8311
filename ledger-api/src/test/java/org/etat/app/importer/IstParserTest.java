package org.etat.app.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.List;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.etat.ledger.budgetline.LineKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IstParserTest {

    private final IstCsvParser csv = new IstCsvParser();
    private final IstXlsxParser xlsx = new IstXlsxParser();

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "2019, 35712142160586",
        "2020, 44343197405150",
        "2021, 55709304619706",
        "2022, 48130431103589"})
    void spreadsheet_totals_equal_the_published_reference_to_the_cent(int year, long referenceExpenditureCents) {
        IstSheet sheet = xlsx.parse(BundFiles.istXlsx(year));

        assertThat(sheet.year()).isEqualTo(year);
        assertThat(total(sheet, LineKind.EXPENDITURE)).isEqualTo(referenceExpenditureCents);
        assertThat(total(sheet, LineKind.REVENUE)).as("the budget balances").isEqualTo(referenceExpenditureCents);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "2019, 35712142160586",
        "2020, 44343197405150",
        "2021, 55709304619706",
        "2022, 48130431103589"})
    void csv_conversion_totals_equal_the_published_reference_to_the_cent(int year, long referenceExpenditureCents) {
        IstSheet sheet = csv.parse(BundFiles.istCsv(year));

        assertThat(total(sheet, LineKind.EXPENDITURE)).isEqualTo(referenceExpenditureCents);
        assertThat(total(sheet, LineKind.REVENUE)).isEqualTo(referenceExpenditureCents);
    }

    @ParameterizedTest
    @ValueSource(ints = {2019, 2020, 2021, 2022})
    void spreadsheet_and_its_csv_conversion_give_identical_rows(int year) {
        IstSheet fromXlsx = xlsx.parse(BundFiles.istXlsx(year));
        IstSheet fromCsv = csv.parse(BundFiles.istCsv(year));

        assertThat(fromXlsx.rows()).hasSizeGreaterThan(6000);
        assertThat(fromXlsx.year()).isEqualTo(fromCsv.year());
        assertThat(strip(fromXlsx)).containsExactlyElementsOf(strip(fromCsv));
    }

    @Test
    void rows_carry_rebuilt_chapter_padded_title_kind_and_provenance() {
        IstSheet sheet = xlsx.parse(BundFiles.istXlsx(2022));
        SourceFile file = BundFiles.istXlsx(2022);

        IstRow first = sheet.rows().get(0);
        assertThat(first).isEqualTo(new IstRow("0101", "23201", LineKind.REVENUE,
                "Beteiligung der Länder an der Deutschen Künstlerhilfe und sonstige ihr zugedachte Einnahmen", 112_670_000L,
                new Provenance("bund_ist_2022.xlsx", file.sha256(), 4)));
        IstRow lohnsteuer = sheet.rows().stream().filter(r -> r.purpose().equals("Lohnsteuer")).findFirst().orElseThrow();
        assertThat(lohnsteuer.kapitel()).isEqualTo("6001");
        assertThat(lohnsteuer.titel()).isEqualTo("01101");
        assertThat(lohnsteuer.kind()).isEqualTo(LineKind.REVENUE);
        IstRow last = sheet.rows().get(sheet.rows().size() - 1);
        assertThat(last.kapitel()).isEqualTo("6067");
        assertThat(last.titel()).isEqualTo("63645");
        assertThat(last.istCents()).isEqualTo(44_928_038_622L);
        assertThat(last.source().row()).isEqualTo(6919);
    }

    @Test
    void heading_rows_and_notes_without_title_are_skipped_and_chapters_rebuilt() {
        String text = """
                Epl.;Kap.;Tit.;Zweckbestimmung;Ist 2021;Seite
                1;;;Bundespräsident und Bundespräsidialamt;;
                1;11;;;;
                1;11;23201;Einnahmen;1096875;8
                6;2;;Achtung: Kein Wert;0
                10;4;9902;Zusatzabgabe;-12.5;9
                10;4;42101;Bezüge;2562377.2799999998;9
                """;

        IstSheet sheet = csv.parse(BundFiles.text("ist.csv", text));

        assertThat(sheet.year()).isEqualTo(2021);
        assertThat(sheet.rows()).extracting(IstRow::kapitel, IstRow::titel, IstRow::kind, IstRow::istCents, r -> r.source().row())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("0111", "23201", LineKind.REVENUE, 109_687_500L, 4),
                        org.assertj.core.groups.Tuple.tuple("1004", "09902", LineKind.REVENUE, -1_250L, 6),
                        org.assertj.core.groups.Tuple.tuple("1004", "42101", LineKind.EXPENDITURE, 256_237_728L, 7));
    }

    private static final String HEADER = "Epl.;Kap.;Tit.;Zweckbestimmung;Ist 2020;Seite\n1;;;Bundespräsident;;\n1;1;;;;\n";

    @Test
    void a_bad_amount_stops_parsing_at_its_row_and_column() {
        SourceFile file = BundFiles.text("ist.csv", HEADER + "1;1;23201;Einnahmen;1.096,87;8\n");

        assertThatThrownBy(() -> csv.parse(file))
                .isInstanceOfSatisfying(MalformedRowException.class, e -> {
                    assertThat(e.row()).isEqualTo(4);
                    assertThat(e.column()).isEqualTo("Ist 2020");
                })
                .hasMessageStartingWith("ist.csv row 4, column Ist 2020: amount must be a decimal number");
    }

    @Test
    void an_amount_with_three_decimals_stops_parsing() {
        SourceFile file = BundFiles.text("ist.csv", HEADER + "1;1;23201;Einnahmen;10;8\n1;1;42101;Bezüge;249077.045;8\n");

        assertThatThrownBy(() -> csv.parse(file))
                .hasMessage("ist.csv row 5, column Ist 2020: amount has more than two decimals: \"249077.045\"");
    }

    @Test
    void a_missing_amount_column_stops_parsing() {
        SourceFile file = BundFiles.text("ist.csv", HEADER + "1;1;23201;Einnahmen;10;8\n1;1;42101;Bezüge\n");

        assertThatThrownBy(() -> csv.parse(file))
                .isInstanceOfSatisfying(MalformedRowException.class, e -> assertThat(e.row()).isEqualTo(5))
                .hasMessageStartingWith("ist.csv row 5, column Ist 2020: column is missing");
    }

    @Test
    void an_amount_on_a_heading_row_stops_parsing() {
        SourceFile file = BundFiles.text("ist.csv", HEADER + "1;1;;Summe Kapitel;1000;8\n");

        assertThatThrownBy(() -> csv.parse(file)).hasMessage("ist.csv row 4, column Ist 2020: row has an amount but no Titel");
    }

    @Test
    void a_title_listed_twice_stops_parsing() {
        SourceFile file = BundFiles.text("ist.csv", HEADER + "1;1;23201;Einnahmen;10;8\n1;1;23201;Einnahmen;10;8\n");

        assertThatThrownBy(() -> csv.parse(file)).hasMessage("ist.csv row 5, column Tit.: Kapitel 0101 Titel 23201 appears twice");
    }

    @Test
    void a_spreadsheet_cell_that_is_not_a_cent_amount_stops_parsing() throws Exception {
        SourceFile file = SourceFile.of("ist.xlsx", workbook(12.345));

        assertThatThrownBy(() -> xlsx.parse(file))
                .isInstanceOfSatisfying(MalformedRowException.class, e -> {
                    assertThat(e.row()).isEqualTo(2);
                    assertThat(e.column()).isEqualTo("Ist 2020");
                })
                .hasMessageContaining("not a whole number of cents");
    }

    @Test
    void a_spreadsheet_with_numeric_codes_and_a_cent_amount_is_read() throws Exception {
        IstSheet sheet = xlsx.parse(SourceFile.of("ist.xlsx", workbook(2562377.28)));

        assertThat(sheet.rows()).singleElement().satisfies(r -> {
            assertThat(r.kapitel()).isEqualTo("0111");
            assertThat(r.titel()).isEqualTo("01101");
            assertThat(r.istCents()).isEqualTo(256_237_728L);
        });
    }

    private static byte[] workbook(double amount) throws Exception {
        try (XSSFWorkbook wb = new XSSFWorkbook(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            Sheet sheet = wb.createSheet("Haushaltsrechnung 2020");
            String[] header = {"Epl.", "Kap.", "Tit.", "Zweckbestimmung", "Ist 2020", "Seite"};
            Row h = sheet.createRow(0);
            for (int i = 0; i < header.length; i++) {
                h.createCell(i).setCellValue(header[i]);
            }
            Row r = sheet.createRow(1);
            r.createCell(0).setCellValue(1);
            r.createCell(1).setCellValue(11);
            r.createCell(2).setCellValue(1101);
            r.createCell(3).setCellValue("Lohnsteuer");
            r.createCell(4).setCellValue(amount);
            r.createCell(5).setCellValue(8);
            wb.write(out);
            return out.toByteArray();
        }
    }

    /** Rows without the file's name and hash (which differ between xlsx and CSV); the row number stays. */
    private static List<String> strip(IstSheet sheet) {
        return sheet.rows().stream()
                .map(r -> r.kapitel() + "|" + r.titel() + "|" + r.kind() + "|" + r.purpose() + "|" + r.istCents() + "|" + r.source().row())
                .toList();
    }

    private static long total(IstSheet sheet, LineKind kind) {
        return sheet.rows().stream().filter(r -> r.kind() == kind).mapToLong(IstRow::istCents).reduce(0L, Math::addExact);
    }
}
