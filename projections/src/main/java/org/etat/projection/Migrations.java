package org.etat.projection;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** Applies the read-model migrations (V100-V199) outside Spring, e.g. for tests and tools. */
public final class Migrations {

    private Migrations() {
    }

    public static void migrate(DataSource dataSource) {
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    }
}
