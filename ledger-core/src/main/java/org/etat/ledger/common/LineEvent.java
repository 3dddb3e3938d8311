package org.etat.ledger.common;

import java.time.LocalDate;

/** Every event of a budget line names its line and the date on which it takes effect. */
public interface LineEvent {
    String lineId();

    LocalDate effectiveDate();
}
