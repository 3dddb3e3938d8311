package org.etat.app.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * An HTTP client of one node that keeps retrying a write with the same Idempotency-Key until it gets
 * a definitive answer: accepted (2xx) or refused by a rule (4xx naming the rule). Connection
 * failures, timeouts, 409 (key still running), 5xx are retried after Retry-After (or a short pause).
 */
final class LedgerClient {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String PASSWORD = "faults-pw";
    /** A single attempt longer than this counts as hung (and is retried). */
    static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(30);

    enum Outcome { ACKED, REFUSED, ANOMALY, UNRESOLVED }

    record Answer(Outcome outcome, String rule, List<String> eventIds, int attempts, String detail) {
    }

    /** Counters shared by all clients of a run; a window counts what was answered while a fault was on. */
    static final class Stats {
        final Map<String, AtomicLong> byStatus = new TreeMap<>();
        final Map<String, AtomicLong> inFaultWindow = new TreeMap<>();
        final AtomicLong maxAttemptMillis = new AtomicLong();
        final AtomicLong maxAttemptMillisInWindow = new AtomicLong();
        volatile boolean faultWindow;
        /** System.nanoTime() of the first 2xx after {@link #recoveryStartNanos}; 0 until then. */
        final AtomicLong firstAckAfterNanos = new AtomicLong();
        volatile long recoveryStartNanos = Long.MAX_VALUE;

        synchronized void count(String what, long millis) {
            byStatus.computeIfAbsent(what, k -> new AtomicLong()).incrementAndGet();
            maxAttemptMillis.accumulateAndGet(millis, Math::max);
            if (faultWindow) {
                inFaultWindow.computeIfAbsent(what, k -> new AtomicLong()).incrementAndGet();
                maxAttemptMillisInWindow.accumulateAndGet(millis, Math::max);
            }
        }

        /** A write acknowledged at {@code nanos}; it counts for recovery only if its attempt started after the fault. */
        void acked(long attemptStartNanos, long nanos) {
            if (attemptStartNanos >= recoveryStartNanos) {
                firstAckAfterNanos.compareAndSet(0, nanos);
            }
        }

        synchronized long count(String what) {
            AtomicLong n = byStatus.get(what);
            return n == null ? 0 : n.get();
        }

        synchronized long countInWindow(String what) {
            AtomicLong n = inFaultWindow.get(what);
            return n == null ? 0 : n.get();
        }

        synchronized Map<String, Long> windowSnapshot() {
            Map<String, Long> m = new TreeMap<>();
            inFaultWindow.forEach((k, v) -> m.put(k, v.get()));
            return m;
        }

        synchronized Map<String, Long> snapshot() {
            Map<String, Long> m = new TreeMap<>();
            byStatus.forEach((k, v) -> m.put(k, v.get()));
            return m;
        }
    }

    private final URI base;
    private final HttpClient http;
    private final Stats stats;

    LedgerClient(URI base, Stats stats) {
        this.base = base;
        this.stats = stats;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
    }

    URI base() {
        return base;
    }

    /** Sends until definitive or until {@code deadlineNanos} (then UNRESOLVED). */
    Answer write(String path, String user, String body, String key, long deadlineNanos) {
        int attempts = 0;
        String last = "";
        while (System.nanoTime() < deadlineNanos) {
            attempts++;
            HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(ATTEMPT_TIMEOUT)
                    .header("Authorization", basic(user)).header("Content-Type", "application/json")
                    .header("Idempotency-Key", key).POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
            long start = System.nanoTime();
            long pauseMillis = 200;
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                int status = response.statusCode();
                String retryAfter = response.headers().firstValue("Retry-After").orElse(null);
                stats.count(status == 503 ? (retryAfter == null ? "503 without Retry-After" : "503 with Retry-After") : String.valueOf(status), millis);
                last = status + " " + abbreviate(response.body());
                if (status >= 200 && status < 300) {
                    stats.acked(start, System.nanoTime());
                    List<String> ids = new ArrayList<>();
                    JSON.readTree(response.body()).path("eventIds").forEach(n -> ids.add(n.asText()));
                    return new Answer(Outcome.ACKED, null, ids, attempts, null);
                }
                if (status >= 400 && status < 500 && status != 409 && status != 429) {
                    JsonNode problem = JSON.readTree(response.body());
                    String rule = problem.path("rule").asText(null);
                    if (rule != null && !"IDEMPOTENCY_CONFLICT".equals(rule)) {
                        return new Answer(Outcome.REFUSED, rule, List.of(), attempts, null);
                    }
                    return new Answer(Outcome.ANOMALY, rule, List.of(), attempts, last);
                }
                if (status == 409) {
                    JsonNode problem = JSON.readTree(response.body());
                    String rule = problem.path("rule").asText(null);
                    if (rule != null) {
                        return new Answer(Outcome.REFUSED, rule, List.of(), attempts, null); // a rule conflict, e.g. a batch refusal
                    }
                }
                if (retryAfter != null) {
                    try {
                        pauseMillis = Math.min(5_000, Long.parseLong(retryAfter.trim()) * 1_000);
                    } catch (NumberFormatException e) {
                        pauseMillis = 1_000;
                    }
                }
            } catch (java.net.http.HttpTimeoutException e) {
                stats.count("attempt timed out (" + ATTEMPT_TIMEOUT.toSeconds() + " s)", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                last = "timeout";
            } catch (IOException e) {
                stats.count("no HTTP answer (connection refused/reset)", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Answer(Outcome.UNRESOLVED, null, List.of(), attempts, "interrupted");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(pauseMillis));
        }
        return new Answer(Outcome.UNRESOLVED, null, List.of(), attempts, last);
    }

    /** GET as the court of audit; null when there is no HTTP answer. */
    HttpResponse<String> get(String path) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(ATTEMPT_TIMEOUT)
                .header("Authorization", basic("court")).header("Accept", "application/json").GET().build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static String basic(String user) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
