package org.etat.ledger.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.etat.ledger.budgetline.ExpenditureRecorded;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DigestTest {
    private static final Instant ISSUED = Instant.parse("2026-11-24T17:00:00Z");
    private long seed;
    private RandomHistory history;
    private List<ChainLink> links;
    private KeyPair keys;
    private DigestSigner signer;

    @BeforeEach
    void setUp() {
        seed = Seeds.seed("DigestTest");
        history = RandomHistory.generate(new Random(seed), 150);
        links = AuditChain.build(history.rows);
        keys = DigestKeys.generate();
        signer = new DigestSigner(keys);
    }

    private Digest digestAt(int index) {
        return signer.sign(links.get(index), index + 1, ISSUED);
    }

    @Test
    void digestOfTheHeadVerifiesAgainstTheLog() {
        Digest digest = digestAt(links.size() - 1);

        DigestVerifier.Check check = DigestVerifier.verify(history.rows, digest, keys.getPublic());

        assertThat(check.outcome()).as("seed %d: %s", seed, check.detail()).isEqualTo(DigestVerifier.Outcome.VALID);
        assertThat(check.recomputedHead()).isEqualTo(links.get(links.size() - 1).chainHash());
        assertThat(check.eventsRecomputed()).isEqualTo(history.rows.size());
    }

    @Test
    void earlierDigestStillVerifiesAfterMoreEventsAndIgnoresChangesAfterItsSequence() {
        Digest digest = digestAt(99);
        List<RawEventRow> log = new ArrayList<>(history.rows);
        byte[] payload = log.get(120).payload();
        payload[3] ^= 0x20;
        log.set(120, log.get(120).withPayload(payload));

        assertThat(DigestVerifier.verify(log, digest, keys.getPublic()).outcome()).isEqualTo(DigestVerifier.Outcome.VALID);
    }

    @Test
    void changedRowBeforeTheSequenceIsAHeadMismatch() {
        Digest digest = digestAt(99);
        List<RawEventRow> log = new ArrayList<>(history.rows);
        byte[] meta = log.get(0).metadata();
        meta[10] ^= 1;
        log.set(0, log.get(0).withMetadata(meta));

        assertThat(DigestVerifier.verify(log, digest, keys.getPublic()).outcome())
                .isEqualTo(DigestVerifier.Outcome.HEAD_MISMATCH);
    }

    @Test
    void deletedRowsAreFoundAsCountMismatchOrMissingSequence() {
        Digest digest = digestAt(99);
        List<RawEventRow> withoutOne = new ArrayList<>(history.rows);
        withoutOne.remove(50);
        List<RawEventRow> withoutHead = new ArrayList<>(history.rows);
        withoutHead.remove(99);

        assertThat(DigestVerifier.verify(withoutOne, digest, keys.getPublic()).outcome())
                .isEqualTo(DigestVerifier.Outcome.COUNT_MISMATCH);
        assertThat(DigestVerifier.verify(withoutHead, digest, keys.getPublic()).outcome())
                .isEqualTo(DigestVerifier.Outcome.SEQUENCE_MISSING);
    }

    /** The forger re-serializes every event with one amount changed and re-chains from scratch. */
    @Test
    void logRebuiltFromScratchWithOneChangedAmountFailsAgainstAnEarlierExportedDigest(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("digest.json");
        DigestFile.write(digestAt(links.size() - 1), file);
        List<LedgerEntry> forgedEntries = new ArrayList<>(history.entries);
        int target = indexOfFirstExpenditure();
        LedgerEntry e = forgedEntries.get(target);
        ExpenditureRecorded x = (ExpenditureRecorded) e.payload();
        forgedEntries.set(target, new LedgerEntry(e.globalSequence(), e.eventId(), new ExpenditureRecorded(x.lineId(),
                x.amountCents() - 100, x.effectiveDate(), x.purpose(), x.documentReference(), x.projectId()), e.metadata()));
        List<RawEventRow> forged = RandomHistory.rowsOf(forgedEntries, history.rows);
        List<ChainLink> forgedChain = AuditChain.build(forged);

        assertThat(ChainVerifier.verify(forged, forgedChain).intact())
                .as("a consistent forgery passes the stored-chain check; only the digest can catch it").isTrue();
        DigestVerifier.Check check = DigestVerifier.verify(forged, DigestFile.read(file), keys.getPublic());
        assertThat(check.outcome()).as("seed %d", seed).isEqualTo(DigestVerifier.Outcome.HEAD_MISMATCH);
        assertThat(RandomHistory.rowsOf(history.entries, history.rows))
                .as("re-serializing the untouched events reproduces the log byte for byte").isEqualTo(history.rows);
    }

    @Test
    void digestSurvivesTheJsonFileAndNamesTheKeyFingerprint(@TempDir Path dir) throws Exception {
        Digest digest = digestAt(10);
        Path file = dir.resolve("d.json");

        DigestFile.write(digest, file);
        String json = Files.readString(file);
        Digest back = DigestFile.read(file);

        assertThat(back).isEqualTo(digest);
        assertThat(json).contains("\"keyFingerprint\" : \"" + DigestKeys.fingerprint(keys.getPublic()) + "\"")
                .contains("\"format\" : \"etat-audit-digest/1\"").contains("\"headHash\" : \"" + digest.headHash().hex() + "\"");
        assertThat(DigestKeys.fingerprint(keys.getPublic())).matches("[0-9a-f]{64}");
    }

    @Test
    void editedDigestFieldBreaksTheSignature() {
        Digest digest = digestAt(10);
        String json = DigestFile.toJson(digest).replace("\"sequence\" : " + digest.sequence(),
                "\"sequence\" : " + links.get(11).globalSequence());
        Digest edited = DigestFile.fromJson(json);

        assertThat(edited.sequence()).isEqualTo(links.get(11).globalSequence());
        assertThat(DigestVerifier.verify(history.rows, edited, keys.getPublic()).outcome())
                .isEqualTo(DigestVerifier.Outcome.BAD_SIGNATURE);
    }

    @Test
    void digestFromAnotherKeyIsRefusedByFingerprint() {
        Digest foreign = new DigestSigner(DigestKeys.generate()).sign(links.get(10), 11, ISSUED);

        assertThat(DigestVerifier.verify(history.rows, foreign, keys.getPublic()).outcome())
                .isEqualTo(DigestVerifier.Outcome.WRONG_KEY);
    }

    @Test
    void keysSurvivePemFilesAndThePrivateOneIsOwnerOnly(@TempDir Path dir) throws Exception {
        Path priv = dir.resolve("audit.key");
        Path pub = dir.resolve("audit.pub");
        DigestKeys.write(keys, priv, pub);

        KeyPair back = DigestKeys.read(priv, pub);
        Digest signedWithReadKey = new DigestSigner(back).sign(links.get(5), 6, ISSUED);

        assertThat(Files.readString(pub)).startsWith("-----BEGIN PUBLIC KEY-----\n");
        assertThat(Files.readString(priv)).startsWith("-----BEGIN PRIVATE KEY-----\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(priv))).isEqualTo("rw-------");
        assertThat(DigestVerifier.verify(history.rows, signedWithReadKey, keys.getPublic()).valid()).isTrue();
        assertThatThrownBy(() -> DigestKeys.write(keys, priv, dir.resolve("other.pub")))
                .isInstanceOf(FileAlreadyExistsException.class);
    }

    @Test
    void malformedDigestFilesAreRefusedWithAReason() {
        assertThatThrownBy(() -> DigestFile.fromJson("{\"format\":\"other/9\"}")).hasMessageContaining("unknown digest format");
        assertThatThrownBy(() -> DigestFile.fromJson("not json")).hasMessageContaining("JSON");
        String noHash = DigestFile.toJson(digestAt(1)).replaceAll("\"headHash\" : \"[0-9a-f]+\"", "\"headHash\" : \"abc\"");
        assertThatThrownBy(() -> DigestFile.fromJson(noHash)).hasMessageContaining("64 hex digits");
    }

    private int indexOfFirstExpenditure() {
        for (int i = 0; i < history.entries.size(); i++) {
            if (history.entries.get(i).payload() instanceof ExpenditureRecorded) {
                return i;
            }
        }
        throw new AssertionError("seed " + seed + ": no expenditure generated");
    }
}
