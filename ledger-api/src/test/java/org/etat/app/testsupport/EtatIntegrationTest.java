package org.etat.app.testsupport;

import org.etat.app.EtatApplication;
import org.etat.testsupport.TestDatabase;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base class of every integration test of the application: the whole Spring context (Axon on
 * PostgreSQL, Flyway) on a fresh, real PostgreSQL 17 database per test class
 * ({@link TestDatabase#create()}). Tests inside one class share that database, so they use their
 * own line ids. The context is closed after the class, so the next class gets a new database.
 */
@SpringBootTest(classes = EtatApplication.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
public abstract class EtatIntegrationTest {

    /** The database of the current test class. */
    protected static TestDatabase.Database database;

    @DynamicPropertySource
    static void freshDatabase(DynamicPropertyRegistry registry) {
        database = TestDatabase.create();
        registry.add("spring.datasource.url", database::jdbcUrl);
        registry.add("spring.datasource.username", database::user);
        registry.add("spring.datasource.password", database::password);
    }
}
