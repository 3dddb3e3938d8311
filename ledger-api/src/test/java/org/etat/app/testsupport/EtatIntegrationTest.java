package org.etat.app.testsupport;

import java.util.LinkedHashMap;
import java.util.Map;
import org.etat.app.EtatApplication;
import org.etat.testsupport.TestDatabase;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base class of every integration test of the application: the whole Spring context (Axon on
 * PostgreSQL, Flyway) on a fresh, real PostgreSQL 17 database per test class
 * ({@link TestDatabase#create()}). Tests inside one class share that database, so they use their
 * own line ids. The context is closed after the class, so the next class gets a new database.
 * A test that needs the web layer re-declares {@code @SpringBootTest(classes = EtatApplication.class,
 * webEnvironment = RANDOM_PORT)} on its own class; the nearest declaration wins.
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

    /**
     * A second application node on the same database, with its own aggregate cache and locks: what
     * a second server would be. The caller closes it.
     */
    protected static ConfigurableApplicationContext startAnotherNode(Map<String, Object> properties) {
        Map<String, Object> all = new LinkedHashMap<>(properties);
        all.put("spring.datasource.url", database.jdbcUrl());
        all.put("spring.datasource.username", database.user());
        all.put("spring.datasource.password", database.password());
        all.put("spring.jmx.enabled", "false");
        return new SpringApplicationBuilder(EtatApplication.class).web(WebApplicationType.NONE).properties(all).run();
    }
}
