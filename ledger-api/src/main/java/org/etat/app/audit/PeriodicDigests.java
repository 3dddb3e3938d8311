package org.etat.app.audit;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Issues a digest every {@code etat.audit.digest.interval} (default PT1H; 0 or negative: never) when
 * the chain grew since the last one. Runs only when a signing key is configured or generated
 * (embedded mode), so test contexts, which configure none, issue no digests unless they set one.
 */
public class PeriodicDigests implements SmartLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(PeriodicDigests.class);

    private final AuditDigests digests;
    private final Duration interval;
    private ScheduledExecutorService scheduler;

    public PeriodicDigests(AuditDigests digests, Duration interval) {
        this.digests = digests;
        this.interval = interval;
    }

    @Override
    public synchronized void start() {
        if (interval.isZero() || interval.isNegative() || !digests.keyConfigured()) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "etat-audit-digests");
            t.setDaemon(true);
            return t;
        });
        long millis = interval.toMillis();
        scheduler.scheduleWithFixedDelay(this::issue, millis, millis, TimeUnit.MILLISECONDS);
        LOG.info("audit digests every {}", interval);
    }

    private void issue() {
        try {
            digests.issueIfHeadMoved().ifPresent(d -> LOG.info("audit digest issued: sequence {}, head {}", d.sequence(), d.headHash()));
        } catch (Exception e) {
            LOG.warn("periodic audit digest failed: {}", e.toString());
        }
    }

    @Override
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return scheduler != null;
    }
}
