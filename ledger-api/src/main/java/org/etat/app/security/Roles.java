package org.etat.app.security;

/** The roles of Etat. Who may do what is decided in {@link SecurityConfig} only. */
public final class Roles {
    /** Records entries, batches, reallocations, reversals, carry-overs. */
    public static final String FINANCE = "FINANCE";
    /** Opens lines, enacts and amends appropriations, blocks and releases, grants § 37 consents, closes years. */
    public static final String BUDGET_ADMIN = "BUDGET_ADMIN";
    /** Reads (Rechnungshof). */
    public static final String COURT_OF_AUDIT = "COURT_OF_AUDIT";
    /** Reads, the raw log, verification and rebuilds. */
    public static final String AUDITOR = "AUDITOR";

    public static final java.util.List<String> ALL = java.util.List.of(FINANCE, BUDGET_ADMIN, COURT_OF_AUDIT, AUDITOR);

    private Roles() {
    }
}
