package org.etat.ledger.scenario;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.etat.ledger.budgetline.BudgetLineId;
import org.etat.ledger.budgetline.CoverGroup;
import org.etat.ledger.budgetline.EnactAppropriation;
import org.etat.ledger.budgetline.FiscalYear;
import org.etat.ledger.budgetline.LineKind;
import org.etat.ledger.budgetline.OpenLine;
import org.etat.ledger.budgetline.RecordExpenditure;
import org.etat.ledger.budgetline.TitleKey;
import org.etat.ledger.reallocation.LegalBasis;
import org.etat.ledger.reallocation.Reallocate;
import org.etat.ledger.yearclose.CloseYear;

/**
 * The case that started Etat, as a script of commands: NRW, Einzelplan 08, Titelgruppe 69
 * "Ruhrkonferenz" (budget-law.md). The one source of the scenario: the demo records it through the
 * gateway (ledger-api), the tests replay it in memory and against PostgreSQL.
 *
 * <pre>
 * 2023  700,000.00 appropriated, 196,270.47 spent (28.04 %), year closed: the rest lapses
 * 2024  700,000.00 appropriated, 397.64 spent (0.06 %), 699,602.36 moved to two other titles
 * 2025  450,000.00 appropriated
 * 2026  450,000.00 appropriated
 * </pre>
 *
 * <p>The yearly figures are the published ones. <b>Illustrative, not published:</b> the Kapitel and
 * Titel numbers (08 030, 546 69 and the two receiving titles 533 69 and 684 69), their own
 * appropriations, the cover group, the single payments and moves, and the dates.
 *
 * <p>Every step has a fixed request id, so recording the scenario again changes nothing.
 */
public final class Ruhrkonferenz {

    public static final String PRINCIPAL = "demo";
    public static final String KAPITEL = "08030";
    public static final String TITEL = "54669";
    public static final String TITELGRUPPE = "69";
    /** Cover group of the three 2024 titles of Titelgruppe 69 (§ 20: mutually coverable). */
    public static final String COVER_GROUP = "08030-TG69";

    public static final String LINE_2023 = "2023-08030-54669";
    public static final String LINE_2024 = "2024-08030-54669";
    public static final String LINE_2025 = "2025-08030-54669";
    public static final String LINE_2026 = "2026-08030-54669";
    /** Receiving titles of the 2024 moves (illustrative). */
    public static final String LINE_2024_SERVICES = "2024-08030-53369";
    public static final String LINE_2024_GRANTS = "2024-08030-68469";

    public static final long APPROPRIATED_2023_CENTS = 700_000_00L;
    public static final long SPENT_2023_CENTS = 196_270_47L;
    public static final long LAPSED_2023_CENTS = APPROPRIATED_2023_CENTS - SPENT_2023_CENTS;
    public static final long APPROPRIATED_2024_CENTS = 700_000_00L;
    public static final long SPENT_2024_CENTS = 397_64L;
    public static final long MOVED_TO_GRANTS_2024_CENTS = 400_000_00L;
    public static final long MOVED_TO_SERVICES_2024_CENTS = 299_602_36L;
    public static final long REALLOCATED_2024_CENTS = MOVED_TO_GRANTS_2024_CENTS + MOVED_TO_SERVICES_2024_CENTS;
    public static final long APPROPRIATED_2025_CENTS = 450_000_00L;
    public static final long APPROPRIATED_2026_CENTS = 450_000_00L;
    public static final long APPROPRIATED_SERVICES_2024_CENTS = 300_000_00L;
    public static final long APPROPRIATED_GRANTS_2024_CENTS = 1_500_000_00L;
    public static final String EXECUTION_RATE_2023 = "28.04";
    public static final String EXECUTION_RATE_2024 = "0.06";

    /** One command of the scenario with its fixed request id. */
    public record Step(String requestId, Object command) {
    }

    private Ruhrkonferenz() {
    }

