package org.etat.projection;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Collectors;
import org.etat.ledger.budgetline.Component;
import org.etat.ledger.budgetline.LineBalance;

/** Column names of the balance components, in {@link Component} order. */
final class Columns {

    static final List<String> COMPONENTS = List.of("appropriated_cents", "amended_cents", "blocked_cents", "consented_cents",
            "reallocated_in_cents", "reallocated_out_cents", "carried_in_cents", "carried_out_cents", "spent_cents", "revenue_cents",
            "lapsed_cents");

    static {
        if (COMPONENTS.size() != Component.values().length) {
            throw new IllegalStateException("a balance component has no column");
        }
    }

    private Columns() {
    }

    static String column(Component c) {
        return COMPONENTS.get(c.ordinal());
    }

    /** {@code a, b, c} with an optional prefix per column. */
    static String list(String prefix) {
        return COMPONENTS.stream().map(c -> prefix + c).collect(Collectors.joining(", "));
    }

    /** {@code coalesce(sum(a),0) AS a, ...}. */
    static String sums() {
        return COMPONENTS.stream().map(c -> "coalesce(sum(" + c + "), 0) AS " + c).collect(Collectors.joining(", "));
    }

    /** Reads the component columns of the current row into a balance, folded with {@link LineBalance#plus}. */
    static LineBalance balance(ResultSet rs) throws SQLException {
        LineBalance b = LineBalance.ZERO;
        for (Component c : Component.values()) {
            b = b.plus(c, rs.getLong(column(c)));
        }
        return b;
    }

    static LineBalance sum(LineBalance a, LineBalance b) {
        LineBalance r = a;
        for (Component c : Component.values()) {
            r = r.plus(c, b.component(c));
        }
        return r;
    }
}
