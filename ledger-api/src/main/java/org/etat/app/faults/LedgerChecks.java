package org.etat.app.faults;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.axonframework.serialization.json.JacksonSerializer;
import org.etat.app.audit.AuditService;
import org.etat.app.audit.JdbcAuditChainStore;
import org.etat.app.audit.JdbcRawEventReader;
import org.etat.app.axon.AxonJson;
import org.etat.app.ledger.EventLog;
import org.etat.app.projection.ReadModelProjection;
import org.etat.ledger.audit.VerificationResult;
import org.etat.ledger.budgetline.LineBalance;
import org.etat.ledger.common.LedgerMetadata;
import org.etat.ledger.common.LineEvent;
import org.etat.ledger.conservation.ConservationCheck;
import org.etat.ledger.conservation.ConservationReport;
import org.etat.ledger.money.Money;
import org.etat.projection.Digest;
import org.etat.projection.ProjectedEvent;
import org.etat.projection.ReadModelSchema;
import org.etat.projection.Rebuild;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The checks every run ends with, on the raw log (JDBC, independent of the nodes) and on what the
 * nodes serve: acknowledged entries in the log exactly once, refused ones absent, balances equal to
 * the clients' model on every node, conservation, the audit chain, and rebuild digests.
 */
final class LedgerChecks {

    private static final Duration CATCH_UP = Duration.ofSeconds(120);

    /** Findings of one check round; {@code failures} empty means everything held. */
    static final class Result {
        long acknowledged;
        long found;
        long lost;
        long duplicated;
        long refusedButRecorded;
        long unknownInLog;
        long events;
        final List<String> failures = new ArrayList<>();
        final List<String> notes = new ArrayList<>();

        void fail(String what) {
            if (failures.size() < 50) {
                failures.add(what);
            }
        }
    }

    private final DataSource dataSource;
    private final EventLog log;

