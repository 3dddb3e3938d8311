package org.etat.app.bench;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.etat.app.audit.AuditSerializers;
import org.etat.ledger.audit.AuditChain;
import org.etat.ledger.audit.ChainLink;
import org.etat.ledger.audit.RawEventRow;
import org.etat.ledger.budgetline.AppropriationEnacted;
import org.etat.ledger.budgetline.ExpenditureRecorded;
import org.etat.ledger.budgetline.LineKind;
import org.etat.ledger.budgetline.LineOpened;
import org.etat.ledger.budgetline.TitleKey;
import org.etat.ledger.common.LedgerMetadata;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * A large, valid ledger written straight into {@code domain_event_entry} (and, if asked, its audit
 * chain into {@code audit_chain}) with COPY, bypassing Axon: for the verification benchmark and for
 * tests that need real serialized events fast. Events are serialized with the application's own
 * event serializer, so they read back as the ledger's events: L lines are opened and appropriated
 * (far more than will be spent), then expenditures go round-robin across them. The books balance.
 */
public final class SyntheticLog {
    public static final int YEAR = 2024;
    static final String KAPITEL = "08030";
    /** Per line: more than 10^7 expenditures of under 1,000.00 could spend. */
    static final long APPROPRIATION_CENTS = 100_000_000_000_000L;
    /** Rows per COPY round. */
    static final int CHUNK_ROWS = 10_000;
    static final Instant START = Instant.parse("2024-01-02T08:00:00Z");

    private final Serializer serializer = AuditSerializers.eventSerializer();
    private final Random random;
    private final int lines;
    private final AuditChain chain = new AuditChain();
    private final Map<String, Long> nextAggregateSequence = new LinkedHashMap<>();
    private long nextGlobalIndex = 1;
    private final StringBuilder events = new StringBuilder();
    private final StringBuilder links = new StringBuilder();
    private int pending;

    public SyntheticLog(int lines, long seed) {
        if (lines < 1 || lines > 89_999) {
            throw new IllegalArgumentException("lines must be 1..89,999");
        }
        this.lines = lines;
        this.random = new Random(seed);
    }

    public static String lineId(int line) {
        return YEAR + "-" + KAPITEL + "-" + (10_000 + line);
    }

    /**
     * Writes {@code 2 * lines + expenditures} events after whatever the table holds (global indexes
     * continue from 1 on an empty table), and chains them if {@code chained}. Returns the events written.
     */
    public long write(Connection c, long expenditures, boolean chained) throws SQLException {
        if (expenditures < 0) {
            throw new IllegalArgumentException("expenditures must not be negative");
        }
        CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
        long written = 0;
        for (int i = 0; i < lines; i++) {
            String line = lineId(i);
            add(copy, line, new LineOpened(line, YEAR, TitleKey.of(KAPITEL, line.substring(11)), "Titel " + line,
                    LineKind.EXPENDITURE, false, List.of(), LocalDate.of(YEAR, 1, 1)), chained);
            add(copy, line, new AppropriationEnacted(line, APPROPRIATION_CENTS, "HG " + YEAR, LocalDate.of(YEAR, 1, 1)), chained);
            written += 2;
        }
        for (long e = 0; e < expenditures; e++) {
            String line = lineId((int) (e % lines));
            long cents = 1 + random.nextInt(99_999);
            add(copy, line, new ExpenditureRecorded(line, cents, LocalDate.of(YEAR, 1 + (int) (e % 12), 1 + (int) (e % 28)),
                    "Zahlung " + e, "RE-" + e, e % 3 == 0 ? "P-" + (e % 97) : null), chained);
            written++;
        }
        flush(copy);
        advanceSequence(c);
        return written;
    }

    private void add(CopyManager copy, String line, Object payload, boolean chained) throws SQLException {
        long index = nextGlobalIndex++;
        long aggregateSequence = nextAggregateSequence.merge(line, 1L, Long::sum) - 1;
        Instant recordedAt = START.plusMillis(index);
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put(LedgerMetadata.PRINCIPAL, "synthetic");
        meta.put(LedgerMetadata.REQUEST_ID, "synthetic-" + index);
        meta.put(LedgerMetadata.RECORDED_AT, recordedAt.toString());
        SerializedObject<byte[]> p = serializer.serialize(payload, byte[].class);
        SerializedObject<byte[]> m = serializer.serialize(MetaData.from(meta), byte[].class);
        RawEventRow row = new RawEventRow(index, new UUID(random.nextLong(), random.nextLong()).toString(), "BudgetLine", line,
                aggregateSequence, p.getType().getName(), p.getType().getRevision(), p.getData(), m.getData(), recordedAt.toString());
        // Column order of the COPY below.
        events.append(index).append('\t').append(row.eventId()).append('\t').append(bytea(m.getData())).append('\t')
                .append(bytea(p.getData())).append('\t').append(row.payloadRevision() == null ? "\\N" : row.payloadRevision()).append('\t')
                .append(row.payloadType()).append('\t').append(row.timestamp()).append('\t').append(line).append('\t')
                .append(aggregateSequence).append('\t').append("BudgetLine").append('\n');
        if (chained) {
            ChainLink link = chain.append(row);
            links.append(chain.length()).append('\t').append(index).append('\t').append(row.eventId()).append('\t')
                    .append(bytea(link.leafHash().bytes())).append('\t').append(bytea(link.chainHash().bytes())).append('\n');
        }
        if (++pending >= CHUNK_ROWS) {
            flush(copy);
        }
    }

    private void flush(CopyManager copy) throws SQLException {
        if (pending == 0) {
            return;
        }
        try {
            copy.copyIn("COPY domain_event_entry (global_index, event_identifier, meta_data, payload, payload_revision, payload_type, "
                    + "time_stamp, aggregate_identifier, sequence_number, type) FROM STDIN", new StringReader(events.toString()));
            if (links.length() > 0) {
                copy.copyIn("COPY audit_chain (chain_position, global_index, event_identifier, leaf_hash, chain_hash) FROM STDIN",
                        new StringReader(links.toString()));
            }
        } catch (IOException e) {
            throw new SQLException("COPY failed", e);
        }
        events.setLength(0);
        links.setLength(0);
        pending = 0;
    }

    /** bytea in COPY's text format: \\x and hex (the backslash itself escaped). */
    private static String bytea(byte[] bytes) {
        return "\\\\x" + HexFormat.of().formatHex(bytes);
    }

    /** After COPY with explicit indexes the BIGSERIAL's sequence must move past them, or Axon's next append collides. */
    public static void advanceSequence(Connection c) throws SQLException {
        try (var st = c.createStatement()) {
            st.execute("SELECT setval(pg_get_serial_sequence('domain_event_entry', 'global_index'), "
                    + "GREATEST((SELECT max(global_index) FROM domain_event_entry), 1))");
        }
    }
}
