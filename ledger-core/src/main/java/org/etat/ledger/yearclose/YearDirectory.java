package org.etat.ledger.yearclose;

import java.util.List;

/**
 * What the year-close needs to know beyond one line, provided by the event store. The locks are
 * transaction-scoped: opening a line holds the year's shared lock, closing the year its exclusive
 * lock, so no line can slip into a year while it closes, on any node.
 */
public interface YearDirectory {

    /** Ids of every line of the year, in ascending order. */
    List<String> lineIdsOf(int year);

    /**
     * Whether the year was closed by {@link CloseYear}: every line of it carries {@link YearClosed}. A
     * line closed on its own by {@link CloseLine} does not close its year.
     */
    boolean isClosed(int year);

    void lockShared(int year);

    void lockExclusive(int year);

    /** For tests and single-node use without a database. */
    YearDirectory NONE = new YearDirectory() {
        @Override
        public List<String> lineIdsOf(int year) {
            return List.of();
        }

        @Override
        public boolean isClosed(int year) {
            return false;
        }

        @Override
        public void lockShared(int year) {
        }

        @Override
        public void lockExclusive(int year) {
        }
    };
}
