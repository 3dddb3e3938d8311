package org.etat.ledger.audit;

import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.etat.ledger.budgetline.LineBalance;
import org.etat.ledger.money.Money;

/**
 * Line balances as CSV, in two dialects. Both end records with CRLF and quote a field (doubling
 * inner quotes) only when it holds the separator, a quote, CR or LF. Amounts have two decimals and
 * no thousands separator, so a spreadsheet reads them as numbers.
 * <ul>
 *   <li>{@link #german}: {@code ;} separator, decimal comma, German headers, UTF-8 with a byte order
 *       mark (without it Excel reads UTF-8 as Windows-1252 and breaks the umlauts);</li>
 *   <li>{@link #rfc4180}: {@code ,} separator, decimal point, English headers, no BOM.</li>
 * </ul>
 */
public final class LineBalanceCsv {
    public static final String BOM = "\uFEFF";

    private record Column(String english, String german, ToLongFunction<LineBalance> cents) {
    }

    private static final List<Column> COLUMNS = List.of(
            new Column("appropriated", "Ansatz", LineBalance::appropriatedCents),
            new Column("amended", "Nachtrag", LineBalance::amendedCents),
            new Column("consented", "Einwilligung § 37", LineBalance::consentedCents),
            new Column("reallocated_in", "Verstärkung erhalten", LineBalance::reallocatedInCents),
            new Column("reallocated_out", "Verstärkung abgegeben", LineBalance::reallocatedOutCents),
            new Column("carried_in", "Rest übernommen", LineBalance::carriedInCents),
            new Column("carried_out", "Rest übertragen", LineBalance::carriedOutCents),
            new Column("blocked", "Gesperrt", LineBalance::blockedCents),
            new Column("spent", "Ist-Ausgaben", LineBalance::spentCents),
            new Column("revenue", "Ist-Einnahmen", LineBalance::revenueCents),
            new Column("lapsed", "Verfallen", LineBalance::lapsedCents),
            new Column("available", "Verfügbar", LineBalance::availableCents));

    private LineBalanceCsv() {
    }

    /** Rows in the map's iteration order (pass a sorted map for a stable file). */
    public static String german(Map<String, LineBalance> balancesByLine) {
        return BOM + render(balancesByLine, ';', ',', true);
    }

    public static String rfc4180(Map<String, LineBalance> balancesByLine) {
        return render(balancesByLine, ',', '.', false);
    }

    private static String render(Map<String, LineBalance> rows, char separator, char decimalMark, boolean german) {
        StringBuilder out = new StringBuilder();
        out.append(field(german ? "Haushaltsstelle" : "line", separator));
        for (Column c : COLUMNS) {
            out.append(separator).append(field(german ? c.german() : c.english(), separator));
        }
        out.append("\r\n");
        for (Map.Entry<String, LineBalance> row : rows.entrySet()) {
            out.append(field(row.getKey(), separator));
            for (Column c : COLUMNS) {
                out.append(separator).append(amount(c.cents().applyAsLong(row.getValue()), decimalMark));
            }
            out.append("\r\n");
        }
        return out.toString();
    }

    static String amount(long cents, char decimalMark) {
        String text = Money.format(cents);
        return decimalMark == '.' ? text : text.replace('.', decimalMark);
    }

    static String field(String value, char separator) {
        if (value.indexOf(separator) < 0 && value.indexOf('"') < 0 && value.indexOf('\r') < 0 && value.indexOf('\n') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }
}
