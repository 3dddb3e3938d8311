package org.etat.projection;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.etat.ledger.budgetline.LineBalance;

/**
 * Where the money that left a line ended: spent on which line (and project), lapsed, blocked, or
 * still available.
 *
 * <p><b>What "left" means.</b> The money that left line L is what L reallocated out plus what it
 * carried into the next year (reversed moves excluded). Money L spent or let lapse itself never
 * left it.
 *
 * <p><b>Proportional attribution.</b> A receiving line mixes the money it received with its own
 * funds, so no euro is labelled. The rule: every outcome of a receiving line R — spent (per
 * project), lapsed, blocked, still available, carried into the next year, moved on to another line
 * — is split in proportion to the money R received from each source (its own appropriation,
 * amendments and consents, and every reallocation and carry-over into it). Money that moves on or is
 * carried is followed the same way to its next line, and again, until it ends; money that comes
 * back to a line it already passed is mixed in there like any other receipt. Shares are computed
 * with 50 significant digits, following cycles until less than 10^-12 cent is still moving.
 *
 * <p><b>Cents.</b> The trail is rounded once, at the end: each end gets the floor of its exact
 * share and the cents still missing go to the ends with the largest remainders (ties: in end
 * order). So every trail adds up exactly to the cents that left the line. The per-hop amounts
 * ({@link Hop}) are rounded half-up on their own and are informative only.
 */
public final class MoneyTrail {

    /** Stop following a cycle once less than this many cents are still moving. */
    private static final BigDecimal EPSILON_CENTS = new BigDecimal("1e-12");
    /** Explicit bound on propagation rounds; each round moves every pending amount one hop. */
    public static final int MAX_ROUNDS = 10_000;
    private static final MathContext MC = new MathContext(50, RoundingMode.HALF_EVEN);

    public enum EndKind {
        SPENT,
        LAPSED,
        BLOCKED,
        AVAILABLE,
        /** Still moving in a cycle when the bound was reached (normally rounds to zero cents). */
        CIRCULATING
    }

    /** One place money ended: a line, how, and for a spent amount the project (null: none named). */
    public record End(String lineId, int year, EndKind kind, String projectId, long amountCents) {
    }

    /** Money of this trail that passed from one line to another. */
    public record Hop(String fromLineId, String toLineId, boolean carryOver, long amountCents) {
    }

    /** The trail of one line: the cents that left it and where they ended; {@code ends} sum to {@code leftCents}. */
    public record Trail(String lineId, long leftCents, List<End> ends, List<Hop> hops) {
        public long endedCents() {
            return ends.stream().mapToLong(End::amountCents).sum();
        }
    }

    private final ReadModels models;
    private final Map<String, Node> nodes = new HashMap<>();

    public MoneyTrail(ReadModels models) {
        this.models = models;
    }

