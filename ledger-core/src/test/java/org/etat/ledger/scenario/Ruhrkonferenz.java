package org.etat.ledger.scenario;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.etat.ledger.budgetline.CoverGroup;
import org.etat.ledger.budgetline.CoverGroup.CoverRole;
import org.etat.ledger.budgetline.EnactAppropriation;
import org.etat.ledger.budgetline.LineKind;
import org.etat.ledger.budgetline.OpenLine;
import org.etat.ledger.budgetline.RecordExpenditure;
import org.etat.ledger.budgetline.TitleKey;
import org.etat.ledger.reallocation.LegalBasis;
import org.etat.ledger.reallocation.Reallocate;
import org.etat.ledger.yearclose.CloseYear;

/**
 * The case that started Etat, as a script of commands: NRW, Einzelplan 08, Titelgruppe 69
 * "Ruhrkonferenz". The yearly appropriations and outflows are the published figures (700,000.00
 * in 2023 and 2024, 450,000.00 in 2025 and 2026; 196,270.47 spent in 2023, 397.64 in 2024).
 *
 * <p><b>Illustrative, not published:</b> the chapter and title numbers (Kapitel 08030 Titel 546 69,
 * and the receiving titles 684 69 in Kapitel 08030 and 633 69 in Kapitel 08020), the cover group,
 * the receiving titles' own appropriations, the dates, the split of the 2023 outflow into three
 * payments and the split of the 2024 reallocation into three moves. Plain Java, no Spring: the
 * same list is replayed in memory here and against PostgreSQL by ledger-api.
 */
public final class Ruhrkonferenz {

    public static final String COVER_GROUP = "08-TG69";
    public static final String TITELGRUPPE = "69";

    /** Sächliche Verwaltungsausgaben of the Ruhrkonferenz (illustrative Kapitel and Titel). */
    public static final String ADMIN_2023 = "2023-08030-54669";
    public static final String ADMIN_2024 = "2024-08030-54669";
    public static final String ADMIN_2025 = "2025-08030-54669";
    public static final String ADMIN_2026 = "2026-08030-54669";
    /** Receiving titles of 2024 in the same cover group (illustrative). */
    public static final String GRANTS_2024 = "2024-08030-68469";
    public static final String MUNICIPAL_2024 = "2024-08020-63369";

    public static final long APPROPRIATION_2023_CENTS = 70_000_000;
    public static final long SPENT_2023_CENTS = 19_627_047;
    public static final long LAPSED_2023_CENTS = 50_372_953;
    public static final long APPROPRIATION_2024_CENTS = 70_000_000;
    public static final long SPENT_2024_CENTS = 39_764;
    public static final long REALLOCATED_2024_CENTS = 69_960_236;
    public static final long APPROPRIATION_2025_CENTS = 45_000_000;
    public static final long APPROPRIATION_2026_CENTS = 45_000_000;
    public static final String EXECUTION_RATE_2023 = "28.04";
    public static final String EXECUTION_RATE_2024 = "0.06";

    /** Own appropriations of the receiving titles (illustrative). */
    public static final long GRANTS_2024_APPROPRIATION_CENTS = 200_000_000;
    public static final long MUNICIPAL_2024_APPROPRIATION_CENTS = 150_000_000;
    /** The 2024 moves out of the administrative title: to GRANTS, MUNICIPAL, GRANTS. */
    public static final long MOVE_1_CENTS = 30_000_000;
    public static final long MOVE_2_CENTS = 25_000_000;
    public static final long MOVE_3_CENTS = 14_960_236;

    private Ruhrkonferenz() {
    }

