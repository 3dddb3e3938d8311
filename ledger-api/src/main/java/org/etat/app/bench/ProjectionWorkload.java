package org.etat.app.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.axonframework.common.DateTimeUtils;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.etat.ledger.budgetline.AppropriationAmended;
import org.etat.ledger.budgetline.AppropriationEnacted;
import org.etat.ledger.budgetline.Component;
import org.etat.ledger.budgetline.CoverGroup;
import org.etat.ledger.budgetline.ExpenditureRecorded;
import org.etat.ledger.budgetline.FundsBlocked;
import org.etat.ledger.budgetline.FundsReleased;
import org.etat.ledger.budgetline.LineBalance;
import org.etat.ledger.budgetline.LineKind;
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
 * A realistic multi-year history written straight into {@code domain_event_entry}, for the
 * projection benchmark: the events the ledger's aggregate would apply for the same commands (the
 * same records, the same rules for amounts: nothing overdraws a line, reversals and lapses carry
 * the aggregate's component and sign), serialized by the application's event serializer with the
 * ledger's metadata (principal, requestId, recordedAt, effectiveDate, correlationId, traceId), one
 * request id per command and both legs of a move in one request. Per year: lines opened and
 * enacted, then expenditures, revenue, reallocations, amendments, blocks and releases, § 37
 * consents and reversals in date order; at year end the next year's lines are opened, remainders of
 * transferable lines are carried over, and the year is closed (lapses). The last year stays open.
 */
final class ProjectionWorkload {

    record Settings(int firstYear, int years, int linesPerYear, long targetEvents, long seed) {
        Settings {
            if (years < 1 || years > 10 || linesPerYear < 10 || linesPerYear > 99_999 || targetEvents < 1) {
                throw new IllegalArgumentException("years 1..10, lines per year 10..99,999, events >= 1");
            }
        }
    }

    /** Counts per event type, and what was written. */
    record Written(long events, Map<String, Long> byType, List<String> lineIds) {
    }

    static final String TYPE = "BudgetLine";
    private static final int INSERT_BATCH = 2_000;
    private static final int KAPITEL_COUNT = 70;

    private final Settings settings;
    private final Serializer serializer;
    private final Random random;
    private final Map<String, LineBalance> balances = new HashMap<>();
    private final Map<String, Long> sequence = new HashMap<>();
    private final Map<String, LineKind> kinds = new HashMap<>();
    private final Map<String, Boolean> transferable = new HashMap<>();
    private final Map<String, Long> byType = new LinkedHashMap<>();
    private final List<String> allLines = new ArrayList<>();
    private final List<Reversible> reversible = new ArrayList<>();
    private Instant clock;
    private long written;
    private long requests;
    private PreparedStatement insert;
    private int pending;

    /** An entry a later reversal may name. */
    private record Reversible(String eventId, String lineId, Object payload, String otherLineId, String otherEventId, Object otherPayload) {
    }

    ProjectionWorkload(Settings settings, Serializer serializer) {
        this.settings = settings;
        this.serializer = serializer;
        this.random = new Random(settings.seed());
    }

