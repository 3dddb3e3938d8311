package org.etat.projection;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The PostgreSQL schema that holds one generation of the read models. The live models are in
 * {@link #LIVE}; a rebuild fills {@link #SHADOW} and swaps it in (see {@link Rebuild}).
 */
public record ReadModelSchema(String name) {

    // Declared before the constants below: static initialisers run in order.
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    public static final ReadModelSchema LIVE = new ReadModelSchema("projection");
    public static final ReadModelSchema SHADOW = new ReadModelSchema("projection_rebuild");

    /** Every table of a generation, in creation order. */
    public static final List<String> TABLES = List.of("line_balance", "line_history", "reallocation_flow",
            "carry_over", "expenditure", "overplan_consent");

    public ReadModelSchema {
        // The name is spliced into SQL, so only plain identifiers are accepted.
        if (name == null || !IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("schema name must be a lower-case SQL identifier: " + name);
        }
    }

    /** Qualified table name, e.g. {@code projection.line_balance}. */
    public String table(String table) {
        return name + "." + table;
    }
}
