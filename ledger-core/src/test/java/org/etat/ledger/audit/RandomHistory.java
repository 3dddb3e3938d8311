package org.etat.ledger.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import org.etat.ledger.budgetline.AppropriationAmended;
import org.etat.ledger.budgetline.AppropriationEnacted;
import org.etat.ledger.budgetline.Component;
import org.etat.ledger.budgetline.ExpenditureRecorded;
import org.etat.ledger.budgetline.FundsBlocked;
import org.etat.ledger.budgetline.FundsReleased;
import org.etat.ledger.budgetline.LineBalance;
import org.etat.ledger.budgetline.LineOpened;
import org.etat.ledger.budgetline.OverPlanConsentGranted;
import org.etat.ledger.budgetline.RevenueRecorded;
import org.etat.ledger.budgetline.TitleKey;
import org.etat.ledger.carryover.RemainderCarriedIn;
import org.etat.ledger.carryover.RemainderCarriedOut;
import org.etat.ledger.common.LedgerMetadata;
import org.etat.ledger.common.LineEvent;
import org.etat.ledger.correction.EntryReversed;
import org.etat.ledger.reallocation.LegalBasis;
import org.etat.ledger.reallocation.ReallocatedIn;
import org.etat.ledger.reallocation.ReallocatedOut;
import org.etat.ledger.yearclose.LapsedAtClose;
import org.etat.ledger.yearclose.YearClosed;

/**
 * A generated event log: domain events of every kind over a few lines and two years, and the raw
 * rows an Axon JDBC store with the Jackson serializer would hold for them. Amounts are random, not
 * lawful: the audit code must not care. Global sequences have gaps, as BIGSERIAL leaves them.
 */
public final class RandomHistory {
    static final ObjectMapper JACKSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    public final List<LedgerEntry> entries = new ArrayList<>();
    public final List<RawEventRow> rows = new ArrayList<>();
    /** The reference model: LineBalance folded per line, independently of any export. */
    public final Map<String, LineBalance> balances = new TreeMap<>();

    private final Random random;
    private final List<String> lines2024 = new ArrayList<>();
    private final List<String> lines2025 = new ArrayList<>();
    private final List<LedgerEntry> moneyEntries = new ArrayList<>();
    private final Map<String, Long> aggregateSequences = new LinkedHashMap<>();
    private long nextSequence = 1;
    private Instant clock = Instant.parse("2024-01-02T08:00:00Z");

    private RandomHistory(Random random) {
        this.random = random;
    }

    public static RandomHistory generate(Random random, int events) {
        RandomHistory h = new RandomHistory(random);
        String[][] titles = {{"08030", "54669"}, {"08030", "53101"}, {"0101", "42201"}, {"08030", "11901"}, {"1120", "68201"}};
        for (String[] t : titles) {
            h.open(2024, t);
            h.open(2025, t);
        }
        for (String line : h.lines2024) {
            h.record(new AppropriationEnacted(line, h.cents(100_000_00L, 900_000_00L), "HG 2024", LocalDate.of(2024, 1, 1)));
        }
        while (h.entries.size() < events) {
            h.randomEvent();
        }
        return h;
    }

    private void open(int year, String[] title) {
        String line = year + "-" + title[0] + "-" + title[1];
        TitleKey key = TitleKey.of(title[0], title[1]);
        record(new LineOpened(line, year, key, "purpose of " + line, key.kindByLaw(), true, List.of(),
                LocalDate.of(year, 1, 1)));
        (year == 2024 ? lines2024 : lines2025).add(line);
    }