    /** Every command of the scenario, in the order it is to be sent. */
    public static List<Object> commands() {
        List<Object> c = new ArrayList<>();
        // 2023: appropriated, about 28 % spent, the rest lapses at the close.
        c.add(open(ADMIN_2023, "Ruhrkonferenz: sächliche Verwaltungsausgaben", false, new CoverGroup(COVER_GROUP, CoverRole.GIVES)));
        c.add(enact(ADMIN_2023, APPROPRIATION_2023_CENTS));
        c.add(spend(ADMIN_2023, 8_500_000, LocalDate.of(2023, 4, 20), "RK-2023-001"));
        c.add(spend(ADMIN_2023, 11_100_000, LocalDate.of(2023, 7, 3), "RK-2023-002"));
        c.add(spend(ADMIN_2023, 27_047, LocalDate.of(2023, 11, 28), "RK-2023-003"));
        c.add(new CloseYear(2023, "Jahresabschluss 2023"));

        // 2024: appropriated again, 397.64 spent, the rest moved to two other titles in three moves.
        c.add(open(ADMIN_2024, "Ruhrkonferenz: sächliche Verwaltungsausgaben", false, new CoverGroup(COVER_GROUP, CoverRole.GIVES)));
        c.add(open(GRANTS_2024, "Ruhrkonferenz: Zuschüsse für laufende Zwecke (illustrativ)", false,
                new CoverGroup(COVER_GROUP, CoverRole.RECEIVES)));
        c.add(open(MUNICIPAL_2024, "Ruhrkonferenz: Zuweisungen an Gemeinden (illustrativ)", false,
                new CoverGroup(COVER_GROUP, CoverRole.RECEIVES)));
        c.add(enact(ADMIN_2024, APPROPRIATION_2024_CENTS));
        c.add(enact(GRANTS_2024, GRANTS_2024_APPROPRIATION_CENTS));
        c.add(enact(MUNICIPAL_2024, MUNICIPAL_2024_APPROPRIATION_CENTS));
        c.add(spend(ADMIN_2024, SPENT_2024_CENTS, LocalDate.of(2024, 3, 12), "RK-2024-001"));
        c.add(move(GRANTS_2024, MOVE_1_CENTS, LocalDate.of(2024, 5, 15)));
        c.add(move(MUNICIPAL_2024, MOVE_2_CENTS, LocalDate.of(2024, 9, 2)));
        c.add(move(GRANTS_2024, MOVE_3_CENTS, LocalDate.of(2024, 11, 20)));

        // 2025 and 2026: appropriated, nothing spent yet.
        c.add(open(ADMIN_2025, "Ruhrkonferenz: sächliche Verwaltungsausgaben", false, new CoverGroup(COVER_GROUP, CoverRole.GIVES)));
        c.add(enact(ADMIN_2025, APPROPRIATION_2025_CENTS));
        c.add(open(ADMIN_2026, "Ruhrkonferenz: sächliche Verwaltungsausgaben", false, new CoverGroup(COVER_GROUP, CoverRole.GIVES)));
        c.add(enact(ADMIN_2026, APPROPRIATION_2026_CENTS));
        return List.copyOf(c);
    }

    private static OpenLine open(String lineId, String purpose, boolean transferable, CoverGroup group) {
        String[] parts = lineId.split("-");
        TitleKey key = TitleKey.of(parts[1], parts[2]).withTitelgruppe(TITELGRUPPE);
        return new OpenLine(lineId, key, purpose, LineKind.EXPENDITURE, transferable, List.of(group),
                LocalDate.of(Integer.parseInt(parts[0]), 1, 1));
    }

    private static EnactAppropriation enact(String lineId, long cents) {
        int year = Integer.parseInt(lineId.substring(0, 4));
        return new EnactAppropriation(lineId, cents, "Haushaltsgesetz " + year + " (illustrativ)", LocalDate.of(year, 1, 1));
    }

    private static RecordExpenditure spend(String lineId, long cents, LocalDate on, String document) {
        return new RecordExpenditure(lineId, cents, on, "Ruhrkonferenz: Verwaltungsausgaben", document, "RK");
    }

    private static Reallocate move(String toLineId, long cents, LocalDate on) {
        return new Reallocate(ADMIN_2024, toLineId, cents, LegalBasis.coverGroup(COVER_GROUP), "Umschichtung (illustrativ)", on);
    }
}
