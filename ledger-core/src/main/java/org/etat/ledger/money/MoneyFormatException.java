package org.etat.ledger.money;

/** An amount that is not exact, not in range or not well formed. Always the caller's mistake. */
public class MoneyFormatException extends IllegalArgumentException {
    public MoneyFormatException(String message) {
        super(message);
    }
}
