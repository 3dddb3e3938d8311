package org.etat.app.faults;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.etat.ledger.money.Money;

/**
 * The clients' side of a run: worker threads that record single expenditures, batches and
 * reallocations over HTTP (each on its own node), and the reference model of what was acknowledged
 * and refused, from which the expected line balances follow.
 */
final class Workload {

    static final String YEAR = "2026";
    static final String COVER_GROUP = "FLT";
    static final String EFFECTIVE = "2026-03-02";

    /** What a worker does. */
    enum Mix { SPEND, REALLOCATE }

    /** One leg of a write: cents taken from {@code from} (null: none) and given to {@code to} (null: spent). */
    record Leg(String from, String to, long cents) {
    }

    /** One write, its key and its definitive outcome. */
    record Op(String key, String kind, String node, List<Leg> legs, LedgerClient.Answer answer) {
    }

    final ConcurrentLinkedQueue<Op> ops = new ConcurrentLinkedQueue<>();
    final Map<String, Long> appropriatedCents = new LinkedHashMap<>();
    private final String runId;
    private final long seed;
    private volatile boolean stop;
    /** Each start is a new generation of keys: a key is never reused for another write. */
    private int generation;
    private final List<Thread> threads = new ArrayList<>();

    Workload(String runId, long seed) {
        this.runId = runId;
        this.seed = seed;
    }

    /** Opens lines and enacts their appropriations (as the budget administrator), retrying like every client. */
    void openLines(LedgerClient client, Map<String, Long> centsByLine, long deadlineNanos) {
        for (Map.Entry<String, Long> line : centsByLine.entrySet()) {
            String id = line.getKey();
            String open = "{\"lineId\":\"" + id + "\",\"purpose\":\"Fault suite line\",\"kind\":\"EXPENDITURE\","
                    + "\"coverGroups\":[{\"id\":\"" + COVER_GROUP + "\",\"role\":\"MUTUAL\"}]}";
            record(client, "open", "/api/v1/lines", "budget", open, runId + "-open-" + id, List.of(), deadlineNanos);
            String enact = "{\"amount\":\"" + Money.format(line.getValue()) + "\",\"legalBasis\":\"Haushaltsgesetz " + YEAR
                    + "\",\"effectiveDate\":\"" + YEAR + "-01-01\"}";
            LedgerClient.Answer a = record(client, "appropriation", "/api/v1/lines/" + id + "/appropriations", "budget", enact,
                    runId + "-enact-" + id, List.of(new Leg(null, id, line.getValue())), deadlineNanos);
            if (a.outcome() == LedgerClient.Outcome.ACKED) {
                synchronized (appropriatedCents) {
                    appropriatedCents.put(id, line.getValue());
                }
            }
        }
    }

    /** Starts {@code workersPerClient} threads per client; each loops until {@link #stopAndJoin}. */
    void start(List<LedgerClient> clients, int workersPerClient, List<String> lines, Mix mix, long maxCents, long deadlineNanos) {
        int n = 0;
        int gen = ++generation;
        for (LedgerClient client : clients) {
            for (int w = 0; w < workersPerClient; w++) {
                int worker = n++;
                Random random = new Random(seed * 31 + gen * 1_000 + worker);
                Thread t = new Thread(() -> loop(client, "g" + gen + "-w" + worker, worker, random, lines, mix, maxCents, deadlineNanos), runId + "-worker-" + worker);
                t.setDaemon(true);
                threads.add(t);
                t.start();
            }
        }
    }

    /** Workers finish their current write (retrying it to a definitive answer) and stop. */
    void stopAndJoin() throws InterruptedException {
        stop = true;
        for (Thread t : threads) {
            t.join();
        }
        threads.clear();
        stop = false;
    }

