package org.etat.app.kafka;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.etat.ledger.budgetline.AppropriationAmended;
import org.etat.ledger.budgetline.AppropriationEnacted;
import org.etat.ledger.budgetline.ExpenditureRecorded;
import org.etat.ledger.budgetline.FundsBlocked;
import org.etat.ledger.budgetline.FundsReleased;
import org.etat.ledger.budgetline.LineOpened;
import org.etat.ledger.budgetline.OverPlanConsentGranted;
import org.etat.ledger.budgetline.RevenueRecorded;
import org.etat.ledger.carryover.RemainderCarriedIn;
import org.etat.ledger.carryover.RemainderCarriedOut;
import org.etat.ledger.correction.EntryReversed;
import org.etat.ledger.reallocation.ReallocatedIn;
import org.etat.ledger.reallocation.ReallocatedOut;
import org.etat.ledger.yearclose.LapsedAtClose;
import org.etat.ledger.yearclose.YearClosed;

/**
 * The event types on the topic, by the name the envelope carries (the class's simple name). A
 * closed list on purpose: a consumer turns only these names into classes, so a forged or future
 * type is refused (and parked in the dead-letter topic), never loaded by name.
 */
public final class EventTypes {

    private static final Map<String, Class<?>> BY_NAME = new LinkedHashMap<>();

    static {
        for (Class<?> type : List.of(LineOpened.class, AppropriationEnacted.class, AppropriationAmended.class, FundsBlocked.class,
                FundsReleased.class, OverPlanConsentGranted.class, ExpenditureRecorded.class, RevenueRecorded.class,
                ReallocatedOut.class, ReallocatedIn.class, RemainderCarriedOut.class, RemainderCarriedIn.class, LapsedAtClose.class,
                YearClosed.class, EntryReversed.class)) {
            BY_NAME.put(type.getSimpleName(), type);
        }
    }

    private EventTypes() {
    }

    /** The envelope's type name of a payload class; fails for a class that is not a ledger event. */
    public static String nameOf(Class<?> type) {
        String name = type.getSimpleName();
        if (BY_NAME.get(name) != type) {
            throw new IllegalArgumentException("not a ledger event type: " + type.getName());
        }
        return name;
    }

    public static Optional<Class<?>> byName(String name) {
        return Optional.ofNullable(name == null ? null : BY_NAME.get(name));
    }

    public static Iterable<String> names() {
        return BY_NAME.keySet();
    }
}
