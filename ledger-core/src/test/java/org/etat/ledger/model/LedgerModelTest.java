package org.etat.ledger.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.etat.ledger.budgetline.BudgetLine.LineView;
import org.etat.ledger.budgetline.CoverGroup;
import org.etat.ledger.budgetline.CoverGroup.CoverRole;
import org.etat.ledger.budgetline.LineBalance;
import org.etat.ledger.common.LedgerRejection;
import org.etat.ledger.common.Receipt;
import org.etat.ledger.common.Rule;
import org.etat.ledger.conservation.ConservationCheck;
import org.etat.ledger.conservation.ConservationReport;
import org.etat.ledger.reallocation.LegalBasis;
import org.etat.ledger.testing.Commands;
import org.etat.ledger.testing.InMemoryLedger;
import org.junit.jupiter.api.Test;

/**
 * Model-based randomized test: random command sequences run against the real handlers (in-memory
 * Axon) and against a small reference model of the balances written here, independent of
 * LineBalance. After every step the model and the ledger agree on acceptance, on the refusing rule,
 * on every line's components, and the conservation check over the whole log is balanced.
 *
 * <p>Replay a failure with {@code -Detat.seed=N}; scale with {@code -Detat.steps=N} (total steps,
 * split into episodes of {@value #EPISODE_STEPS} steps, each on a fresh ledger).
 */
class LedgerModelTest {

    static final int EPISODE_STEPS = 150;
    static final int DEFAULT_STEPS = 1_500;
    static final int[] YEARS = {2024, 2025, 2026, 2027}; // 2024 money may reach 2026, never 2027 (§ 45)
    static final String GROUP = "G";

    private int totalAccepted;
    private final Map<Rule, Integer> totalRefused = new java.util.EnumMap<>(Rule.class);

    /** Title, transferable, role in cover group G (null: not in G). Revenue title last. */
    record Title(String kapitel, String titel, boolean transferable, CoverRole role, boolean revenue) {
        String lineId(int year) {
            return year + "-" + kapitel + "-" + titel;
        }
    }

    static final List<Title> TITLES = List.of(
            new Title("08030", "54669", true, CoverRole.MUTUAL, false),
            new Title("08030", "63369", false, CoverRole.RECEIVES, false),
            new Title("08020", "68669", true, CoverRole.GIVES, false),
            new Title("08030", "52701", false, null, false),
            new Title("08030", "11969", false, null, true));

