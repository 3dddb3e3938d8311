package org.etat.app.faults;

import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Test mode only: {@code etat.test.clock-offset=PT-10M} shifts this node's clock (the one behind
 * recordedAt), so the fault suite can run two nodes whose clocks disagree. Refused unless
 * {@code etat.test.mode=true}: a production node never records with a shifted clock by mistake.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty("etat.test.clock-offset")
public class TestClockConfiguration {

    @Bean
    public Clock shiftedClock(@Value("${etat.test.clock-offset}") Duration offset, @Value("${etat.test.mode:false}") boolean testMode) {
        if (!testMode) {
            throw new IllegalStateException("etat.test.clock-offset is set but etat.test.mode is not true: a shifted clock is for tests only");
        }
        return Clock.offset(Clock.systemUTC(), offset);
    }
}
