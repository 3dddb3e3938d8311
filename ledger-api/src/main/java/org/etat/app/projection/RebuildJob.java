package org.etat.app.projection;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/** One rebuild of the read models: its progress while it runs, its digests once it is done. */
public final class RebuildJob {

    public enum State { RUNNING, SUCCEEDED, FAILED }

    /** A read model's digest as rebuilt and as the live model had it for the same events. */
    public record TableDigest(String rebuilt, String live, boolean matches) {
    }

    /** What the HTTP resource and the command line show. */
    public record Status(String jobId, State state, String phase, boolean switchedOver, long eventsProcessed, long eventsInLog,
            Instant startedAt, Instant finishedAt, Long eventsPerSecond, Map<String, Long> phaseMillis, Map<String, TableDigest> digests,
            Boolean digestsMatch, String error) {
    }

    private final String id = UUID.randomUUID().toString();
    private final Instant startedAt = Instant.now();
    private final AtomicLong eventsProcessed = new AtomicLong();
    private volatile long eventsInLog;
    private volatile String phase = "queued";
    private volatile long phaseStartedNanos = System.nanoTime();
    private final Map<String, Long> phaseMillis = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
    private volatile State state = State.RUNNING;
    private volatile Instant finishedAt;
    private volatile boolean switchedOver;
    private volatile Map<String, TableDigest> digests;
    private volatile String error;

    public String id() {
        return id;
    }

    public State state() {
        return state;
    }

    public Map<String, TableDigest> digests() {
        return digests;
    }

    public boolean digestsMatch() {
        return digests != null && digests.values().stream().allMatch(TableDigest::matches);
    }

    public long eventsProcessed() {
        return eventsProcessed.get();
    }

    public Duration elapsed() {
        return Duration.between(startedAt, finishedAt == null ? Instant.now() : finishedAt);
    }

    void phase(String name) {
        endPhase();
        this.phase = name;
    }

    /** Adds the time since the current phase began to its total. */
    private synchronized void endPhase() {
        long now = System.nanoTime();
        phaseMillis.merge(phase, (now - phaseStartedNanos) / 1_000_000, Long::sum);
        phaseStartedNanos = now;
    }

    /** Milliseconds spent per phase, in the order the phases began. */
    public Map<String, Long> phaseMillis() {
        synchronized (phaseMillis) {
            return new LinkedHashMap<>(phaseMillis);
        }
    }

    void eventsInLog(long n) {
        this.eventsInLog = n;
    }

    void processed(long n) {
        eventsProcessed.addAndGet(n);
    }

    void digests(Map<String, String> rebuilt, Map<String, String> live) {
        Map<String, TableDigest> d = new LinkedHashMap<>();
        rebuilt.forEach((table, digest) -> d.put(table, new TableDigest(digest, live.get(table), digest.equals(live.get(table)))));
        this.digests = Map.copyOf(d);
    }

    void switchedOver() {
        this.switchedOver = true;
    }

    void succeeded() {
        finish(State.SUCCEEDED, null);
    }

    void failed(String why) {
        finish(State.FAILED, why);
    }

    private void finish(State s, String why) {
        endPhase();
        this.error = why;
        this.phase = s == State.SUCCEEDED ? "done" : phase;
        this.finishedAt = Instant.now();
        this.state = s;
    }

    public Status status() {
        Map<String, TableDigest> d = digests;
        Map<String, TableDigest> ordered = null;
        if (d != null) {
            ordered = new LinkedHashMap<>();
            for (String t : org.etat.projection.ReadModelSchema.TABLES) {
                ordered.put(t, d.get(t));
            }
        }
        long millis = Math.max(1, elapsed().toMillis());
        return new Status(id, state, phase, switchedOver, eventsProcessed.get(), eventsInLog, startedAt, finishedAt,
                eventsProcessed.get() * 1000 / millis, phaseMillis(), ordered, d == null ? null : digestsMatch(), error);
    }
}
