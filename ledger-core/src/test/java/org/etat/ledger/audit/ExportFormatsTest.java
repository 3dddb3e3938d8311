package org.etat.ledger.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.etat.ledger.budgetline.LineBalance;
import org.junit.jupiter.api.Test;

class ExportFormatsTest {

    @Test
    void jsonlCarriesEnoughToRecomputeEveryHashFromTheFileAlone() {
        long seed = Seeds.seed("ExportFormatsTest");
        RandomHistory history = RandomHistory.generate(new Random(seed), 120);
        StringBuilder out = new StringBuilder();

        ChainLink head = JsonlExport.write(history.rows.iterator(), out);

        String[] lines = out.toString().split("\n");
        assertThat(lines).hasSize(history.rows.size());
        List<RawEventRow> rows = new ArrayList<>();
        List<ChainLink> links = new ArrayList<>();
        for (String line : lines) {
            rows.add(JsonlExport.parseRow(line));
            links.add(JsonlExport.parseLink(line));
        }
        assertThat(rows).as("seed %d", seed).isEqualTo(history.rows);
        assertThat(links).isEqualTo(AuditChain.build(history.rows));
        assertThat(ChainVerifier.verify(rows, links)).isEqualTo(
                new VerificationResult.Intact(rows.size(), history.lastSequence(), head.chainHash(), 0));
    }

    @Test
    void jsonlKeepsAbsentFieldsAbsent() {
        RawEventRow row = new RawEventRow(7, "e7", null, null, 0, "T", null, new byte[] {'{', '}'}, null, "2024-01-01T00:00:00Z");
        String line = JsonlExport.line(row, new AuditChain().append(row));

        assertThat(line).contains("\"aggregateId\":null").contains("\"metadata\":null").contains("\"payload\":\"e30=\"");
        assertThat(JsonlExport.parseRow(line)).isEqualTo(row);
    }

    private static Map<String, LineBalance> balances() {
        Map<String, LineBalance> rows = new LinkedHashMap<>();
        rows.put("2024-08030-54669", new LineBalance(70_000_000L, -1_000_000L, 5_00L, 0, 0, 150_000_00L, 0, 0,
                39_764L, 0, 0));
        rows.put("name; with \"quotes\", commas", LineBalance.ZERO.plus(org.etat.ledger.budgetline.Component.SPENT, 5L));
        return rows;
    }

    @Test
    void germanCsvUsesSemicolonsDecimalCommaGermanHeadersBomAndCrlf() {
        String csv = LineBalanceCsv.german(balances());

        assertThat(csv).isEqualTo(LineBalanceCsv.BOM
                + "Haushaltsstelle;Ansatz;Nachtrag;Einwilligung § 37;Verstärkung erhalten;Verstärkung abgegeben;"
                + "Rest übernommen;Rest übertragen;Gesperrt;Ist-Ausgaben;Ist-Einnahmen;Verfallen;Verfügbar\r\n"
                + "2024-08030-54669;700000,00;-10000,00;0,00;0,00;150000,00;0,00;0,00;5,00;397,64;0,00;0,00;539597,36\r\n"
                + "\"name; with \"\"quotes\"\", commas\";0,00;0,00;0,00;0,00;0,00;0,00;0,00;0,00;0,05;0,00;0,00;-0,05\r\n");
    }

    @Test
    void rfc4180CsvUsesCommasDecimalPointAndQuotesOnlyWhenNeeded() {
        String csv = LineBalanceCsv.rfc4180(balances());

        assertThat(csv).isEqualTo(
                "line,appropriated,amended,consented,reallocated_in,reallocated_out,carried_in,carried_out,blocked,spent,"
                        + "revenue,lapsed,available\r\n"
                        + "2024-08030-54669,700000.00,-10000.00,0.00,0.00,150000.00,0.00,0.00,5.00,397.64,0.00,0.00,539597.36\r\n"
                        + "\"name; with \"\"quotes\"\", commas\",0.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00,0.05,0.00,0.00,-0.05\r\n");
    }
}
