package org.etat.app.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import org.etat.app.EtatApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Starts the Spring application on a {@link LedgerDatabase}, for every sub-command. */
public final class ApplicationStarter {

    private ApplicationStarter() {
    }

    /**
     * The application context on {@code db}; the caller closes it before the database.
     *
     * @param web SERVLET for {@code serve}, NONE for one-shot commands
     * @param properties extra Spring properties (they win over the database's)
     */
    public static ConfigurableApplicationContext start(LedgerDatabase db, WebApplicationType web, Map<String, Object> properties) {
        Map<String, Object> all = new LinkedHashMap<>(db.springProperties());
        all.putAll(properties);
        return new SpringApplicationBuilder(EtatApplication.class).web(web).properties(all).run();
    }
}
