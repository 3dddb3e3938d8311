package org.etat.ledger.budgetline;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.Repository;
import org.etat.ledger.common.LedgerRejection;
import org.etat.ledger.common.Rule;

/**
 * Loads several lines into the current unit of work, always in ascending id order. Every
 * multi-line command goes through here, so two commands on the same pair of lines take their locks
 * (and insert their events) in the same order and cannot deadlock each other.
 */
public final class LineLoader {

    private final Repository<BudgetLine> repository;

    public LineLoader(Repository<BudgetLine> repository) {
        this.repository = repository;
    }

    /** The lines, keyed by id, loaded in ascending id order. */
    public Map<String, Aggregate<BudgetLine>> loadInOrder(Collection<String> lineIds) {
        Map<String, Aggregate<BudgetLine>> loaded = new LinkedHashMap<>();
        for (String id : new TreeSet<>(lineIds)) {
            loaded.put(id, load(id));
        }
        return loaded;
    }

    public Aggregate<BudgetLine> load(String lineId) {
        BudgetLineId.parse(lineId);
        try {
            return repository.load(lineId);
        } catch (AggregateNotFoundException e) {
            throw new LedgerRejection(Rule.LINE_NOT_OPEN, "budget line " + lineId + " does not exist");
        }
    }

    /**
     * Creates a line in the current unit of work from its decided opening (see {@link BudgetLine#opened}).
     * The caller checked that it does not exist; if another writer creates it first, the event store's
     * unique key refuses this unit of work at commit.
     */
    public Aggregate<BudgetLine> create(LineOpened opened, Map<String, String> metadata) {
        try {
            return repository.newInstance(() -> BudgetLine.opened(opened, metadata));
        } catch (Exception e) {
            throw e instanceof RuntimeException r ? r : new IllegalStateException("cannot create line " + opened.lineId(), e);
        }
    }

    /** Ids in the order {@link #loadInOrder} uses. */
    public static List<String> order(Collection<String> ids) {
        return new ArrayList<>(new TreeSet<>(ids));
    }
}
