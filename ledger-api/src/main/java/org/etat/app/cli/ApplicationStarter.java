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
        all.putAll(logFormat(System.getenv()));
        all.putAll(properties);
        return new SpringApplicationBuilder(EtatApplication.class).web(web).properties(all).run();
    }

    /** Name of the variable that switches the console log to JSON: {@code ETAT_LOG_FORMAT=json}. */
    public static final String LOG_FORMAT_ENV = "ETAT_LOG_FORMAT";

    /**
     * {@code ETAT_LOG_FORMAT=json}: Spring Boot's structured console log in Elastic Common Schema, one
     * JSON object per line, with the request id and principal (MDC) as fields. Anything else: text.
     */
    static Map<String, Object> logFormat(Map<String, String> env) {
        String format = env.get(LOG_FORMAT_ENV);
        if (format == null || format.isBlank() || format.equalsIgnoreCase("text")) {
            return Map.of();
        }
        if (format.equalsIgnoreCase("json")) {
            return Map.of("logging.structured.format.console", "ecs");
        }
        throw new IllegalArgumentException(LOG_FORMAT_ENV + " must be json or text, got " + format);
    }
}