    /** The trail of a line (one title in one year). */
    public Trail of(String lineId) {
        Node start = node(lineId);
        long left = 0;
        Map<String, BigDecimal> pending = new TreeMap<>();
        Map<HopKey, BigDecimal> hops = new TreeMap<>(HopKey.ORDER);
        for (Outcome o : start.outcomes) {
            if (o.target != null) {
                left = Math.addExact(left, o.amountCents);
                pending.merge(o.target, BigDecimal.valueOf(o.amountCents), BigDecimal::add);
                hops.merge(new HopKey(lineId, o.target, o.kind == OutcomeKind.CARRIED), BigDecimal.valueOf(o.amountCents), BigDecimal::add);
            }
        }
        Map<EndKey, BigDecimal> ends = new TreeMap<>(EndKey.ORDER);
        for (int round = 0; round < MAX_ROUNDS && !pending.isEmpty(); round++) {
            BigDecimal moving = pending.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
            if (moving.compareTo(EPSILON_CENTS) < 0) {
                break;
            }
            Map<String, BigDecimal> next = new TreeMap<>();
            for (Map.Entry<String, BigDecimal> p : pending.entrySet()) {
                Node r = node(p.getKey());
                if (r.totalCents <= 0) {
                    throw new ProjectionException("line " + r.lineId + " received money but shows no sources", null);
                }
                for (Outcome o : r.outcomes) {
                    BigDecimal share = p.getValue().multiply(BigDecimal.valueOf(o.amountCents), MC)
                            .divide(BigDecimal.valueOf(r.totalCents), MC);
                    if (o.target != null) {
                        next.merge(o.target, share, BigDecimal::add);
                        hops.merge(new HopKey(r.lineId, o.target, o.kind == OutcomeKind.CARRIED), share, BigDecimal::add);
                    } else {
                        ends.merge(new EndKey(r.lineId, r.year, EndKind.valueOf(o.kind.name()), o.projectId), share, BigDecimal::add);
                    }
                }
            }
            pending = next;
        }
        for (Map.Entry<String, BigDecimal> p : pending.entrySet()) {
            Node r = node(p.getKey());
            ends.merge(new EndKey(r.lineId, r.year, EndKind.CIRCULATING, null), p.getValue(), BigDecimal::add);
        }
        List<EndKey> keys = new ArrayList<>(ends.keySet());
        long[] cents = largestRemainder(keys.stream().map(ends::get).toList(), left);
        List<End> result = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            if (cents[i] != 0) {
                EndKey k = keys.get(i);
                result.add(new End(k.lineId, k.year, k.kind, k.projectId, cents[i]));
            }
        }
        List<Hop> hopList = new ArrayList<>();
        hops.forEach((k, v) -> {
            long c = v.setScale(0, RoundingMode.HALF_UP).longValueExact();
            if (c != 0) {
                hopList.add(new Hop(k.from, k.to, k.carry, c));
            }
        });
        return new Trail(lineId, left, List.copyOf(result), List.copyOf(hopList));
    }

    /**
     * Integer cents for exact shares that should add up to {@code totalCents}: floors first, then one
     * more cent each to the largest remainders. Shares are rescaled to the total first, so the tiny
     * error of 50-digit arithmetic cannot leave a cent unassigned.
     */
    static long[] largestRemainder(List<BigDecimal> shares, long totalCents) {
        long[] out = new long[shares.size()];
        if (shares.isEmpty()) {
            if (totalCents != 0) {
                throw new IllegalStateException(totalCents + " cents left but no end was found");
            }
            return out;
        }
        BigDecimal sum = shares.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        if (sum.signum() <= 0) {
            throw new IllegalStateException(totalCents + " cents left but the ends add up to " + sum);
        }
        BigDecimal[] remainders = new BigDecimal[shares.size()];
        long assigned = 0;
        for (int i = 0; i < shares.size(); i++) {
            BigDecimal exact = shares.get(i).multiply(BigDecimal.valueOf(totalCents), MC).divide(sum, MC);
            BigDecimal floor = exact.setScale(0, RoundingMode.FLOOR);
            out[i] = floor.longValueExact();
            remainders[i] = exact.subtract(floor);
            assigned += out[i];
        }
        long missing = totalCents - assigned;
        Integer[] order = new Integer[shares.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, Comparator.comparing((Integer i) -> remainders[i]).reversed().thenComparing(i -> i));
        for (int k = 0; missing > 0; k = (k + 1) % order.length, missing--) {
            out[order[k]]++;
        }
        return out;
    }

    // ------------------------------------------------------------------ the graph, loaded lazily per line

    private enum OutcomeKind {
        SPENT,
        LAPSED,
        BLOCKED,
        AVAILABLE,
        CARRIED,
        MOVED
    }

    private record Outcome(OutcomeKind kind, String projectId, String target, long amountCents) {
    }

    private record Node(String lineId, int year, long totalCents, List<Outcome> outcomes) {
    }

    private Node node(String lineId) {
        Node n = nodes.get(lineId);
        if (n == null) {
            n = load(lineId);
            nodes.put(lineId, n);
        }
        return n;
    }

    /** Reads a line's outcomes. They add up to its sources: that is the availability formula. */
    private Node load(String lineId) {
        ReadModels.LineView line = models.line(lineId)
                .orElseThrow(() -> new ProjectionException("money trail reaches line " + lineId + ", which is not projected", null));
        LineBalance b = line.balance();
        ReadModelSchema s = models.schema();
        List<Outcome> outcomes = new ArrayList<>();
        long projectSpent = 0;
        for (Outcome o : models.query("SELECT project_id, sum(amount_cents) FROM " + s.table("expenditure")
                + " WHERE line_id = ? AND NOT reversed AND project_id IS NOT NULL GROUP BY 1 ORDER BY 1",
                rs -> new Outcome(OutcomeKind.SPENT, rs.getString(1), null, rs.getLong(2)), lineId)) {
            outcomes.add(o);
            projectSpent += o.amountCents;
        }
        outcomes.add(new Outcome(OutcomeKind.SPENT, null, null, b.spentCents() - projectSpent));
        outcomes.add(new Outcome(OutcomeKind.LAPSED, null, null, b.lapsedCents()));
        outcomes.add(new Outcome(OutcomeKind.BLOCKED, null, null, b.blockedCents()));
        outcomes.add(new Outcome(OutcomeKind.AVAILABLE, null, null, b.availableCents()));
        outcomes.addAll(models.query("SELECT to_line_id, sum(amount_cents) FROM " + s.table("carry_over")
                + " WHERE from_line_id = ? AND out_event_id IS NOT NULL AND NOT out_reversed GROUP BY 1 ORDER BY 1",
                rs -> new Outcome(OutcomeKind.CARRIED, null, rs.getString(1), rs.getLong(2)), lineId));
        outcomes.addAll(models.query("SELECT to_line_id, sum(amount_cents) FROM " + s.table("reallocation_flow")
                + " WHERE from_line_id = ? AND out_event_id IS NOT NULL AND NOT out_reversed GROUP BY 1 ORDER BY 1",
                rs -> new Outcome(OutcomeKind.MOVED, null, rs.getString(1), rs.getLong(2)), lineId));
        long total = 0;
        for (Outcome o : outcomes) {
            if (o.amountCents < 0) {
                throw new ProjectionException("line " + lineId + " has a negative outcome " + o, null);
            }
            total = Math.addExact(total, o.amountCents);
        }
        return new Node(lineId, line.year(), total, outcomes.stream().filter(o -> o.amountCents > 0).toList());
    }

    private record EndKey(String lineId, int year, EndKind kind, String projectId) {
        static final Comparator<EndKey> ORDER = Comparator.comparing(EndKey::lineId).thenComparing(EndKey::kind)
                .thenComparing(k -> Objects.toString(k.projectId, ""));
    }

    private record HopKey(String from, String to, boolean carry) {
        static final Comparator<HopKey> ORDER = Comparator.comparing(HopKey::from).thenComparing(HopKey::to)
                .thenComparing(HopKey::carry);
    }
}
