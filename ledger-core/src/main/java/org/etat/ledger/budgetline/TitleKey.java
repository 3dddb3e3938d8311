package org.etat.ledger.budgetline;

import java.util.regex.Pattern;
import org.etat.ledger.common.LedgerRejection;
import org.etat.ledger.common.Rule;

/**
 * Where money sits: Einzelplan (2 digits), Kapitel (4 or 5 digits, as the budget prints it: "0101",
 * "08030"; it starts with the Einzelplan), Titel (5 digits: Gruppierungsnummer + count), and
 * optionally a Titelgruppe (2 digits) and a Funktion (3 digits).
 */
public record TitleKey(String einzelplan, String kapitel, String titel, String titelgruppe, String funktion) {

    private static final Pattern EINZELPLAN = Pattern.compile("[0-9]{2}");
    private static final Pattern KAPITEL = Pattern.compile("[0-9]{4,5}");
    private static final Pattern TITEL = Pattern.compile("[0-9]{5}");
    private static final Pattern TITELGRUPPE = Pattern.compile("[0-9]{2}");
    private static final Pattern FUNKTION = Pattern.compile("[0-9]{3}");

    public TitleKey {
        require(einzelplan, EINZELPLAN, "Einzelplan", "2 digits");
        require(kapitel, KAPITEL, "Kapitel", "4 or 5 digits");
        require(titel, TITEL, "Titel", "5 digits");
        if (!kapitel.startsWith(einzelplan)) {
            throw new LedgerRejection(Rule.INVALID_TITLE_KEY,
                    "Kapitel " + kapitel + " does not belong to Einzelplan " + einzelplan);
        }
        if (titelgruppe != null) {
            require(titelgruppe, TITELGRUPPE, "Titelgruppe", "2 digits");
        }
        if (funktion != null) {
            require(funktion, FUNKTION, "Funktion", "3 digits");
        }
    }

    public static TitleKey of(String kapitel, String titel) {
        return new TitleKey(kapitel.substring(0, 2), kapitel, titel, null, null);
    }

    public TitleKey withTitelgruppe(String group) {
        return new TitleKey(einzelplan, kapitel, titel, group, funktion);
    }

    public TitleKey withFunktion(String function) {
        return new TitleKey(einzelplan, kapitel, titel, titelgruppe, function);
    }

    /** The 3-digit Gruppierungsnummer: the economic type of the title. */
    public String gruppierungsnummer() {
        return titel.substring(0, 3);
    }

    public LineKind kindByLaw() {
        return LineKind.ofTitel(titel);
    }

    private static void require(String value, Pattern pattern, String field, String shape) {
        if (value == null || !pattern.matcher(value).matches()) {
            throw new LedgerRejection(Rule.INVALID_TITLE_KEY, field + " must be " + shape + ", got " + quote(value));
        }
    }

    private static String quote(String value) {
        return value == null ? "nothing" : "\"" + value + "\"";
    }
}
