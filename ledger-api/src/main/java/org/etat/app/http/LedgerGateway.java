package org.etat.app.http;

import org.etat.ledger.common.Receipt;

/** Placeholder for infra's org.etat.app.ledger.LedgerGateway until it lands on main; deleted on merge. */
public interface LedgerGateway {
    Receipt send(Object command, String principal, String requestId);
}