    /** Every step, in the order it is to be sent. */
    public static List<Step> steps() {
        List<Step> s = new ArrayList<>();
        String law = "Haushaltsgesetz NRW ";
        // 2023: spent 28.04 %, the rest lapses at the close.
        s.add(open(LINE_2023, TITEL, "Ruhrkonferenz: sächliche Verwaltungsausgaben", false));
        s.add(step("enact-2023", new EnactAppropriation(LINE_2023, APPROPRIATED_2023_CENTS, law + "2023", LocalDate.of(2023, 1, 1))));
        s.add(step("spend-2023-1", spend(LINE_2023, 85_000_00L, LocalDate.of(2023, 4, 14), "RK-2023-0001")));
        s.add(step("spend-2023-2", spend(LINE_2023, 100_000_00L, LocalDate.of(2023, 8, 30), "RK-2023-0002")));
        s.add(step("spend-2023-3", spend(LINE_2023, 11_270_47L, LocalDate.of(2023, 11, 21), "RK-2023-0003")));
        s.add(step("close-2023", new CloseYear(2023, "Jahresabschluss 2023")));
        // 2024: almost nothing spent, almost everything moved to two other titles.
        s.add(open(LINE_2024, TITEL, "Ruhrkonferenz: sächliche Verwaltungsausgaben", false));
        s.add(open(LINE_2024_SERVICES, "53369", "Ruhrkonferenz: Dienstleistungen Dritter (illustrative)", false));
        s.add(open(LINE_2024_GRANTS, "68469", "Ruhrkonferenz: Zuschüsse für Projekte (illustrative)", false));
        s.add(step("enact-2024", new EnactAppropriation(LINE_2024, APPROPRIATED_2024_CENTS, law + "2024", LocalDate.of(2024, 1, 1))));
        s.add(step("enact-2024-services", new EnactAppropriation(LINE_2024_SERVICES, APPROPRIATED_SERVICES_2024_CENTS, law + "2024",
                LocalDate.of(2024, 1, 1))));
        s.add(step("enact-2024-grants", new EnactAppropriation(LINE_2024_GRANTS, APPROPRIATED_GRANTS_2024_CENTS, law + "2024",
                LocalDate.of(2024, 1, 1))));
        s.add(step("spend-2024-1", spend(LINE_2024, SPENT_2024_CENTS, LocalDate.of(2024, 5, 10), "RK-2024-0001")));
        s.add(step("move-2024-grants", new Reallocate(LINE_2024, LINE_2024_GRANTS, MOVED_TO_GRANTS_2024_CENTS,
                LegalBasis.coverGroup(COVER_GROUP), "Umschichtung zugunsten der Projektförderung", LocalDate.of(2024, 9, 16))));
        s.add(step("move-2024-services", new Reallocate(LINE_2024, LINE_2024_SERVICES, MOVED_TO_SERVICES_2024_CENTS,
                LegalBasis.coverGroup(COVER_GROUP), "Umschichtung des Restes", LocalDate.of(2024, 11, 20))));
        // 2025 and 2026: appropriated, nothing recorded yet.
        s.add(open(LINE_2025, TITEL, "Ruhrkonferenz: sächliche Verwaltungsausgaben", false));
        s.add(step("enact-2025", new EnactAppropriation(LINE_2025, APPROPRIATED_2025_CENTS, law + "2025", LocalDate.of(2025, 1, 1))));
        s.add(open(LINE_2026, TITEL, "Ruhrkonferenz: sächliche Verwaltungsausgaben", false));
        s.add(step("enact-2026", new EnactAppropriation(LINE_2026, APPROPRIATED_2026_CENTS, law + "2026", LocalDate.of(2026, 1, 1))));
        return List.copyOf(s);
    }

    /** The commands of {@link #steps()} alone, for a ledger without request ids (in-memory tests). */
    public static List<Object> commands() {
        return steps().stream().map(Step::command).toList();
    }

    private static Step step(String name, Object command) {
        return new Step("ruhrkonferenz-" + name, command);
    }

    private static Step open(String lineId, String titel, String purpose, boolean transferable) {
        BudgetLineId id = BudgetLineId.parse(lineId);
        TitleKey key = TitleKey.of(KAPITEL, titel).withTitelgruppe(TITELGRUPPE);
        boolean in2024 = id.year().equals(FiscalYear.of(2024));
        List<CoverGroup> groups = in2024 ? List.of(CoverGroup.mutual(COVER_GROUP)) : List.of();
        return step("open-" + lineId, new OpenLine(lineId, key, purpose, LineKind.EXPENDITURE, transferable, groups, null));
    }

    private static RecordExpenditure spend(String lineId, long cents, LocalDate date, String document) {
        return new RecordExpenditure(lineId, cents, date, "Ruhrkonferenz: Veranstaltungen und Geschäftsstelle", document, null);
    }
}
