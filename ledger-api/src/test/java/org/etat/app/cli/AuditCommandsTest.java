package org.etat.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.etat.app.audit.AuditChainWriter;
import org.etat.app.audit.JdbcAuditChainStore;
import org.etat.app.audit.JdbcRawEventReader;
import org.etat.app.bench.SyntheticLog;
import org.etat.ledger.audit.AuditChain;
import org.etat.ledger.audit.CanonicalEncoding;
import org.etat.ledger.audit.DigestKeys;
import org.etat.ledger.audit.JsonlExport;
import org.etat.ledger.audit.RawEventRow;
import org.etat.ledger.audit.Sha256Hash;
import org.etat.testsupport.TestDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code etat verify | digest | export} run in-process through {@link EtatCli}'s picocli tree against
 * a real PostgreSQL holding real serialized events and their chain; tampering is done with SQL.
 */
class AuditCommandsTest {
    private static final int LINES = 3;
    private static final int EXPENDITURES = 200;
    private static final int EVENTS = 2 * LINES + EXPENDITURES;
    private static final long SEED = 7;

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    /** A ledger: schema, {@value #EVENTS} events, and (if {@code chained}) their chain. */
    private static TestDatabase.Database ledger(boolean chained) throws SQLException {
        TestDatabase.Database db = TestDatabase.create();
        Flyway.configure().dataSource(db.dataSource()).locations("classpath:db/migration").outOfOrder(true).load().migrate();
        try (Connection c = db.dataSource().getConnection()) {
            new SyntheticLog(LINES, SEED).write(c, EXPENDITURES, chained);
        }
        return db;
    }

    private static Map<String, String> env(TestDatabase.Database db, String... more) {
        Map<String, String> env = new java.util.HashMap<>(Map.of(LedgerDatabase.URL_ENV, db.jdbcUrl(), LedgerDatabase.USER_ENV, db.user(),
                LedgerDatabase.PASSWORD_ENV, db.password()));
        for (int i = 0; i < more.length; i += 2) {
            env.put(more[i], more[i + 1]);
        }
        return env;
    }