    LedgerChecks(String jdbcUrl) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(jdbcUrl);
        ds.setUser(PgServer.USER);
        this.dataSource = ds;
        this.log = new EventLog(ds, JacksonSerializer.builder().objectMapper(AxonJson.newMapper()).lenientDeserialization().build());
    }

    Result run(Workload workload, List<LedgerClient> nodes, boolean clockChecks) throws SQLException {
        Result r = new Result();
        List<EventLog.StoredEvent> events = log.all();
        r.events = events.size();
        entriesExactlyOnce(workload, events, r);
        awaitCaughtUp(events.size(), r);
        balances(workload, nodes, r);
        ConservationReport conservation = ConservationCheck.check(events.stream().map(EventLog.StoredEvent::recorded).toList());
        if (!conservation.balanced()) {
            r.fail("conservation check failed: " + conservation.firstViolation());
        }
        VerificationResult chain = new AuditService(dataSource, new JdbcRawEventReader(), new JdbcAuditChainStore()).verifyChain();
        if (!(chain instanceof VerificationResult.Intact intact) || intact.eventsChecked() != events.size()) {
            r.fail("audit chain: " + chain + " (log holds " + events.size() + " events)");
        }
        rebuildDigests(events, r);
        if (clockChecks) {
            recordedTimes(events, nodes.get(0), r);
        }
        return r;
    }

    /** Every acknowledged write's events are in the log once (by request id = Idempotency-Key); refused writes left nothing. */
    private static void entriesExactlyOnce(Workload workload, List<EventLog.StoredEvent> events, Result r) {
        Map<String, List<String>> byRequest = new HashMap<>();
        for (EventLog.StoredEvent e : events) {
            Object requestId = e.metaData().get(LedgerMetadata.REQUEST_ID);
            byRequest.computeIfAbsent(requestId == null ? "" : requestId.toString(), k -> new ArrayList<>()).add(e.eventId());
        }
        Set<String> known = new HashSet<>();
        for (Workload.Op op : workload.ops) {
            known.add(op.key());
            List<String> logged = byRequest.getOrDefault(op.key(), List.of());
            long entries = op.legs().isEmpty() ? 1 : op.legs().size();
            switch (op.answer().outcome()) {
                case ACKED -> {
                    r.acknowledged += entries;
                    List<String> acked = op.answer().eventIds();
                    Set<String> distinct = new HashSet<>(logged);
                    if (logged.isEmpty()) {
                        r.lost += entries;
                        r.fail("lost: acknowledged " + op.kind() + " " + op.key() + " is not in the log");
                    } else if (distinct.size() != logged.size() || logged.size() > acked.size()) {
                        r.duplicated += logged.size() - acked.size();
                        r.found += entries;
                        r.fail("duplicated: " + op.key() + " has " + logged.size() + " events, acknowledged " + acked.size());
                    } else if (!distinct.equals(new HashSet<>(acked))) {
                        r.lost += entries;
                        r.fail("mismatch: " + op.key() + " logged " + logged + " but acknowledged " + acked);
                    } else {
                        r.found += entries;
                    }
                }
                case REFUSED -> {
                    if (!logged.isEmpty()) {
                        r.refusedButRecorded += entries;
                        r.fail("refused " + op.kind() + " " + op.key() + " (" + op.answer().rule() + ") is in the log");
                    }
                }
                case ANOMALY -> r.fail("unexpected answer for " + op.key() + ": " + op.answer().detail());
                case UNRESOLVED -> r.fail("no definitive answer for " + op.key() + " after " + op.answer().attempts() + " attempts: "
                        + op.answer().detail());
            }
        }
        for (String requestId : byRequest.keySet()) {
            if (!known.contains(requestId)) {
                r.unknownInLog += byRequest.get(requestId).size();
                r.fail("the log holds " + byRequest.get(requestId).size() + " events of request " + requestId + " that no client sent");
            }
        }
    }

    /** Waits until the projections and the audit chain have taken in every event of the log. */
    /** The raw log, in global order. */
    List<EventLog.StoredEvent> events() {
        return log.all();
    }

    /** The highest global index in the log (0 when empty). */
    long head() throws SQLException {
        return count("SELECT coalesce(max(global_index), 0) FROM domain_event_entry");
    }

    private void awaitCaughtUp(long events, Result r) throws SQLException {
        long deadline = System.nanoTime() + CATCH_UP.toNanos();
        long projected = -1;
        long chained = -1;
        while (System.nanoTime() < deadline) {
            projected = count("SELECT count(*) FROM domain_event_entry e JOIN projection.line_balance l ON "
                    + org.etat.app.projection.RebuildService.applied("l"));
            chained = count("SELECT count(*) FROM audit_chain");
            if (projected == events && chained == events) {
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
        r.fail("not caught up within " + CATCH_UP + ": " + events + " events, " + projected + " projected, " + chained + " chained");
    }

    /** Every node serves, for every line, the balance the clients' model expects (and the same JSON). */
    private static void balances(Workload workload, List<LedgerClient> nodes, Result r) {
        Map<String, Workload.Expected> expected = workload.expected();
        for (Map.Entry<String, Workload.Expected> line : expected.entrySet()) {
            Workload.Expected x = line.getValue();
            String first = null;
            for (LedgerClient node : nodes) {
                HttpResponse<String> response = node.get("/api/v1/lines/" + line.getKey());
                if (response == null || response.statusCode() != 200) {
                    r.fail(node.base() + " line " + line.getKey() + ": " + (response == null ? "no answer" : response.statusCode()));
                    continue;
                }
                JsonNode json;
                try {
                    json = LedgerClient.JSON.readTree(response.body());
                } catch (Exception e) {
                    r.fail(node.base() + " line " + line.getKey() + ": unreadable " + e);
                    continue;
                }
                compare(r, node, line.getKey(), "appropriated", x.appropriatedCents, json);
                compare(r, node, line.getKey(), "spent", x.spentCents, json);
                compare(r, node, line.getKey(), "reallocatedIn", x.reallocatedInCents, json);
                compare(r, node, line.getKey(), "reallocatedOut", x.reallocatedOutCents, json);
                compare(r, node, line.getKey(), "available", x.availableCents(), json);
                if (Money.parseSignedCents(json.path("available").asText()) < 0) {
                    r.fail("overspent: " + line.getKey() + " available " + json.path("available").asText());
                }
                if (first == null) {
                    first = response.body();
                } else if (!first.equals(response.body())) {
                    r.fail("nodes differ on " + line.getKey() + ": " + first + " vs " + response.body());
                }
            }
        }
    }

    private static void compare(Result r, LedgerClient node, String line, String field, long expectedCents, JsonNode json) {
        long served = Money.parseSignedCents(json.path(field).asText("0"));
        if (served != expectedCents) {
            r.fail(node.base() + " " + line + " " + field + " = " + Money.format(served) + ", clients' model says " + Money.format(expectedCents));
        }
    }

    /** A rebuild of every read model from the raw log gives the live tables' digests. */
    private void rebuildDigests(List<EventLog.StoredEvent> events, Result r) {
        List<ProjectedEvent> replay = events.stream()
                .map(e -> ReadModelProjection.toProjected(e.globalIndex(), e.eventId(), e.payload(), e.metaData(), null)).toList();
        Rebuild rebuild = new Rebuild(dataSource);
        rebuild.prepare();
        rebuild.feed(replay, 500);
        Map<String, String> shadow = Digest.of(dataSource, ReadModelSchema.SHADOW);
        Map<String, String> live = Digest.of(dataSource, ReadModelSchema.LIVE);
        if (!shadow.equals(live)) {
            Map<String, String> differing = new TreeMap<>();
            live.forEach((table, digest) -> {
                if (!Objects.equals(digest, shadow.get(table))) {
                    differing.put(table, digest + " vs rebuilt " + shadow.get(table));
                }
            });
            r.fail("rebuild digests differ: " + differing);
        }
    }

    /**
     * recordedAt never goes back along a line (its sequence order; entries of one write share an instant), and an as-of query "known at"
     * the instant an entry was recorded gives the line as it stood right after that entry.
     */
    private static void recordedTimes(List<EventLog.StoredEvent> events, LedgerClient node, Result r) {
        Map<String, List<EventLog.StoredEvent>> byLine = new LinkedHashMap<>();
        long globalInversions = 0;
        Instant previous = null;
        for (EventLog.StoredEvent e : events) {
            if (e.payload() instanceof LineEvent) {
                byLine.computeIfAbsent(((LineEvent) e.payload()).lineId(), k -> new ArrayList<>()).add(e);
            }
            Instant at = Instant.parse(e.metaData().get(LedgerMetadata.RECORDED_AT).toString());
            if (previous != null && at.isBefore(previous)) {
                globalInversions++;
            }
            previous = at;
        }
        r.notes.add("recordedAt inversions in global (commit-racing) order: " + globalInversions);
        int asOfChecked = 0;
        for (Map.Entry<String, List<EventLog.StoredEvent>> line : byLine.entrySet()) {
            List<EventLog.StoredEvent> seq = new ArrayList<>(line.getValue());
            seq.sort((a, b) -> Long.compare(a.sequenceNumber(), b.sequenceNumber()));
            LineBalance balance = LineBalance.ZERO;
            Instant last = null;
            int step = Math.max(1, seq.size() / 15);
            for (int i = 0; i < seq.size(); i++) {
                EventLog.StoredEvent e = seq.get(i);
                Instant at = Instant.parse(e.metaData().get(LedgerMetadata.RECORDED_AT).toString());
                // One instant per unit of work: a batch's entries on one line share it; it never goes back.
                if (last != null && at.isBefore(last)) {
                    r.fail("recordedAt goes back on line " + line.getKey() + " at sequence " + e.sequenceNumber() + ": " + at + " after " + last);
                }
                last = at;
                balance = balance.apply((LineEvent) e.payload());
                boolean lastOfInstant = i + 1 == seq.size()
                        || !Instant.parse(seq.get(i + 1).metaData().get(LedgerMetadata.RECORDED_AT).toString()).equals(at);
                if ((i % step == 0 || i + 1 == seq.size()) && lastOfInstant) {
                    asOfChecked++;
                    HttpResponse<String> response = node.get("/api/v1/lines/" + line.getKey() + "?knownAt="
                            + URLEncoder.encode(at.toString(), StandardCharsets.UTF_8));
                    try {
                        JsonNode json = LedgerClient.JSON.readTree(response.body());
                        if (Money.parseSignedCents(json.path("spent").asText()) != balance.spentCents()
                                || Money.parseSignedCents(json.path("available").asText()) != balance.availableCents()) {
                            r.fail("as-of " + line.getKey() + " knownAt=" + at + ": served spent " + json.path("spent").asText() + " available "
                                    + json.path("available").asText() + ", the log up to sequence " + e.sequenceNumber() + " says "
                                    + Money.format(balance.spentCents()) + " / " + Money.format(balance.availableCents()));
                        }
                    } catch (Exception ex) {
                        r.fail("as-of " + line.getKey() + ": " + (response == null ? "no answer" : response.statusCode() + " " + ex));
                    }
                }
            }
        }
        r.notes.add("as-of (knownAt) queries checked against the log: " + asOfChecked);
    }

    private long count(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
