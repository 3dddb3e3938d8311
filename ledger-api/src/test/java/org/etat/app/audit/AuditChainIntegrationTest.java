package org.etat.app.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.etat.ledger.scenario.Ruhrkonferenz;
import org.etat.app.demo.RuhrkonferenzDemo;
import org.etat.app.ledger.EventLog;
import org.etat.app.ledger.LedgerGateway;
import org.etat.app.testsupport.EtatIntegrationTest;
import org.etat.ledger.audit.Damage;
import org.etat.ledger.audit.Digest;
import org.etat.ledger.audit.DigestFile;
import org.etat.ledger.audit.DigestKeys;
import org.etat.ledger.audit.DigestSigner;
import org.etat.ledger.audit.DigestVerifier;
import org.etat.ledger.audit.HledgerJournal;
import org.etat.ledger.audit.JournalParsing;
import org.etat.ledger.audit.LedgerEntry;
import org.etat.ledger.audit.VerificationResult;
import org.etat.ledger.budgetline.LineBalance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** The running application chains its log; the chain, a digest and the hledger export all check out, until SQL tampers. */
class AuditChainIntegrationTest extends EtatIntegrationTest {
    /** How long the processor may take to catch up with a few dozen events on a busy machine: a hang guard. */
    private static final long CATCH_UP_LIMIT_SECONDS = 60;

    @Autowired
    LedgerGateway ledger;
    @Autowired
    EventLog log;
    @Autowired
    AuditService audit;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void givenTheRuhrkonferenzLog_whenChained_thenIntactAndDigestValid_andSqlTamperingIsFound(@TempDir Path dir)
            throws Exception {
        RuhrkonferenzDemo.record(ledger);
        long lastIndex = jdbc.queryForObject("SELECT max(global_index) FROM domain_event_entry", Long.class);
        long events = jdbc.queryForObject("SELECT count(*) FROM domain_event_entry", Long.class);
        awaitChainHead(lastIndex);

        VerificationResult result = audit.verifyChain();
        assertThat(result).isInstanceOfSatisfying(VerificationResult.Intact.class, ok -> {
            assertThat(ok.eventsChecked()).isEqualTo(events);
            assertThat(ok.headSequence()).isEqualTo(lastIndex);
            assertThat(ok.unchainedRows()).isZero();
        });

        KeyPair keys = DigestKeys.generate();
        Path file = dir.resolve("digest.json");
        DigestFile.write(audit.issueDigest(new DigestSigner(keys), Instant.now()), file);
        Digest exported = DigestFile.read(file);
        assertThat(exported.eventCount()).isEqualTo(events);
        assertThat(audit.verifyDigest(exported, keys.getPublic()).outcome()).isEqualTo(DigestVerifier.Outcome.VALID);

        List<LedgerEntry> entries = log.all().stream()
                .map(e -> new LedgerEntry(e.globalIndex(), e.eventId(), e.payload(), e.metaData())).toList();
        Map<String, Long> journal = JournalParsing.balances(HledgerJournal.export(entries));
        for (Map.Entry<String, LineBalance> line : log.balances().entrySet()) {
            assertThat(journal.getOrDefault(HledgerJournal.lineAccount(line.getKey()), 0L)).as(line.getKey())
                    .isEqualTo(line.getValue().availableCents());
        }

        long target = jdbc.queryForObject("SELECT min(global_index) FROM domain_event_entry "
                + "WHERE payload_type = 'org.etat.ledger.budgetline.ExpenditureRecorded'", Long.class);
        jdbc.update("UPDATE domain_event_entry SET payload = convert_to(replace(convert_from(payload, 'UTF8'), "
                + "'\"amountCents\":', '\"amountCents\":1'), 'UTF8') WHERE global_index = ?", target);

        assertThat(audit.verifyChain()).isInstanceOfSatisfying(VerificationResult.Damaged.class, d -> {
            assertThat(d.damage()).isEqualTo(Damage.CHANGED);
            assertThat(d.globalSequence()).isEqualTo(target);
        });
        assertThat(audit.verifyDigest(exported, keys.getPublic()).outcome()).isEqualTo(DigestVerifier.Outcome.HEAD_MISMATCH);
    }

    private void awaitChainHead(long globalIndex) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CATCH_UP_LIMIT_SECONDS);
        while (true) {
            Long head = jdbc.queryForObject("SELECT max(global_index) FROM audit_chain", Long.class);
            if (head != null && head >= globalIndex) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the audit chain stopped at " + head + ", the log is at " + globalIndex
                        + " after " + CATCH_UP_LIMIT_SECONDS + " s");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }
}