    private void randomEvent() {
        String line = pick(random.nextInt(4) == 0 ? lines2025 : lines2024);
        int year = Integer.parseInt(line.substring(0, 4));
        LocalDate date = LocalDate.of(year, 1 + random.nextInt(12), 1 + random.nextInt(28));
        long amount = cents(1, 50_000_00L);
        switch (random.nextInt(14)) {
            case 0 -> record(new AppropriationEnacted(line, amount, "HG " + year, date));
            case 1 -> record(new AppropriationAmended(line, random.nextBoolean() ? amount : -amount, "NHG " + year, date));
            case 2 -> record(new OverPlanConsentGranted(line, amount, "FM-" + random.nextInt(1000), "urgent; \"quoted\", commas",
                    random.nextBoolean(), date));
            case 3, 4, 5 -> record(new ExpenditureRecorded(line, amount, date, "Zahlung für Ruhrkonferenz, Projekt äöü",
                    "RE-" + random.nextInt(100_000), random.nextBoolean() ? "P-" + random.nextInt(73) : null));
            case 6 -> record(new RevenueRecorded(line, amount, date, "Einnahme", "KA-" + random.nextInt(1000), null));
            case 7 -> {
                String to = pick(year == 2024 ? lines2024 : lines2025);
                String id = UUID.nameUUIDFromBytes(longBytes()).toString();
                record(new ReallocatedOut(line, id, to, amount, LegalBasis.coverGroup("DK-1"), "savings", date));
                record(new ReallocatedIn(to, id, line, amount, LegalBasis.coverGroup("DK-1"), "savings", date));
            }
            case 8 -> {
                String from = pick(lines2024);
                String to = "2025" + from.substring(4);
                String id = UUID.nameUUIDFromBytes(longBytes()).toString();
                record(new RemainderCarriedOut(from, id, to, amount, "FM-R-1", "Ausgaberest", LocalDate.of(2024, 12, 31)));
                record(new RemainderCarriedIn(to, id, from, amount, "FM-R-1", "Ausgaberest", LocalDate.of(2025, 1, 1)));
            }
            case 9 -> record(new FundsBlocked(line, amount, "§ 22 LHO", date));
            case 10 -> record(new FundsReleased(line, amount / 2 + 1, "§ 22 LHO", date));
            case 11 -> {
                long unblocked = random.nextBoolean() ? 0 : cents(0, amount);
                record(new LapsedAtClose(line, amount, unblocked, "Verfall", LocalDate.of(year, 12, 31)));
            }
            case 12 -> reverseSomething(date);
            default -> record(new YearClosed(line, year, "Jahresabschluss", LocalDate.of(year, 12, 31)));
        }
    }

    /** Reverses one component change of an earlier money event (two-leg events: one leg is enough here). */
    private void reverseSomething(LocalDate date) {
        if (moneyEntries.isEmpty()) {
            return;
        }
        LedgerEntry original = moneyEntries.get(random.nextInt(moneyEntries.size()));
        LineEvent e = (LineEvent) original.payload();
        LineBalance effect = LineBalance.ZERO.apply(e);
        for (Component c : Component.values()) {
            if (effect.component(c) != 0) {
                record(new EntryReversed(e.lineId(), UUID.nameUUIDFromBytes(longBytes()).toString(), original.eventId(),
                        e.getClass().getSimpleName(), c, -effect.component(c), "Storno",
                        date.getYear() == Integer.parseInt(e.lineId().substring(0, 4)) ? date : e.effectiveDate()));
                return;
            }
        }
    }

    private void record(LineEvent event) {
        long sequence = nextSequence;
        nextSequence += random.nextInt(10) == 0 ? 2 + random.nextInt(3) : 1; // gaps, as rolled-back BIGSERIALs leave
        clock = clock.plusMillis(1 + random.nextInt(86_400_000));
        String eventId = UUID.nameUUIDFromBytes(longBytes()).toString();
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put(LedgerMetadata.PRINCIPAL, random.nextBoolean() ? "kasse@fm.nrw" : "Bearbeiter, Anna");
        metadata.put(LedgerMetadata.REQUEST_ID, UUID.nameUUIDFromBytes(longBytes()).toString());
        metadata.put(LedgerMetadata.RECORDED_AT, clock.toString());
        metadata.put(LedgerMetadata.EFFECTIVE_DATE, event.effectiveDate().toString());
        LedgerEntry entry = new LedgerEntry(sequence, eventId, event, metadata);
        entries.add(entry);
        long aggregateSequence = aggregateSequences.merge(event.lineId(), 1L, Long::sum) - 1;
        rows.add(new RawEventRow(sequence, eventId, "BudgetLine", event.lineId(), aggregateSequence,
                event.getClass().getName(), null, json(event), json(metadata), clock.toString()));
        balances.merge(event.lineId(), LineBalance.ZERO, (a, b) -> a);
        balances.computeIfPresent(event.lineId(), (k, b) -> b.apply(event));
        if (!LineBalance.ZERO.apply(event).equals(LineBalance.ZERO)) {
            moneyEntries.add(entry);
        }
    }

    static byte[] json(Object value) {
        try {
            return JACKSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The same events, re-serialized and re-numbered from scratch (what a forger would produce). */
    static List<RawEventRow> rowsOf(List<LedgerEntry> entries, List<RawEventRow> template) {
        List<RawEventRow> out = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            RawEventRow t = template.get(i);
            LedgerEntry e = entries.get(i);
            out.add(new RawEventRow(t.globalSequence(), t.eventId(), t.aggregateType(), t.aggregateId(), t.aggregateSequence(),
                    e.payload().getClass().getName(), t.payloadRevision(), json(e.payload()), t.metadata(), t.timestamp()));
        }
        return out;
    }

    public long lastSequence() {
        return rows.get(rows.size() - 1).globalSequence();
    }

    private long cents(long min, long max) {
        return max <= min ? min : min + Math.floorMod(random.nextLong(), max - min);
    }

    private byte[] longBytes() {
        byte[] b = new byte[16];
        random.nextBytes(b);
        return b;
    }

    private <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }
}