    /** Writes the history on {@code c} (auto-commit off; commits every batch) and returns what was written. */
    Written write(Connection c, java.util.function.LongConsumer progress) throws SQLException {
        insert = c.prepareStatement("INSERT INTO domain_event_entry (aggregate_identifier, sequence_number, type, event_identifier,"
                + " meta_data, payload, payload_revision, payload_type, time_stamp) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
        int first = settings.firstYear();
        int last = first + settings.years() - 1;
        long setup = 2L * settings.linesPerYear() * settings.years();
        long closes = 2L * settings.linesPerYear() * (settings.years() - 1);
        long entriesPerYear = Math.max(1, (settings.targetEvents() - setup - closes) / settings.years());
        clock = LocalDate.of(first - 1, 12, 1).atStartOfDay().toInstant(ZoneOffset.UTC);
        List<String> lines = openYear(first);
        for (int year = first; year <= last; year++) {
            List<String> expenditureLines = lines.stream().filter(l -> kinds.get(l) == LineKind.EXPENDITURE).toList();
            List<String> revenueLines = lines.stream().filter(l -> kinds.get(l) == LineKind.REVENUE).toList();
            reversible.clear();
            long target = written + entriesPerYear;
            int day = 0;
            long perDay = Math.max(1, entriesPerYear / 340);
            long today = 0;
            while (written < target) {
                if (++today > perDay && day < 339) {
                    day++;
                    today = 0;
                }
                LocalDate date = LocalDate.of(year, 1, 2).plusDays(day);
                entry(year, date, expenditureLines, revenueLines);
                if (written % 10_000 < 3) {
                    progress.accept(written);
                }
            }
            if (year < last) {
                List<String> next = openYear(year + 1);
                carryOver(year, expenditureLines);
                close(year, lines);
                lines = next;
            }
        }
        flush(c);
        insert.close();
        progress.accept(written);
        return new Written(written, byType, List.copyOf(allLines));
    }

    private List<String> openYear(int year) throws SQLException {
        List<String> lines = new ArrayList<>();
        int perKapitel = Math.max(1, settings.linesPerYear() / KAPITEL_COUNT);
        for (int i = 0; i < settings.linesPerYear(); i++) {
            int k = i / perKapitel;
            String kapitel = String.format("%02d%03d", 1 + k % 40, 10 * (1 + k / 40));
            boolean revenue = i % 10 == 9;
            // The Gruppierungsnummer's first digit says the kind: 0-3 revenue, 4-9 expenditure.
            String titel = String.format("%05d", (revenue ? 11_000 : 41_000) + i % perKapitel * 7);
            String lineId = year + "-" + kapitel + "-" + titel;
            boolean canTransfer = !revenue && i % 3 == 0;
            String titelgruppe = i % 5 == 0 ? String.format("%02d", 60 + i % 9) : null;
            TitleKey key = new TitleKey(kapitel.substring(0, 2), kapitel, titel, titelgruppe, String.format("%03d", 100 + i % 50));
            kinds.put(lineId, revenue ? LineKind.REVENUE : LineKind.EXPENDITURE);
            transferable.put(lineId, canTransfer);
            balances.put(lineId, LineBalance.ZERO);
            String request = request();
            Instant at = tick();
            LocalDate opened = LocalDate.of(year, 1, 1);
            emit(lineId, new LineOpened(lineId, year, key, "Titel " + titel + " im Kapitel " + kapitel, revenue ? LineKind.REVENUE : LineKind.EXPENDITURE,
                    canTransfer, titelgruppe == null ? List.of() : List.of(CoverGroup.mutual("TG" + titelgruppe)), opened), "budget", request, at);
            long cents = revenue ? 50_000_00L + random.nextInt(5_000_000) * 100L : 100_000_00L + (long) random.nextInt(20_000_000) * 100L;
            emit(lineId, new AppropriationEnacted(lineId, cents, "Haushaltsgesetz " + year, opened), "budget", request(), tick());
            lines.add(lineId);
            allLines.add(lineId);
        }
        return lines;
    }

    private void entry(int year, LocalDate date, List<String> expenditure, List<String> revenue) throws SQLException {
        int dice = random.nextInt(100);
        String line = expenditure.get(random.nextInt(expenditure.size()));
        LineBalance b = balances.get(line);
        long available = b.availableCents();
        if (dice < 68) {
            long cents = amount(available, 20);
            if (cents > 0) {
                String id = emit(line, new ExpenditureRecorded(line, cents, date, "Zahlung " + written, "RE-" + year + "-" + written,
                        random.nextInt(4) == 0 ? "P-" + random.nextInt(400) : null), "finance", request(), tick());
                reversible.add(new Reversible(id, line, lastPayload, null, null, null));
            }
        } else if (dice < 76) {
            String line2 = revenue.get(random.nextInt(revenue.size()));
            emit(line2, new RevenueRecorded(line2, 1_00L + random.nextInt(5_000_000), date, "Einnahme", "EB-" + written, null), "finance",
                    request(), tick());
        } else if (dice < 86) {
            String to = expenditure.get(random.nextInt(expenditure.size()));
            long cents = amount(available, 10);
            if (cents > 0 && !to.equals(line)) {
                String reallocationId = UUID.randomUUID().toString();
                LegalBasis basis = random.nextBoolean() ? LegalBasis.consent("BMF-" + year + "-" + written) : LegalBasis.budgetNote("HV " + random.nextInt(90));
                String request = request();
                Instant at = tick();
                // Legs in line-id order, as LineLoader locks and applies them.
                String outId;
                Object outPayload;
                String inId;
                Object inPayload;
                ReallocatedOut out = new ReallocatedOut(line, reallocationId, to, cents, basis, "Umschichtung", date);
                ReallocatedIn in = new ReallocatedIn(to, reallocationId, line, cents, basis, "Umschichtung", date);
                if (line.compareTo(to) < 0) {
                    outId = emit(line, out, "finance", request, at);
                    outPayload = lastPayload;
                    inId = emit(to, in, "finance", request, at);
                    inPayload = lastPayload;
                } else {
                    inId = emit(to, in, "finance", request, at);
                    inPayload = lastPayload;
                    outId = emit(line, out, "finance", request, at);
                    outPayload = lastPayload;
                }
                reversible.add(new Reversible(outId, line, outPayload, to, inId, inPayload));
            }
        } else if (dice < 89) {
            long delta = random.nextBoolean() ? 1_000_00L + random.nextInt(10_000_000) : -amount(available, 5);
            if (delta != 0 && b.appropriatedCents() + b.amendedCents() + delta >= 0) {
                emit(line, new AppropriationAmended(line, delta, "Nachtragshaushalt " + year, date), "budget", request(), tick());
            }
        } else if (dice < 91) {
            long cents = amount(available, 10);
            if (cents > 0) {
                emit(line, new FundsBlocked(line, cents, "§ 41 BHO", date), "budget", request(), tick());
            }
        } else if (dice < 93) {
            if (b.blockedCents() > 0) {
                emit(line, new FundsReleased(line, 1 + random.nextLong(b.blockedCents()), "Aufhebung § 41", date), "budget", request(), tick());
            }
        } else if (dice < 94) {
            emit(line, new OverPlanConsentGranted(line, 1_000_00L + random.nextInt(50_000_000), "BMF § 37-" + written, "unabweisbar",
                    random.nextInt(5) == 0, date), "budget", request(), tick());
        } else if (!reversible.isEmpty()) {
            reverse(date);
        }
    }

    /** Reverses a random earlier expenditure or reallocation of the year, as the aggregate would (both legs of a move). */
    private void reverse(LocalDate date) throws SQLException {
        Reversible r = reversible.remove(random.nextInt(reversible.size()));
        String reversalId = UUID.randomUUID().toString();
        String request = request();
        Instant at = tick();
        if (r.payload() instanceof ExpenditureRecorded x) {
            emit(r.lineId(), new EntryReversed(r.lineId(), reversalId, r.eventId(), "ExpenditureRecorded", Component.SPENT, -x.amountCents(),
                    "Storno: doppelt gebucht", date), "finance", request, at);
        } else if (r.payload() instanceof ReallocatedOut out) {
            // The receiving line must still have the money (the aggregate refuses otherwise).
            if (balances.get(r.otherLineId()).availableCents() < out.amountCents()) {
                return;
            }
            EntryReversed outLeg = new EntryReversed(r.lineId(), reversalId, r.eventId(), "ReallocatedOut", Component.REALLOCATED_OUT,
                    -out.amountCents(), "Storno der Umschichtung", date);
            EntryReversed inLeg = new EntryReversed(r.otherLineId(), reversalId, r.otherEventId(), "ReallocatedIn", Component.REALLOCATED_IN,
                    -out.amountCents(), "Storno der Umschichtung", date);
            if (r.lineId().compareTo(r.otherLineId()) < 0) {
                emit(r.lineId(), outLeg, "finance", request, at);
                emit(r.otherLineId(), inLeg, "finance", request, at);
            } else {
                emit(r.otherLineId(), inLeg, "finance", request, at);
                emit(r.lineId(), outLeg, "finance", request, at);
            }
        }
    }

    private void carryOver(int year, List<String> expenditure) throws SQLException {
        LocalDate lastDay = LocalDate.of(year, 12, 31);
        for (String line : expenditure) {
            long available = balances.get(line).availableCents();
            if (transferable.get(line) && available > 0 && random.nextInt(3) != 0) {
                long cents = Math.max(1, available / (1 + random.nextInt(3)));
                String to = (year + 1) + line.substring(4);
                String carryOverId = UUID.randomUUID().toString();
                String request = request();
                Instant at = tick();
                emit(line, new RemainderCarriedOut(line, carryOverId, to, cents, "BMF-AR-" + year, "Ausgaberest § 45", lastDay), "finance", request, at);
                emit(to, new RemainderCarriedIn(to, carryOverId, line, cents, "BMF-AR-" + year, "Ausgaberest § 45", LocalDate.of(year + 1, 1, 1)),
                        "finance", request, at);
            }
        }
    }

    private void close(int year, List<String> lines) throws SQLException {
        LocalDate lastDay = LocalDate.of(year, 12, 31);
        for (String line : lines) {
            LineBalance b = balances.get(line);
            String request = request();
            Instant at = tick();
            if (kinds.get(line) == LineKind.EXPENDITURE) {
                long rest = b.availableCents() + b.blockedCents();
                if (rest > 0 || b.blockedCents() > 0) {
                    String reason = transferable.get(line) ? "no remainder was formed (§ 45): the rest lapses"
                            : "the line is not transferable: the rest lapses (Verfall)";
                    emit(line, new LapsedAtClose(line, rest, b.blockedCents(), reason, lastDay), "budget", request, at);
                }
            }
            emit(line, new YearClosed(line, year, "Jahresabschluss " + year, lastDay), "budget", request, at);
        }
    }

    /** A positive amount of at most 1/{@code share} of what is available (0 if nothing is). */
    private long amount(long availableCents, int share) {
        long max = availableCents / share;
        return max <= 0 ? 0 : 1 + random.nextLong(Math.min(max, 5_000_000_00L));
    }

    private String request() {
        return "bench-" + (++requests);
    }

    /** The ledger's recording clock: strictly increasing, a few seconds per request. */
    private Instant tick() {
        clock = clock.plus(Duration.ofMillis(200 + random.nextInt(5_000)));
        return clock;
    }

    private Object lastPayload;

    private String emit(String lineId, LineEvent payload, String principal, String requestId, Instant recordedAt) throws SQLException {
        String eventId = UUID.randomUUID().toString();
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put(LedgerMetadata.PRINCIPAL, principal);
        meta.put(LedgerMetadata.REQUEST_ID, requestId);
        meta.put(LedgerMetadata.RECORDED_AT, recordedAt.toString());
        meta.put(LedgerMetadata.EFFECTIVE_DATE, payload.effectiveDate().toString());
        // Axon's MessageOriginProvider: the command's message id, which starts its own trace.
        String commandId = UUID.nameUUIDFromBytes(requestId.getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
        meta.put("correlationId", commandId);
        meta.put("traceId", commandId);
        SerializedObject<byte[]> body = serializer.serialize(payload, byte[].class);
        SerializedObject<byte[]> metaData = serializer.serialize(MetaData.from(meta), byte[].class);
        long seq = sequence.merge(lineId, 1L, Long::sum) - 1;
        insert.setString(1, lineId);
        insert.setLong(2, seq);
        insert.setString(3, TYPE);
        insert.setString(4, eventId);
        insert.setBytes(5, metaData.getData());
        insert.setBytes(6, body.getData());
        insert.setString(7, body.getType().getRevision());
        insert.setString(8, body.getType().getName());
        insert.setString(9, DateTimeUtils.formatInstant(recordedAt));
        insert.addBatch();
        if (++pending == INSERT_BATCH) {
            flush(insert.getConnection());
        }
        balances.put(lineId, balances.get(lineId).apply(payload));
        if (balances.get(lineId).availableCents() < 0 && kinds.get(lineId) == LineKind.EXPENDITURE) {
            throw new IllegalStateException("workload bug: " + lineId + " overdrawn by " + payload);
        }
        byType.merge(payload.getClass().getSimpleName(), 1L, Long::sum);
        written++;
        lastPayload = payload;
        return eventId;
    }

    private void flush(Connection c) throws SQLException {
        if (pending > 0) {
            insert.executeBatch();
            c.commit();
            pending = 0;
        }
    }
}
