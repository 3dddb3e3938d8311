package org.etat.app.importer;

import org.etat.ledger.budgetline.LineKind;

/**
 * One title of the federal annual account (Haushaltsrechnung): the actual (Ist) in cents. Negative
 * when refunds exceeded payments (expenditure) or repayments exceeded receipts (revenue).
 */
public record IstRow(String kapitel, String titel, LineKind kind, String purpose, long istCents, Provenance source) {

    public String einzelplan() {
        return kapitel.substring(0, 2);
    }
}
