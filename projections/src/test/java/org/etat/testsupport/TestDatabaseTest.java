package org.etat.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** Runs wherever the build runs: without Docker it must use the embedded server, not skip. */
class TestDatabaseTest {

    @Test
    void givesEveryCallerAFreshRealPostgres17() throws Exception {
        TestDatabase.Database a = TestDatabase.create();
        TestDatabase.Database b = TestDatabase.create();
        assertThat(a.jdbcUrl()).isNotEqualTo(b.jdbcUrl());
        try (Connection c = a.dataSource().getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SHOW server_version_num")) {
            rs.next();
            assertThat(rs.getInt(1)).isBetween(170000, 179999);
        }
        assertThat(TestDatabase.kind()).isIn("embedded", "testcontainers");
    }
}
