package org.etat.ledger.testing;

import java.time.LocalDate;
import java.util.List;
import org.etat.ledger.batch.BatchEntry;
import org.etat.ledger.batch.RecordBatch;
import org.etat.ledger.budgetline.AmendAppropriation;
import org.etat.ledger.budgetline.BlockFunds;
import org.etat.ledger.budgetline.BudgetLineId;
import org.etat.ledger.budgetline.CoverGroup;
import org.etat.ledger.budgetline.EnactAppropriation;
import org.etat.ledger.budgetline.GrantOverPlanConsent;
import org.etat.ledger.budgetline.OpenLine;
import org.etat.ledger.budgetline.RecordExpenditure;
import org.etat.ledger.budgetline.RecordRevenue;
import org.etat.ledger.budgetline.ReleaseFunds;
import org.etat.ledger.budgetline.TitleKey;
import org.etat.ledger.carryover.CarryOverRemainder;
import org.etat.ledger.correction.ReverseEntry;
import org.etat.ledger.reallocation.LegalBasis;
import org.etat.ledger.reallocation.Reallocate;
import org.etat.ledger.yearclose.CloseYear;

/** Short builders for the ledger's commands, so tests read like the rules they state. */
public final class Commands {

    private Commands() {
    }

    public static LocalDate date(int year, int month, int day) {
        return LocalDate.of(year, month, day);
    }

    /** Opens a line; kind by law from the Titel, effective on 1 January of its year. */
    public static OpenLine open(String lineId, boolean transferable, CoverGroup... groups) {
        BudgetLineId id = BudgetLineId.parse(lineId);
        TitleKey key = TitleKey.of(id.kapitel(), id.titel());
        return new OpenLine(lineId, key, "purpose of " + lineId, key.kindByLaw(), transferable, List.of(groups), id.year().firstDay());
    }

    public static OpenLine open(String lineId, TitleKey key, String purpose, boolean transferable, CoverGroup... groups) {
        BudgetLineId id = BudgetLineId.parse(lineId);
        return new OpenLine(lineId, key, purpose, key.kindByLaw(), transferable, List.of(groups), id.year().firstDay());
    }

    public static EnactAppropriation enact(String lineId, long cents, LocalDate on) {
        return new EnactAppropriation(lineId, cents, "Haushaltsgesetz " + on.getYear(), on);
    }

    public static AmendAppropriation amend(String lineId, long deltaCents, LocalDate on) {
        return new AmendAppropriation(lineId, deltaCents, "Nachtragshaushalt " + on.getYear(), on);
    }

    public static BlockFunds block(String lineId, long cents, LocalDate on) {
        return new BlockFunds(lineId, cents, "§ 41 LHO", on);
    }

    public static ReleaseFunds release(String lineId, long cents, LocalDate on) {
        return new ReleaseFunds(lineId, cents, "§ 41 LHO", on);
    }

    public static GrantOverPlanConsent consent(String lineId, long cents, LocalDate on) {
        return new GrantOverPlanConsent(lineId, cents, "FM-37-" + on, "unabweisbarer Bedarf", on);
    }

    public static RecordExpenditure spend(String lineId, long cents, LocalDate on) {
        return new RecordExpenditure(lineId, cents, on, "payment", "DOC-" + on + "-" + cents, null);
    }

    public static RecordRevenue revenue(String lineId, long cents, LocalDate on) {
        return new RecordRevenue(lineId, cents, on, "receipt", "REV-" + on + "-" + cents, null);
    }

    public static Reallocate reallocate(String from, String to, long cents, LegalBasis basis, LocalDate on) {
        return new Reallocate(from, to, cents, basis, "Umschichtung", on);
    }

    public static CarryOverRemainder carryOver(String from, long cents, LocalDate on) {
        return new CarryOverRemainder(from, cents, "FM-45-" + on, "Ausgaberest", on);
    }

    public static ReverseEntry reverse(String eventId, LocalDate on) {
        return new ReverseEntry(eventId, "Storno: booked in error", on);
    }

    public static CloseYear closeYear(int year) {
        return new CloseYear(year, "Jahresabschluss " + year);
    }

    public static RecordBatch batch(BatchEntry... entries) {
        return new RecordBatch(List.of(entries));
    }
}