    private void loop(LedgerClient client, String keyPrefix, int worker, Random random, List<String> lines, Mix mix, long maxCents, long deadlineNanos) {
        long seq = 0;
        while (!stop && System.nanoTime() < deadlineNanos) {
            String key = runId + "-" + keyPrefix + "-" + seq++;
            int dice = random.nextInt(100);
            if (mix == Mix.REALLOCATE && dice < 70) {
                // Opposite directions on purpose: even workers give from the first line, odd ones from the second.
                String a = lines.get(0);
                String b = lines.get(1);
                boolean forward = (worker + seq) % 2 == 0;
                String from = forward ? a : b;
                String to = forward ? b : a;
                long cents = 100 + random.nextLong(maxCents);
                String body = "{\"fromLineId\":\"" + from + "\",\"toLineId\":\"" + to + "\",\"amount\":\"" + Money.format(cents)
                        + "\",\"legalBasis\":{\"kind\":\"COVER_GROUP\",\"reference\":\"" + COVER_GROUP + "\"},"
                        + "\"justification\":\"Fault suite\",\"effectiveDate\":\"" + EFFECTIVE + "\"}";
                record(client, "reallocation", "/api/v1/reallocations", "finance", body, key, List.of(new Leg(from, to, cents)), deadlineNanos);
            } else if (dice < 65 || mix == Mix.REALLOCATE) {
                String line = lines.get(random.nextInt(mix == Mix.REALLOCATE ? 2 : lines.size()));
                long cents = 1 + random.nextLong(maxCents);
                record(client, "single", "/api/v1/lines/" + line + "/expenditures", "finance", expenditure(line, cents, key, false), key,
                        List.of(new Leg(line, null, cents)), deadlineNanos);
            } else {
                int size = 2 + random.nextInt(19);
                StringBuilder body = new StringBuilder("{\"entries\":[");
                List<Leg> legs = new ArrayList<>();
                for (int i = 0; i < size; i++) {
                    String line = lines.get(random.nextInt(lines.size()));
                    long cents = 1 + random.nextLong(maxCents);
                    body.append(i == 0 ? "" : ",").append(expenditure(line, cents, key + "-" + i, true));
                    legs.add(new Leg(line, null, cents));
                }
                body.append("]}");
                record(client, "batch", "/api/v1/expenditure-batches", "finance", body.toString(), key, legs, deadlineNanos);
            }
        }
    }

    private static String expenditure(String line, long cents, String document, boolean withLine) {
        return "{" + (withLine ? "\"lineId\":\"" + line + "\"," : "") + "\"amount\":\"" + Money.format(cents) + "\",\"effectiveDate\":\""
                + EFFECTIVE + "\",\"purpose\":\"Fault suite\",\"documentReference\":\"" + document + "\"}";
    }

    private LedgerClient.Answer record(LedgerClient client, String kind, String path, String user, String body, String key, List<Leg> legs,
            long deadlineNanos) {
        LedgerClient.Answer answer = client.write(path, user, body, key, deadlineNanos);
        ops.add(new Op(key, kind, client.base().toString(), legs, answer));
        return answer;
    }

    /** Entries (legs) of writes that reached a state, by outcome. */
    long entries(LedgerClient.Outcome outcome) {
        return ops.stream().filter(o -> o.answer().outcome() == outcome).mapToLong(o -> o.legs().isEmpty() ? 1 : o.legs().size()).sum();
    }

    long entriesAttempted() {
        return ops.stream().mapToLong(o -> o.legs().isEmpty() ? 1 : o.legs().size()).sum();
    }

    /** The balance every line must show, folded from the acknowledged writes only. */
    Map<String, Expected> expected() {
        Map<String, Expected> m = new LinkedHashMap<>();
        for (Op op : ops) {
            if (op.answer().outcome() != LedgerClient.Outcome.ACKED) {
                continue;
            }
            for (Leg leg : op.legs()) {
                switch (op.kind()) {
                    case "appropriation" -> m.computeIfAbsent(leg.to(), k -> new Expected()).appropriatedCents += leg.cents();
                    case "single", "batch" -> m.computeIfAbsent(leg.from(), k -> new Expected()).spentCents += leg.cents();
                    case "reallocation" -> {
                        m.computeIfAbsent(leg.from(), k -> new Expected()).reallocatedOutCents += leg.cents();
                        m.computeIfAbsent(leg.to(), k -> new Expected()).reallocatedInCents += leg.cents();
                    }
                    default -> { }
                }
            }
        }
        return m;
    }

    static final class Expected {
        long appropriatedCents;
        long spentCents;
        long reallocatedInCents;
        long reallocatedOutCents;

        long availableCents() {
            return appropriatedCents + reallocatedInCents - reallocatedOutCents - spentCents;
        }
    }

    static long sleepMillis(long millis) {
        java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(millis));
        return millis;
    }
}