    private static void sql(TestDatabase.Database db, String... statements) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }

    /** The whole command line, as {@code ./etat} runs it, with the database and the streams of the test. */
    static Run etat(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                K k = CommandLine.defaultFactory().create(type);
                if (k instanceof VerifyCommand v) {
                    v.env = env;
                    v.out = o;
                    v.err = e;
                    v.terminal = false;
                } else if (k instanceof DigestCommand d) {
                    d.env = env;
                    d.out = o;
                    d.err = e;
                } else if (k instanceof ExportCommand x) {
                    x.env = env;
                    x.out = o;
                    x.err = e;
                    x.terminal = false;
                }
                return k;
            }
        };
        CommandLine cli = EtatCli.commandLine(factory);
        cli.setOut(new PrintWriter(o, true));
        cli.setErr(new PrintWriter(e, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void givenAnIntactChainedLog_whenVerified_thenExit0WithCountHeadAndConservation() throws Exception {
        TestDatabase.Database db = ledger(true);

        Run run = etat(env(db), "verify");

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).contains("intact, " + EVENTS + " events checked, head sequence " + EVENTS, "head hash ",
                "Conservation: ok, the books balance over " + EVENTS + " events", "VERIFIED");
        assertThat(run.err()).as("plain progress lines off a terminal").contains("chain: " + EVENTS + " / " + EVENTS + " events (100 %)");
    }

    @Test
    void givenADeletedEvent_whenVerified_thenExit1NamingItsSequenceAsMissing() throws Exception {
        TestDatabase.Database db = ledger(true);
        sql(db, "DELETE FROM domain_event_entry WHERE global_index = 50");

        Run run = etat(env(db), "verify");

        assertThat(run.exit()).as(run.toString()).isEqualTo(AuditCli.FAILED);
        assertThat(run.out()).contains("DAMAGED at global sequence 50: MISSING", "VERIFICATION FAILED");
    }

    @Test
    void givenAnEventInsertedIntoTheMiddle_whenVerified_thenExit1NamingItsSequenceAsInserted() throws Exception {
        TestDatabase.Database db = ledger(true);
        // Make room at 50 (through negative indexes: the primary key is checked row by row), then forge an expenditure there.
        sql(db, "UPDATE domain_event_entry SET global_index = -(global_index + 1) WHERE global_index >= 50",
                "UPDATE domain_event_entry SET global_index = -global_index WHERE global_index < 0",
                "INSERT INTO domain_event_entry (global_index, event_identifier, meta_data, payload, payload_revision, payload_type, "
                        + "time_stamp, aggregate_identifier, sequence_number, type) SELECT 50, 'forged', meta_data, payload, payload_revision, "
                        + "payload_type, time_stamp, aggregate_identifier, 100000, type FROM domain_event_entry WHERE global_index = 60");

        Run run = etat(env(db), "verify");

        assertThat(run.exit()).as(run.toString()).isEqualTo(AuditCli.FAILED);
        assertThat(run.out()).contains("DAMAGED at global sequence 50: INSERTED");
    }

    @Test
    void givenTwoSwappedEvents_whenVerified_thenExit1NamingTheFirstAsReordered() throws Exception {
        TestDatabase.Database db = ledger(true);
        sql(db, "UPDATE domain_event_entry SET global_index = -1 WHERE global_index = 30",
                "UPDATE domain_event_entry SET global_index = 30 WHERE global_index = 31",
                "UPDATE domain_event_entry SET global_index = 31 WHERE global_index = -1");

        Run run = etat(env(db), "verify");

        assertThat(run.exit()).as(run.toString()).isEqualTo(AuditCli.FAILED);
        assertThat(run.out()).contains("DAMAGED at global sequence 30: REORDERED");
    }

    @Test
    void givenADatabaseRebuiltFromScratchWithOneChangedAmount_whenVerifiedAgainstAnEarlierDigest_thenExit1HeadMismatch() throws Exception {
        Path key = dir.resolve("signing.key");
        DigestKeys.write(DigestKeys.generate(), key, dir.resolve("signing.pub"));
        TestDatabase.Database original = ledger(true);
        Path digest = dir.resolve("digest.json");
        Run issued = etat(env(original, "ETAT_AUDIT_SIGNING_KEY", key.toString()), "digest", "--out", digest.toString());
        assertThat(issued.exit()).as(issued.toString()).isZero();
        assertThat(issued.out()).contains("sequence " + EVENTS + ", " + EVENTS + " events");

        // The same log written again, one amount changed, and a chain computed from scratch over it.
        TestDatabase.Database rebuilt = ledger(false);
        sql(rebuilt, "UPDATE domain_event_entry SET payload = convert_to(replace(convert_from(payload, 'UTF8'), '\"amountCents\":', "
                + "'\"amountCents\":1'), 'UTF8') WHERE global_index = 100");
        new AuditChainWriter(new JdbcRawEventReader(), new JdbcAuditChainStore()).catchUpFully(rebuilt.dataSource(), Long.MAX_VALUE);

        Run alone = etat(env(rebuilt, "ETAT_AUDIT_SIGNING_KEY", key.toString()), "verify");
        Run withDigest = etat(env(rebuilt, "ETAT_AUDIT_SIGNING_KEY", key.toString()), "verify", "--digest", digest.toString());
        Run originalWithDigest = etat(env(original), "verify", "--digest", digest.toString(), "--public-key",
                dir.resolve("signing.pub").toString());

        assertThat(alone.exit()).as("the rebuilt chain agrees with the rebuilt log: " + alone).isZero();
        assertThat(withDigest.exit()).as(withDigest.toString()).isEqualTo(AuditCli.FAILED);
        assertThat(withDigest.out()).contains("Digest:       HEAD_MISMATCH (sequence " + EVENTS);
        assertThat(originalWithDigest.exit()).as(originalWithDigest.toString()).isZero();
        assertThat(originalWithDigest.out()).contains("Digest:       VALID");
    }

    @Test
    void badInputGivesExit2AndOneLineSayingWhy() throws Exception {
        Map<String, String> nowhere = Map.of(LedgerDatabase.URL_ENV, "jdbc:postgresql://127.0.0.1:1/none");
        List<Run> runs = List.of(
                etat(nowhere, "export", "--year", "2024"),
                etat(nowhere, "export", "--year", "2024", "--format", "xml"),
                etat(nowhere, "export", "--year", "24", "--format", "csv"),
                etat(nowhere, "export", "--year", "2024", "--format", "hledger", "--csv-variant", "german"),
                etat(nowhere, "verify", "--digest", dir.resolve("missing.json").toString()),
                etat(nowhere, "verify", "--no-such-option"),
                etat(nowhere, "digest"));
        for (Run run : runs) {
            assertThat(run.exit()).as(run.toString()).isEqualTo(AuditCli.USAGE);
            assertThat(run.errLines()).as(run.toString()).hasSize(1);
        }
        assertThat(runs.get(0).err()).contains("Missing required option: '--format");
        assertThat(runs.get(2).err()).contains("--year must be a four-digit fiscal year");
        assertThat(runs.get(4).err()).startsWith("etat verify: cannot read digest");
    }

    @Test
    void anUnreachableDatabaseGivesExit3AndOneLine() {
        Run run = etat(Map.of(LedgerDatabase.URL_ENV, "jdbc:postgresql://127.0.0.1:1/none"), "verify");

        assertThat(run.exit()).as(run.toString()).isEqualTo(AuditCli.DATABASE);
        assertThat(run.errLines()).as(run.toString()).filteredOn(l -> l.startsWith("etat verify:")).hasSize(1)
                .first().asString().contains("database unreachable");
    }

    @Test
    void digestNeedsAKeyAndSomethingToSign() throws Exception {
        TestDatabase.Database empty = TestDatabase.create();
        Flyway.configure().dataSource(empty.dataSource()).locations("classpath:db/migration").outOfOrder(true).load().migrate();
        Path key = dir.resolve("k.key");
        DigestKeys.write(DigestKeys.generate(), key, dir.resolve("k.pub"));

        Run noKey = etat(env(empty), "digest", "--out", dir.resolve("a.json").toString());
        Run nothing = etat(env(empty, "ETAT_AUDIT_SIGNING_KEY", key.toString()), "digest", "--out", dir.resolve("b.json").toString());

        assertThat(noKey.exit()).as(noKey.toString()).isEqualTo(AuditCli.USAGE);
        assertThat(noKey.err()).contains("no signing key: set ETAT_AUDIT_SIGNING_KEY");
        assertThat(nothing.exit()).as(nothing.toString()).isEqualTo(AuditCli.FAILED);
        assertThat(nothing.err()).contains("the audit chain is empty");
        assertThat(dir.resolve("b.json")).doesNotExist();
    }

    @Test
    void exportsAYearAsGermanAndRfcCsvHledgerAndSelfCheckingJsonl() throws Exception {
        TestDatabase.Database db = ledger(true);
        Path german = dir.resolve("2024.csv");
        Path rfc = dir.resolve("2024-rfc.csv");
        Path journal = dir.resolve("2024.journal");
        Path jsonl = dir.resolve("2024.jsonl");

        assertThat(etat(env(db), "export", "--year", "2024", "--format", "csv", "--out", german.toString()).exit()).isZero();
        assertThat(etat(env(db), "export", "--year", "2024", "--format", "csv", "--csv-variant", "rfc4180", "--out", rfc.toString()).exit())
                .isZero();
        assertThat(etat(env(db), "export", "--year", "2024", "--format", "hledger", "--out", journal.toString()).exit()).isZero();
        assertThat(etat(env(db), "export", "--year", "2024", "--format", "jsonl", "--out", jsonl.toString()).exit()).isZero();
        Run otherYear = etat(env(db), "export", "--year", "2023", "--format", "jsonl");

        List<String> g = Files.readAllLines(german, StandardCharsets.UTF_8);
        assertThat(g).hasSize(1 + LINES);
        assertThat(g.get(0)).startsWith("\uFEFFHaushaltsstelle;Ansatz;");
        assertThat(g.get(1)).startsWith(SyntheticLog.lineId(0) + ";1000000000000,00;");
        List<String> r = Files.readAllLines(rfc, StandardCharsets.UTF_8);
        assertThat(r.get(0)).startsWith("line,appropriated,");
        assertThat(r.get(1)).startsWith(SyntheticLog.lineId(0) + ",1000000000000.00,");
        assertThat(Files.readString(journal)).contains("account budget:2024:08030:10000", "ExpenditureRecorded 2024-08030-10001");

        List<String> lines = Files.readAllLines(jsonl, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(EVENTS);
        for (String line : lines) {
            RawEventRow row = JsonlExport.parseRow(line);
            Sha256Hash previous = Sha256Hash.parseHex(Json.field(line, "previousChainHash"));
            assertThat(JsonlExport.parseLink(line).chainHash()).as("line %d checks on its own", row.globalSequence())
                    .isEqualTo(AuditChain.chainHash(previous, CanonicalEncoding.encode(row)));
        }
        assertThat(otherYear.exit()).isZero();
        assertThat(otherYear.out()).isEmpty();
    }

    /** Reads one string field of a JSON line. */
    static final class Json {
        static String field(String json, String name) throws Exception {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).get(name).asText();
        }
    }
}
