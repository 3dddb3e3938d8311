package org.etat.ledger.common;

import java.util.List;

/** A command refused by a rule. Nothing was recorded. The message says which rule and why. */
public class LedgerRejection extends RuntimeException {

    private final Rule rule;
    private final List<EntryError> entryErrors;

    public LedgerRejection(Rule rule, String detail) {
        this(rule, detail, List.of());
    }

    public LedgerRejection(Rule rule, String detail, List<EntryError> entryErrors) {
        super(detail, null, false, false);
        this.rule = rule;
        this.entryErrors = List.copyOf(entryErrors);
    }

    public Rule rule() {
        return rule;
    }

    public String detail() {
        return getMessage();
    }

    /** For a batch: every entry that broke a rule, by its index in the batch. */
    public List<EntryError> entryErrors() {
        return entryErrors;
    }

    /** One refused entry of a batch. */
    public record EntryError(int index, Rule rule, String detail) {
    }

    public static void check(boolean condition, Rule rule, String detail) {
        if (!condition) {
            throw new LedgerRejection(rule, detail);
        }
    }
}
