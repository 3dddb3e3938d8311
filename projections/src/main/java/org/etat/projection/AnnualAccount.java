package org.etat.projection;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.etat.ledger.budgetline.LineBalance;
import org.etat.ledger.budgetline.LineKind;
import org.etat.ledger.money.Money;

/**
 * The annual account (Haushaltsrechnung, § 81 LHO) of one fiscal year, per title, from the read
 * models: Soll (appropriated + amendments), remainders carried in, Ist, remainders carried out,
 * Ist + carried out, the difference against Soll + carried in, reallocations, lapse, and the § 37
 * over-plan spending with its consent references; the annex lists every § 37 case.
 *
 * <p>As known now, or as the books said at a past moment ({@code knownAt}): the latter lets an
 * auditor see which later corrections changed a figure already published.
 */
public final class AnnualAccount {

    /**
     * One title's line. Amounts in cents; {@link #json()} gives decimal strings.
     *
     * @param istCents             spent (expenditure titles) or received (revenue titles)
     * @param differenceCents      (Ist + carried out) − (Soll + carried in): positive is more than planned
     * @param overPlanSpentCents   Ist beyond Soll + carried in + reallocated in − out: what needed a § 37 consent
     * @param consentedCents       § 37 consents granted on the title
     */
    public record Row(int year, String lineId, String einzelplan, String kapitel, String titel, String titelgruppe, String funktion,
            String purpose, String kind, long sollCents, long carriedInCents, long istCents, long carriedOutCents,
            long istPlusCarriedOutCents, long differenceCents, long reallocatedInCents, long reallocatedOutCents, long lapsedCents,
            long overPlanSpentCents, long consentedCents, String consentReferences) {

        public Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("year", year);
            m.put("lineId", lineId);
            m.put("einzelplan", einzelplan);
            m.put("kapitel", kapitel);
            m.put("titel", titel);
            m.put("titelgruppe", titelgruppe);
            m.put("funktion", funktion);
            m.put("purpose", purpose);
            m.put("kind", kind);
            m.put("soll", Money.format(sollCents));
            m.put("carriedIn", Money.format(carriedInCents));
            m.put("ist", Money.format(istCents));
            m.put("carriedOut", Money.format(carriedOutCents));
            m.put("istPlusCarriedOut", Money.format(istPlusCarriedOutCents));
            m.put("difference", Money.format(differenceCents));
            m.put("reallocatedIn", Money.format(reallocatedInCents));
            m.put("reallocatedOut", Money.format(reallocatedOutCents));
            m.put("lapsed", Money.format(lapsedCents));
            m.put("overPlanSpent", Money.format(overPlanSpentCents));
            m.put("consented", Money.format(consentedCents));
            m.put("consentReferences", consentReferences);
            return m;
        }
    }

    /** One § 37 case for the annex. */
    public record Section37Case(String eventId, String lineId, long amountCents, String consentReference, String justification,
            boolean unplanned, LocalDate effectiveDate, boolean reversed) {

        public Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("eventId", eventId);
            m.put("lineId", lineId);
            m.put("amount", Money.format(amountCents));
            m.put("consentReference", consentReference);
            m.put("justification", justification);
            m.put("type", unplanned ? "außerplanmäßig" : "überplanmäßig");
            m.put("effectiveDate", effectiveDate.toString());
            m.put("reversed", reversed);
            return m;
        }
    }

    /** The account of a year; {@code knownAt} null means as known now. */
    public record Account(int year, Instant knownAt, List<Row> rows, List<Section37Case> annex) {
    }

    private final ReadModels models;

    public AnnualAccount(ReadModels models) {
        this.models = models;
    }

    public Account of(int year) {
        return of(year, null);
    }

    /** The account as the books said at {@code knownAt} (null: now). */
    public Account of(int year, Instant knownAt) {
        List<ReadModels.LineView> lines = knownAt == null ? models.lines(year) : models.linesAsOf(year, null, knownAt);
        List<Section37Case> annex = annex(year, knownAt);
        Map<String, String> references = annex.stream().filter(c -> !c.reversed())
                .collect(Collectors.groupingBy(Section37Case::lineId, LinkedHashMap::new,
                        Collectors.mapping(Section37Case::consentReference, Collectors.joining("; "))));
        List<Row> rows = new ArrayList<>();
        for (ReadModels.LineView v : lines) {
            LineBalance b = v.balance();
            long soll = b.appropriatedCents() + b.amendedCents();
            long ist = LineKind.REVENUE.name().equals(v.kind()) ? b.revenueCents() : b.spentCents();
            long istPlusCarried = ist + b.carriedOutCents();
            // Covered spending: Soll, remainders, and reinforcements received net of those given (§ 37 needs consent beyond it).
            long covered = soll + b.carriedInCents() + b.reallocatedInCents() - b.reallocatedOutCents();
            long overPlan = LineKind.REVENUE.name().equals(v.kind()) ? 0 : Math.max(0, ist - covered);
            rows.add(new Row(year, v.lineId(), v.einzelplan(), v.kapitel(), v.titel(), v.titelgruppe(), v.funktion(), v.purpose(),
                    v.kind(), soll, b.carriedInCents(), ist, b.carriedOutCents(), istPlusCarried, istPlusCarried - (soll + b.carriedInCents()),
                    b.reallocatedInCents(), b.reallocatedOutCents(), b.lapsedCents(), overPlan, b.consentedCents(),
                    references.getOrDefault(v.lineId(), "")));
        }
        return new Account(year, knownAt, List.copyOf(rows), annex);
    }

    private List<Section37Case> annex(int year, Instant knownAt) {
        ReadModelSchema s = models.schema();
        // Known-at: a consent counts once its event was recorded; its history row carries recorded_at.
        String sql = "SELECT c.event_id, c.line_id, c.amount_cents, c.consent_reference, c.justification, c.unplanned, c.effective_date,"
                + " c.reversed_at IS NOT NULL AND c.reversed_at <= ? FROM " + s.table("overplan_consent") + " c JOIN " + s.table("line_history") + " h"
                + " ON h.line_id = c.line_id AND h.global_sequence = c.global_sequence"
                + " WHERE c.year = ? AND h.recorded_at <= ? ORDER BY c.effective_date, c.line_id, c.event_id";
        Timestamp bound = Timestamp.from(knownAt == null ? Instant.parse("9999-12-31T00:00:00Z") : knownAt);
        return models.query(sql, rs -> {
            Date d = rs.getDate(7);
            return new Section37Case(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getString(5), rs.getBoolean(6),
                    d.toLocalDate(), rs.getBoolean(8));
        }, bound, year, bound);
    }

    // ------------------------------------------------------------------ CSV

    /** The two CSV dialects: RFC 4180 with {@code ,} and decimal point, or German with {@code ;} and decimal comma. */
    public enum CsvDialect {
        RFC4180(',', '.'),
        GERMAN(';', ',');

        final char separator;
        final char decimal;

        CsvDialect(char separator, char decimal) {
            this.separator = separator;
            this.decimal = decimal;
        }
    }

    static final List<String> HEADER = List.of("Jahr", "Haushaltsstelle", "Einzelplan", "Kapitel", "Titel", "Titelgruppe", "Funktion",
            "Zweckbestimmung", "Art", "Soll", "Reste aus Vorjahr", "Ist", "Reste ins Folgejahr", "Ist + Reste", "Mehr (+) / Weniger (-)",
            "Verstaerkung erhalten", "Verstaerkung abgegeben", "Verfallen", "Ueber-/ausserplanmaessig", "Zustimmung Betrag",
            "Zustimmung Aktenzeichen");

    /** The account as CSV with a header line; lines end in CRLF as RFC 4180 says. */
    public static String csv(Account account, CsvDialect dialect) {
        StringBuilder out = new StringBuilder();
        line(out, dialect, HEADER);
        for (Row r : account.rows()) {
            line(out, dialect, List.of(Integer.toString(r.year()), r.lineId(), nz(r.einzelplan()), nz(r.kapitel()), nz(r.titel()),
                    nz(r.titelgruppe()), nz(r.funktion()), nz(r.purpose()), nz(r.kind()), money(r.sollCents(), dialect),
                    money(r.carriedInCents(), dialect), money(r.istCents(), dialect), money(r.carriedOutCents(), dialect),
                    money(r.istPlusCarriedOutCents(), dialect), money(r.differenceCents(), dialect), money(r.reallocatedInCents(), dialect),
                    money(r.reallocatedOutCents(), dialect), money(r.lapsedCents(), dialect), money(r.overPlanSpentCents(), dialect),
                    money(r.consentedCents(), dialect), r.consentReferences()));
        }
        return out.toString();
    }

    /** The § 37 annex as CSV. */
    public static String annexCsv(Account account, CsvDialect dialect) {
        StringBuilder out = new StringBuilder();
        line(out, dialect, List.of("Ereignis", "Haushaltsstelle", "Betrag", "Zustimmung Aktenzeichen", "Begruendung", "Art", "Datum",
                "Storniert"));
        for (Section37Case c : account.annex()) {
            line(out, dialect, List.of(c.eventId(), c.lineId(), money(c.amountCents(), dialect), nz(c.consentReference()),
                    nz(c.justification()), c.unplanned() ? "ausserplanmaessig" : "ueberplanmaessig", c.effectiveDate().toString(),
                    c.reversed() ? "ja" : "nein"));
        }
        return out.toString();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    static String money(long cents, CsvDialect dialect) {
        String s = Money.format(cents);
        return dialect.decimal == '.' ? s : s.replace('.', dialect.decimal);
    }

    private static void line(StringBuilder out, CsvDialect dialect, List<String> fields) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.append(dialect.separator);
            }
            out.append(quote(fields.get(i), dialect.separator));
        }
        out.append("\r\n");
    }

    /** RFC 4180: a field with the separator, a quote or a line break is quoted, quotes doubled. */
    static String quote(String field, char separator) {
        if (field.indexOf(separator) >= 0 || field.indexOf('"') >= 0 || field.indexOf('\n') >= 0 || field.indexOf('\r') >= 0) {
            return '"' + field.replace("\"", "\"\"") + '"';
        }
        return field;
    }
}
