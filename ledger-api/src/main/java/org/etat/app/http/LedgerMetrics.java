package org.etat.app.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.etat.ledger.common.Rule;
import org.springframework.stereotype.Component;

/**
 * Counters of the write side as seen by the API: events appended (Prometheus' rate() of it is the
 * append rate) and refusals by rule.
 */
@Component
public class LedgerMetrics {

    private final MeterRegistry registry;
    private final Counter appended;

    public LedgerMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.appended = Counter.builder("etat.api.events.appended")
                .description("Events appended to the ledger through the HTTP API")
                .register(registry);
    }

    public void appended(int eventCount) {
        appended.increment(eventCount);
    }

    public void rejected(Rule rule) {
        Counter.builder("etat.api.rejections")
                .description("Writes refused by a rule of the ledger, by rule")
                .tag("rule", rule.name())
                .register(registry)
                .increment();
    }
}
