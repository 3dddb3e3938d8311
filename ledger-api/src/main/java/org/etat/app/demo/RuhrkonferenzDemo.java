package org.etat.app.demo;

import java.util.ArrayList;
import java.util.List;
import org.etat.app.ledger.LedgerGateway;
import org.etat.ledger.common.Receipt;
import org.etat.ledger.scenario.Ruhrkonferenz;

/** Records the {@link Ruhrkonferenz} scenario (ledger-core, the one source of it) through the gateway. */
public final class RuhrkonferenzDemo {

    private RuhrkonferenzDemo() {
    }

    /** Records every step; on a second run every step returns its first receipt and records nothing. */
    public static List<Receipt> record(LedgerGateway ledger) {
        List<Receipt> receipts = new ArrayList<>();
        for (Ruhrkonferenz.Step step : Ruhrkonferenz.steps()) {
            receipts.add(ledger.send(step.command(), Ruhrkonferenz.PRINCIPAL, step.requestId()));
        }
        return receipts;
    }
}