    @Test
    void ledgerAgreesWithTheReferenceModel() {
        long seed = Long.getLong("etat.seed", System.nanoTime());
        int steps = Integer.getInteger("etat.steps", DEFAULT_STEPS);
        try {
            Random random = new Random(seed);
            int done = 0;
            while (done < steps) {
                int n = Math.min(EPISODE_STEPS, steps - done);
                new Episode(random).run(n);
                done += n;
            }
            System.out.println("LedgerModelTest seed=" + seed + " steps=" + steps + " accepted=" + totalAccepted + " refused=" + totalRefused);
            // Not vacuous: most commands pass, and refusals come from many rules.
            assertThat(totalAccepted).isGreaterThan(steps / 4);
            assertThat(totalRefused.keySet().size()).isGreaterThanOrEqualTo(Math.min(10, steps / 100));
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("model-based test failed; replay with -Detat.seed=" + seed + ": " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------ the reference model

    /** One line's balance, in cents, as budget law defines it; deliberately not LineBalance. */
    static final class ModelLine {
        final String id;
        final int year;
        final Title title;
        boolean enacted;
        long appropriated, amended, blocked, consented, reallocatedIn, reallocatedOut, carriedIn, carriedOut, spent, revenue, lapsed;
        /** Carried money by the year it was granted in (§ 45). */
        final TreeMap<Integer, Long> carriedInByGrant = new TreeMap<>(), carriedOutByGrant = new TreeMap<>();

        ModelLine(String id, int year, Title title) {
            this.id = id;
            this.year = year;
            this.title = title;
        }

        long available() {
            return appropriated + amended + carriedIn + reallocatedIn + consented
                    - reallocatedOut - carriedOut - blocked - spent - lapsed;
        }

        boolean expenditure() {
            return !title.revenue;
        }

        /**
         * What is left of each grant year's money, oldest first: uses (spent, moved away, blocked,
         * lapsed) eat the oldest remainders first; the line's own year takes the rest.
         */
        TreeMap<Integer, Long> leftByGrant() {
            long uses = spent + reallocatedOut + blocked + lapsed;
            long availableLeft = Math.max(0, available());
            TreeMap<Integer, Long> left = new TreeMap<>();
            for (int grant = year - 3; grant < year; grant++) {
                long have = carriedInByGrant.getOrDefault(grant, 0L) - carriedOutByGrant.getOrDefault(grant, 0L);
                long eaten = Math.min(Math.max(0, have), uses);
                uses -= eaten;
                long rest = Math.min(Math.max(0, have - eaten), availableLeft);
                availableLeft -= rest;
                if (rest > 0) {
                    left.put(grant, rest);
                }
            }
            if (availableLeft > 0) {
                left.put(year, availableLeft);
            }
            return left;
        }

        /** Money whose grant was two or more years before this line's year may not leave it (§ 45). */
        long carryable() {
            return leftByGrant().entrySet().stream().filter(e -> e.getKey() >= year - 1).mapToLong(Map.Entry::getValue).sum();
        }

        TreeMap<Integer, Long> carrySplit(long amount) {
            TreeMap<Integer, Long> split = new TreeMap<>();
            for (Map.Entry<Integer, Long> e : leftByGrant().entrySet()) {
                if (e.getKey() >= year - 1 && amount > 0) {
                    long take = Math.min(amount, e.getValue());
                    split.put(e.getKey(), take);
                    amount -= take;
                }
            }
            return split;
        }

        void addByGrant(String component, Map<Integer, Long> cents, long sign) {
            TreeMap<Integer, Long> target = component.equals("carriedIn") ? carriedInByGrant : carriedOutByGrant;
            cents.forEach((grant, c) -> target.merge(grant, sign * c, Long::sum));
        }

        boolean mayGive() {
            return title.role == CoverRole.MUTUAL || title.role == CoverRole.GIVES;
        }

        boolean mayReceive() {
            return title.role == CoverRole.MUTUAL || title.role == CoverRole.RECEIVES;
        }

        /** Adds to a component named as in the event; the model's own switch. */
        void add(String component, long delta) {
            switch (component) {
                case "appropriated" -> appropriated += delta;
                case "amended" -> amended += delta;
                case "blocked" -> blocked += delta;
                case "consented" -> consented += delta;
                case "reallocatedIn" -> reallocatedIn += delta;
                case "reallocatedOut" -> reallocatedOut += delta;
                case "carriedIn" -> carriedIn += delta;
                case "carriedOut" -> carriedOut += delta;
                case "spent" -> spent += delta;
                case "revenue" -> revenue += delta;
                default -> throw new IllegalArgumentException(component);
            }
        }

        /** How much a change of the component lowers what is available. */
        static long lowersAvailable(String component, long delta) {
            return switch (component) {
                case "appropriated", "amended", "carriedIn", "reallocatedIn", "consented" -> -delta;
                case "revenue" -> 0;
                default -> delta;
            };
        }
    }

    /**
     * A recorded entry that a reversal may name. {@code component} null: not reversible.
     * {@code link}: the key both legs share (null for a one-leg entry); {@code lines}: the lines a
     * reversal touches, with the change each line's component gets.
     */
    record Entry(String eventId, String lineId, String component, long reversalDelta, String link, Map<String, String[]> legs,
            int dateYear) {
    }

    final class Episode {
        final Random random;
        final Map<String, ModelLine> lines = new TreeMap<>();
        final Set<Integer> closedYears = new HashSet<>();
        final Set<String> reversedKeys = new HashSet<>();
        final List<Entry> entries = new ArrayList<>();
        /** A carry-over's split by grant year, by the model's link id. */
        final Map<String, Map<Integer, Long>> vintagesOfLink = new HashMap<>();
        final InMemoryLedger ledger = new InMemoryLedger();
        int accepted;
        final Map<Rule, Integer> refusedByRule = new java.util.EnumMap<>(Rule.class);
        int step;
        int episodeSteps;
        String lastCommand;

        Episode(Random random) {
            this.random = random;
        }

        void run(int steps) {
            episodeSteps = steps;
            try (ledger) {
                for (step = 0; step < steps; step++) {
                    step();
                    verify();
                }
            }
            totalAccepted += accepted;
            refusedByRule.forEach((rule, n) -> totalRefused.merge(rule, n, Integer::sum));
        }

        // -------------------------------------------------------------- generation

        String anyLineId() {
            Title t = TITLES.get(random.nextInt(TITLES.size()));
            return t.lineId(YEARS[random.nextInt(YEARS.length)]);
        }

        ModelLine anyOpenLine() {
            List<ModelLine> open = new ArrayList<>(lines.values());
            return open.isEmpty() ? null : open.get(random.nextInt(open.size()));
        }

        ModelLine anyOpenLineOf(int year) {
            List<ModelLine> open = lines.values().stream().filter(l -> l.year == year).toList();
            return open.get(random.nextInt(open.size()));
        }

        LocalDate dateIn(int year) {
            if (random.nextInt(20) == 0) {
                return LocalDate.of(random.nextBoolean() ? year - 1 : year + 1, 1 + random.nextInt(12), 1 + random.nextInt(28));
            }
            return LocalDate.ofYearDay(year, 1 + random.nextInt(365));
        }

        long amount(long reference) {
            return switch (random.nextInt(6)) {
                case 0 -> 1 + random.nextInt(100);
                case 1 -> Math.max(1, reference);
                case 2 -> reference + 1;
                case 3 -> 1 + (long) random.nextInt(Math.max(1, (int) Math.min(Integer.MAX_VALUE - 1, reference * 2 + 10)));
                case 4 -> Math.max(1, reference / 2);
                default -> 1_000 + random.nextInt(100_000);
            };
        }

        void step() {
            if (lines.size() < 4 || random.nextInt(15) == 0) {
                open(anyLineId());
                return;
            }
            ModelLine line = anyOpenLine();
            int kind = random.nextInt(100);
            if (kind < 12) {
                enact(line);
            } else if (kind < 20) {
                amend(line);
            } else if (kind < 27) {
                block(line);
            } else if (kind < 33) {
                release(line);
            } else if (kind < 38) {
                consent(line);
            } else if (kind < 50) {
                spend(line);
            } else if (kind < 55) {
                batch();
            } else if (kind < 60) {
                revenue(line);
            } else if (kind < 72) {
                reallocate(line, random.nextInt(5) == 0 ? anyOpenLine() : anyOpenLineOf(line.year));
            } else if (kind < 80) {
                carryOver(line);
            } else if (kind < 97 || step < episodeSteps * 2 / 3) {
                reverse(); // years close only late in an episode, so most steps see open years
            } else {
                closeYear(YEARS[random.nextInt(YEARS.length)]);
            }
        }

        // -------------------------------------------------------------- commands: expected rule, then send

        Rule openForEntries(ModelLine line, LocalDate date) {
            if (closedYears.contains(line.year)) {
                return Rule.YEAR_CLOSED;
            }
            if (date.getYear() != line.year) {
                return Rule.EFFECTIVE_DATE_OUTSIDE_YEAR;
            }
            return null;
        }

        void open(String lineId) {
            int year = Integer.parseInt(lineId.substring(0, 4));
            Title title = TITLES.stream().filter(t -> t.lineId(year).equals(lineId)).findFirst().orElseThrow();
            Rule expected = lines.containsKey(lineId) ? Rule.LINE_ALREADY_OPEN : closedYears.contains(year) ? Rule.YEAR_CLOSED : null;
            CoverGroup[] groups = title.role == null ? new CoverGroup[0] : new CoverGroup[] {new CoverGroup(GROUP, title.role)};
            Receipt r = send(expected, Commands.open(lineId, title.transferable, groups));
            if (r != null) {
                lines.put(lineId, new ModelLine(lineId, year, title));
                entries.add(new Entry(r.eventIds().get(0), lineId, null, 0, null, null, year));
            }
        }

        void enact(ModelLine line) {
            LocalDate date = dateIn(line.year);
            long amount = amount(50_000);
            Rule expected = openForEntries(line, date);
            if (expected == null && line.enacted) {
                expected = Rule.APPROPRIATION_ALREADY_ENACTED;
            }
            Receipt r = send(expected, Commands.enact(line.id, amount, date));
            if (r != null) {
                line.enacted = true;
                line.appropriated += amount;
                oneLeg(r, line, "appropriated", -amount);
            }
        }

        void amend(ModelLine line) {
            LocalDate date = dateIn(line.year);
            long delta = random.nextBoolean() ? amount(10_000) : -amount(line.expenditure() ? line.available() : line.appropriated + line.amended);
            Rule expected = openForEntries(line, date);
            if (expected == null && line.appropriated + line.amended + delta < 0) {
                expected = Rule.APPROPRIATION_BELOW_ZERO;
            } else if (expected == null && line.expenditure() && delta < 0 && -delta > line.available()) {
                expected = Rule.INSUFFICIENT_FUNDS;
            }
            Receipt r = send(expected, Commands.amend(line.id, delta, date));
            if (r != null) {
                line.amended += delta;
                oneLeg(r, line, "amended", -delta);
            }
        }

        Rule expenditureOnly(ModelLine line, LocalDate date) {
            Rule open = openForEntries(line, date);
            return open != null ? open : line.expenditure() ? null : Rule.REVENUE_LINE_HAS_NO_FUNDS;
        }

        void block(ModelLine line) {
            LocalDate date = dateIn(line.year);
            long amount = amount(line.available());
            Rule expected = expenditureOnly(line, date);
            if (expected == null && amount > line.available()) {
                expected = Rule.INSUFFICIENT_FUNDS;
            }
            Receipt r = send(expected, Commands.block(line.id, amount, date));
            if (r != null) {
                line.blocked += amount;
                oneLeg(r, line, "blocked", -amount);
            }
        }

        void release(ModelLine line) {
            LocalDate date = dateIn(line.year);
            long amount = amount(line.blocked);
            Rule expected = expenditureOnly(line, date);
            if (expected == null && amount > line.blocked) {
                expected = Rule.RELEASE_EXCEEDS_BLOCK;
            }
            Receipt r = send(expected, Commands.release(line.id, amount, date));
            if (r != null) {
                line.blocked -= amount;
                oneLeg(r, line, "blocked", amount);
            }
        }

        void consent(ModelLine line) {
            LocalDate date = dateIn(line.year);
            long amount = amount(5_000);
            Rule expected = expenditureOnly(line, date);
            Receipt r = send(expected, Commands.consent(line.id, amount, date));
            if (r != null) {
                line.consented += amount;
                oneLeg(r, line, "consented", -amount);
            }
        }

        void spend(ModelLine line) {
            LocalDate date = dateIn(line.year);
            long amount = amount(line.available());
            Rule expected = openForEntries(line, date);
            if (expected == null && !line.expenditure()) {
                expected = Rule.REVENUE_LINE_CANNOT_BE_SPENT;
            } else if (expected == null && amount > line.available()) {
                expected = Rule.INSUFFICIENT_FUNDS;
            }
            Receipt r = send(expected, Commands.spend(line.id, amount, date));
            if (r != null) {
                line.spent += amount;
                oneLeg(r, line, "spent", -amount);
            }
        }

        /** A batch of expenditures and revenues: decided in order on the running balance, all or nothing. */
        void batch() {
            int size = 1 + random.nextInt(4);
            List<org.etat.ledger.batch.BatchEntry> batch = new ArrayList<>();
            List<EntryError> expectedErrors = new ArrayList<>();
            Map<String, Long> pendingSpent = new HashMap<>();
            Map<String, Long> pendingRevenue = new HashMap<>();
            for (int i = 0; i < size; i++) {
                String lineId = random.nextInt(12) == 0 ? anyLineId() : anyOpenLine().id;
                ModelLine line = lines.get(lineId);
                boolean spend = random.nextInt(4) > 0;
                int year = Integer.parseInt(lineId.substring(0, 4));
                LocalDate date = dateIn(year);
                long left = line == null ? 0 : line.available() - pendingSpent.getOrDefault(lineId, 0L);
                long amount = amount(left);
                batch.add(new org.etat.ledger.batch.BatchEntry(spend ? org.etat.ledger.batch.BatchEntry.Kind.EXPENDITURE
                        : org.etat.ledger.batch.BatchEntry.Kind.REVENUE, lineId, amount, date, "p", "B-" + step + "-" + i, null, null));
                Rule rule;
                if (line == null) {
                    rule = Rule.LINE_NOT_OPEN;
                } else {
                    rule = openForEntries(line, date);
                    if (rule == null && spend && !line.expenditure()) {
                        rule = Rule.REVENUE_LINE_CANNOT_BE_SPENT;
                    } else if (rule == null && !spend && line.expenditure()) {
                        rule = Rule.EXPENDITURE_LINE_TAKES_NO_REVENUE;
                    } else if (rule == null && spend && amount > left) {
                        rule = Rule.INSUFFICIENT_FUNDS;
                    }
                }
                if (rule != null) {
                    expectedErrors.add(new EntryError(i, rule));
                } else if (spend) {
                    pendingSpent.merge(lineId, amount, Long::sum);
                } else {
                    pendingRevenue.merge(lineId, amount, Long::sum);
                }
            }
            org.etat.ledger.batch.RecordBatch command = new org.etat.ledger.batch.RecordBatch(batch);
            if (!expectedErrors.isEmpty()) {
                lastCommand = command.toString();
                int before = ledger.log().size();
                try {
                    ledger.send(command);
                    fail("step " + step + ": expected batch refusal " + expectedErrors + " but accepted: " + command);
                } catch (LedgerRejection e) {
                    refusedByRule.merge(e.rule(), 1, Integer::sum);
                    assertThat(e.rule()).isEqualTo(Rule.BATCH_REJECTED);
                    assertThat(e.entryErrors().stream().map(x -> new EntryError(x.index(), x.rule())).toList())
                            .as("step %d: per-entry errors of %s", step, command).isEqualTo(expectedErrors);
                    assertThat(ledger.log()).as("step %d: a refused batch records nothing", step).hasSize(before);
                }
                return;
            }
            Receipt r = send(null, command);
            assertThat(r.eventIds()).hasSize(size);
            for (int i = 0; i < size; i++) {
                org.etat.ledger.batch.BatchEntry e = batch.get(i);
                ModelLine line = lines.get(e.lineId());
                boolean spend = e.kind() == org.etat.ledger.batch.BatchEntry.Kind.EXPENDITURE;
                line.add(spend ? "spent" : "revenue", e.amountCents());
                entries.add(new Entry(r.eventIds().get(i), line.id, spend ? "spent" : "revenue", -e.amountCents(), null, null, line.year));
            }
        }

        record EntryError(int index, Rule rule) {
        }

        void revenue(ModelLine line) {
            LocalDate date = dateIn(line.year);
            long amount = amount(1_000);
            Rule expected = openForEntries(line, date);
            if (expected == null && line.expenditure()) {
                expected = Rule.EXPENDITURE_LINE_TAKES_NO_REVENUE;
            }
            Receipt r = send(expected, Commands.revenue(line.id, amount, date));
            if (r != null) {
                line.revenue += amount;
                oneLeg(r, line, "revenue", -amount);
            }
        }

        void reallocate(ModelLine from, ModelLine toOpen) {
            // Sometimes a line that is not open, to see LINE_NOT_OPEN.
            String toId = random.nextInt(10) == 0 ? anyLineId() : toOpen.id;
            ModelLine to = lines.get(toId);
            LocalDate date = dateIn(from.year);
            long amount = amount(from.available());
            boolean byGroup = random.nextInt(3) > 0;
            LegalBasis basis = byGroup ? LegalBasis.coverGroup(GROUP) : LegalBasis.consent("FM-" + step);
            Rule expected;
            if (from.id.equals(toId)) {
                expected = Rule.REALLOCATION_WITHIN_ONE_LINE;
            } else if (to == null) {
                expected = Rule.LINE_NOT_OPEN;
            } else if (from.year != to.year) {
                expected = Rule.REALLOCATION_ACROSS_YEARS;
            } else if (!from.expenditure() || !to.expenditure()) {
                expected = Rule.REVENUE_LINE_HAS_NO_FUNDS;
            } else if (byGroup && !(from.mayGive() && to.mayReceive())) {
                expected = Rule.REALLOCATION_NEEDS_COVER;
            } else {
                expected = openForEntries(from, date);
                if (expected == null && amount > from.available()) {
                    expected = Rule.INSUFFICIENT_FUNDS;
                }
            }
            Receipt r = send(expected, Commands.reallocate(from.id, toId, amount, basis, date));
            if (r != null) {
                from.reallocatedOut += amount;
                to.reallocatedIn += amount;
                Map<String, String[]> legs = new LinkedHashMap<>();
                legs.put(from.id, new String[] {"reallocatedOut", Long.toString(-amount)});
                legs.put(to.id, new String[] {"reallocatedIn", Long.toString(-amount)});
                twoLegs(r, legs, from.year);
            }
        }

        void carryOver(ModelLine picked) {
            // Half the time a line holding a remainder, so remainders travel on until § 45 stops them.
            List<ModelLine> holding = lines.values().stream().filter(l -> l.carriedIn > 0).toList();
            ModelLine from = holding.isEmpty() || random.nextBoolean() ? picked : holding.get(random.nextInt(holding.size()));
            int toYear = from.year + 1;
            String toId = from.title.lineId(toYear);
            if (!lines.containsKey(toId) && random.nextBoolean() && TITLES.contains(from.title) && toYear <= YEARS[YEARS.length - 1]) {
                open(toId);
            }
            ModelLine to = lines.get(toId);
            LocalDate date = dateIn(from.year);
            long amount = random.nextBoolean() ? amount(from.available()) : amount(from.carryable());
            Rule expected;
            if (to == null) {
                expected = Rule.CARRY_OVER_TARGET_INVALID;
            } else {
                expected = expenditureOnly(from, date);
                if (expected == null && !from.title.transferable) {
                    expected = Rule.CARRY_OVER_NOT_TRANSFERABLE;
                } else if (expected == null && amount > from.available()) {
                    expected = Rule.INSUFFICIENT_FUNDS;
                } else if (expected == null && amount > from.carryable()) {
                    expected = Rule.REMAINDER_EXPIRED;
                } else if (expected == null && closedYears.contains(toYear)) {
                    expected = Rule.YEAR_CLOSED;
                }
            }
            TreeMap<Integer, Long> split = expected == null ? from.carrySplit(amount) : null;
            Receipt r = send(expected, Commands.carryOver(from.id, amount, date));
            if (r != null) {
                from.carriedOut += amount;
                to.carriedIn += amount;
                from.addByGrant("carriedOut", split, 1);
                to.addByGrant("carriedIn", split, 1);
                Object outLeg = ledger.eventsOf(from.id).get(ledger.eventsOf(from.id).size() - 1);
                Object inLeg = ledger.eventsOf(to.id).get(ledger.eventsOf(to.id).size() - 1);
                assertThat(((org.etat.ledger.carryover.RemainderCarriedOut) outLeg).grantYearCents()).as("step %d: out-leg by grant year", step)
                        .isEqualTo(split);
                assertThat(((org.etat.ledger.carryover.RemainderCarriedIn) inLeg).grantYearCents()).as("step %d: in-leg by grant year", step)
                        .isEqualTo(split);
                vintagesOfLink.put("link-" + step, split);
                Map<String, String[]> legs = new LinkedHashMap<>();
                legs.put(from.id, new String[] {"carriedOut", Long.toString(-amount)});
                legs.put(to.id, new String[] {"carriedIn", Long.toString(-amount)});
                twoLegs(r, legs, from.year);
            }
        }

        void reverse() {
            if (entries.isEmpty() || random.nextInt(30) == 0) {
                send(Rule.REVERSAL_TARGET_UNKNOWN, Commands.reverse("no-such-event-" + step, LocalDate.of(2024, 6, 1)));
                return;
            }
            Entry target = entries.get(random.nextInt(entries.size()));
            LocalDate date = dateIn(target.dateYear);
            Rule expected = target.link == null ? expectOneLegReversal(target, date) : expectTwoLegReversal(target, date);
            Receipt r = send(expected, Commands.reverse(target.eventId, date));
            if (r == null) {
                return;
            }
            if (target.link == null) {
                ModelLine line = lines.get(target.lineId);
                line.add(target.component, target.reversalDelta);
                if (target.component.equals("appropriated")) {
                    line.enacted = false;
                }
                reversedKeys.add(target.eventId + "@" + target.lineId);
            } else {
                target.legs.forEach((lineId, leg) -> {
                    lines.get(lineId).add(leg[0], Long.parseLong(leg[1]));
                    if (leg[0].startsWith("carried")) {
                        lines.get(lineId).addByGrant(leg[0], vintagesOfLink.get(target.link), -1);
                    }
                    reversedKeys.add(target.link + "@" + lineId);
                });
            }
            // A reversal is itself recorded, one event per line in ascending line order; it is not reversible.
            List<String> touched = target.link == null ? List.of(target.lineId) : new ArrayList<>(new java.util.TreeSet<>(target.legs.keySet()));
            assertThat(r.eventIds()).as("one reversal event per line").hasSameSizeAs(touched);
            for (int i = 0; i < touched.size(); i++) {
                entries.add(new Entry(r.eventIds().get(i), touched.get(i), null, 0, null, null, lines.get(touched.get(i)).year));
            }
        }

        Rule expectOneLegReversal(Entry target, LocalDate date) {
            ModelLine line = lines.get(target.lineId);
            Rule open = openForEntries(line, date);
            if (open != null) {
                return open;
            }
            if (target.component == null) {
                return Rule.ENTRY_NOT_REVERSIBLE;
            }
            if (reversedKeys.contains(target.eventId + "@" + line.id)) {
                return Rule.ENTRY_ALREADY_REVERSED;
            }
            return effect(line, target.component, target.reversalDelta);
        }

        Rule effect(ModelLine line, String component, long delta) {
            if ((component.equals("appropriated") || component.equals("amended")) && line.appropriated + line.amended + delta < 0) {
                return Rule.APPROPRIATION_BELOW_ZERO;
            }
            long lowers = ModelLine.lowersAvailable(component, delta);
            if (lowers > 0 && line.expenditure() && lowers > line.available()) {
                return Rule.INSUFFICIENT_FUNDS;
            }
            if (component.equals("blocked") && delta < 0 && line.blocked + delta < 0) {
                return Rule.RELEASE_EXCEEDS_BLOCK;
            }
            return null;
        }

        Rule expectTwoLegReversal(Entry target, LocalDate date) {
            boolean carry = target.legs.values().iterator().next()[0].equals("carriedOut");
            for (String lineId : new java.util.TreeSet<>(target.legs.keySet())) {
                ModelLine line = lines.get(lineId);
                String[] leg = target.legs.get(lineId);
                LocalDate effective = carry && leg[0].equals("carriedIn") ? LocalDate.of(line.year, 1, 1) : date;
                Rule rule = openForEntries(line, effective);
                if (rule == null && reversedKeys.contains(target.link + "@" + lineId)) {
                    rule = Rule.ENTRY_ALREADY_REVERSED;
                }
                if (rule == null) {
                    rule = effect(line, leg[0], Long.parseLong(leg[1]));
                }
                if (rule != null) {
                    return rule;
                }
            }
            return null;
        }

        void closeYear(int year) {
            List<ModelLine> ofYear = lines.values().stream().filter(l -> l.year == year).toList();
            Rule expected = closedYears.contains(year) ? Rule.YEAR_CLOSED : ofYear.isEmpty() ? Rule.YEAR_HAS_NO_LINES : null;
            Receipt r = send(expected, Commands.closeYear(year));
            if (r != null) {
                closedYears.add(year);
                for (ModelLine line : ofYear) {
                    if (line.expenditure()) {
                        line.lapsed += line.available() + line.blocked;
                        line.blocked = 0;
                    }
                }
            }
        }

        void oneLeg(Receipt r, ModelLine line, String component, long reversalDelta) {
            assertThat(r.eventIds()).as("one event").hasSize(1);
            entries.add(new Entry(r.eventIds().get(0), line.id, component, reversalDelta, null, null, line.year));
        }

        void twoLegs(Receipt r, Map<String, String[]> legs, int outYear) {
            assertThat(r.eventIds()).as("two legs").hasSize(2);
            String link = "link-" + step;
            for (String id : r.eventIds()) {
                entries.add(new Entry(id, null, null, 0, link, legs, outYear));
            }
        }

        // -------------------------------------------------------------- sending and verifying

        /** Sends the command; null expected means it must be accepted. Returns the receipt, or null when refused. */
        Receipt send(Rule expected, Object command) {
            lastCommand = command.toString();
            int before = ledger.log().size();
            try {
                Receipt receipt = ledger.send(command);
                accepted++;
                if (expected != null) {
                    fail("step " + step + ": expected refusal by " + expected + " but accepted: " + command);
                }
                return receipt;
            } catch (LedgerRejection e) {
                refusedByRule.merge(e.rule(), 1, Integer::sum);
                if (expected == null) {
                    fail("step " + step + ": expected acceptance but refused by " + e.rule() + " (" + e.getMessage() + "): " + command);
                }
                if (expected != null) {
                    assertThat(e.rule()).as("step %d: rule refusing %s (%s)", step, command, e.getMessage()).isEqualTo(expected);
                }
                assertThat(ledger.log()).as("step %d: a refused command records nothing", step).hasSize(before);
                return null;
            }
        }

        void verify() {
            for (ModelLine m : lines.values()) {
                LineView view = ledger.view(m.id);
                LineBalance b = view.balance();
                String at = "step " + step + " after " + lastCommand + ", line " + m.id;
                assertThat(new long[] {b.appropriatedCents(), b.amendedCents(), b.blockedCents(), b.consentedCents(), b.reallocatedInCents(),
                        b.reallocatedOutCents(), b.carriedInCents(), b.carriedOutCents(), b.spentCents(), b.revenueCents(), b.lapsedCents()})
                        .as(at + ": components (appropriated, amended, blocked, consented, reallocatedIn, reallocatedOut, carriedIn, "
                                + "carriedOut, spent, revenue, lapsed)")
                        .containsExactly(m.appropriated, m.amended, m.blocked, m.consented, m.reallocatedIn, m.reallocatedOut, m.carriedIn,
                                m.carriedOut, m.spent, m.revenue, m.lapsed);
                assertThat(b.availableCents()).as(at + ": available").isEqualTo(m.available());
                assertThat(view.closed()).as(at + ": closed").isEqualTo(closedYears.contains(m.year));
                if (m.expenditure()) {
                    assertThat(m.available()).as(at + ": never overdrawn").isNotNegative();
                }
            }
            ConservationReport report = ConservationCheck.check(ledger.log());
            assertThat(report.balanced()).as("step %d after %s: %s", step, lastCommand, report.firstViolation()).isTrue();
        }
    }

    @Test
    void modelReversalDeltasMirrorTheirEntries() {
        // Guards the model itself: a reversal undoes exactly what the entry did.
        ModelLine line = new ModelLine("2024-08030-54669", 2024, TITLES.get(0));
        line.add("appropriated", 100);
        line.add("spent", 40);
        assertThat(line.available()).isEqualTo(60);
        line.add("spent", -40);
        assertThat(line.available()).isEqualTo(100);
        assertThat(ModelLine.lowersAvailable("reallocatedIn", -10)).isEqualTo(10);
        assertThat(ModelLine.lowersAvailable("blocked", 10)).isEqualTo(10);
    }
}
