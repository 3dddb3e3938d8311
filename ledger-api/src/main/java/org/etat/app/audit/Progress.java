package org.etat.app.audit;

/** Where a long pass over the log reports how far it is; called every {@link #EVERY_ROWS} rows and at the end. */
@FunctionalInterface
public interface Progress {
    int EVERY_ROWS = 10_000;
    Progress NONE = (phase, done, total) -> { };

    /** {@code done} of {@code total} rows of {@code phase}; total is an estimate taken at the start. */
    void update(String phase, long done, long total);
}
