package org.etat.ledger.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ChainVerifierTest {
    private long seed;
    private RandomHistory history;
    private List<RawEventRow> rows;
    private List<ChainLink> links;

    @BeforeEach
    void generate() {
        seed = Seeds.seed("ChainVerifierTest");
        history = RandomHistory.generate(new Random(seed), 200);
        rows = history.rows;
        links = AuditChain.build(rows);
    }

    private VerificationResult.Damaged damaged(List<RawEventRow> log) {
        VerificationResult result = ChainVerifier.verify(log, links);
        assertThat(result).as("seed %d", seed).isInstanceOf(VerificationResult.Damaged.class);
        return (VerificationResult.Damaged) result;
    }

    private void expect(List<RawEventRow> log, Damage damage, long sequence) {
        VerificationResult.Damaged d = damaged(log);
        assertThat(d.damage()).as("seed %d: %s", seed, d).isEqualTo(damage);
        assertThat(d.globalSequence()).as("seed %d: %s", seed, d).isEqualTo(sequence);
    }

    private long seq(int index) {
        return rows.get(index).globalSequence();
    }

    @Test
    void untouchedLogIsIntactAndEndsInTheLastLinksHash() {
        VerificationResult result = ChainVerifier.verify(rows, links);

        assertThat(result).isEqualTo(new VerificationResult.Intact(rows.size(), history.lastSequence(),
                links.get(links.size() - 1).chainHash(), 0));
    }

    @Test
    void emptyLogAndEmptyChainAreIntact() {
        assertThat(ChainVerifier.verify(List.of(), List.of()))
                .isEqualTo(new VerificationResult.Intact(0, Long.MIN_VALUE, Sha256Hash.ZERO, 0));
    }

    @Test
    void rowsAfterTheChainHeadAreCountedAsUnchainedNotDamage() {
        List<ChainLink> shorter = links.subList(0, links.size() - 3);

        VerificationResult result = ChainVerifier.verify(rows, shorter);

        assertThat(result).isEqualTo(new VerificationResult.Intact(rows.size() - 3, seq(rows.size() - 4),
                shorter.get(shorter.size() - 1).chainHash(), 3));
    }

    @Test
    void everySingleByteChangeToPayloadOrMetadataIsFoundAtItsSequence() {
        Random random = new Random(seed);
        int changes = 1_200;
        for (int i = 0; i < changes; i++) {
            int index = random.nextInt(rows.size());
            RawEventRow original = rows.get(index);
            boolean inPayload = i % 2 == 0;
            byte[] bytes = inPayload ? original.payload() : original.metadata();
            int position = random.nextInt(bytes.length);
            bytes[position] ^= (byte) (1 + random.nextInt(255));
            List<RawEventRow> log = new ArrayList<>(rows);
            log.set(index, inPayload ? original.withPayload(bytes) : original.withMetadata(bytes));

            VerificationResult.Damaged d = damaged(log);

            assertThat(d.damage()).as("seed %d, change %d: %s", seed, i, d).isEqualTo(Damage.CHANGED);
            assertThat(d.globalSequence()).as("seed %d, change %d", seed, i).isEqualTo(original.globalSequence());
            assertThat(d.eventsCheckedBefore()).isEqualTo(index);
        }
    }

    @Test
    void changedTimestampAggregateSequenceOrTypeIsChanged() {
        RawEventRow r = rows.get(7);
        List<RawEventRow> a = new ArrayList<>(rows);
        a.set(7, new RawEventRow(r.globalSequence(), r.eventId(), r.aggregateType(), r.aggregateId(), r.aggregateSequence(),
                r.payloadType(), r.payloadRevision(), r.payload(), r.metadata(), r.timestamp().replace('2', '3')));
        expect(a, Damage.CHANGED, seq(7));
        List<RawEventRow> b = new ArrayList<>(rows);
        b.set(7, new RawEventRow(r.globalSequence(), r.eventId(), r.aggregateType(), r.aggregateId(), r.aggregateSequence() + 1,
                r.payloadType(), r.payloadRevision(), r.payload(), r.metadata(), r.timestamp()));
        expect(b, Damage.CHANGED, seq(7));
        List<RawEventRow> c = new ArrayList<>(rows);
        c.set(7, new RawEventRow(r.globalSequence(), r.eventId(), r.aggregateType(), r.aggregateId(), r.aggregateSequence(),
                r.payloadType(), "2", r.payload(), r.metadata(), r.timestamp()));
        expect(c, Damage.CHANGED, seq(7));
    }

    @Test
    void rewrittenEventIdIsChanged() {
        List<RawEventRow> log = new ArrayList<>(rows);
        RawEventRow r = rows.get(50);
        log.set(50, new RawEventRow(r.globalSequence(), "forged-id", r.aggregateType(), r.aggregateId(), r.aggregateSequence(),
                r.payloadType(), r.payloadRevision(), r.payload(), r.metadata(), r.timestamp()));

        expect(log, Damage.CHANGED, seq(50));
    }

    @Test
    void deletedEventIsMissingAtItsSequenceFirstMiddleAndHead() {
        for (int index : new int[] {0, 1, 100, rows.size() - 2, rows.size() - 1}) {
            List<RawEventRow> log = new ArrayList<>(rows);
            log.remove(index);
            expect(log, Damage.MISSING, seq(index));
        }
    }

    @Test
    void deletedEventWithTheRestRenumberedToCloseTheGapIsMissing() {
        for (int index : new int[] {0, 100, rows.size() - 2, rows.size() - 1}) {
            expect(deleteAndShiftUp(index), Damage.MISSING, seq(index));
        }
    }

    @Test
    void insertedEventWithTheRestRenumberedIsInsertedAtItsSequence() {
        for (int index : new int[] {0, 1, 100, rows.size() - 1}) {
            expect(insertAndShiftDown(index), Damage.INSERTED, seq(index));
        }
    }

    @Test
    void eventInsertedIntoAGapOfTheSequenceIsInserted() {
        int index = firstGapAfter(10);
        long free = seq(index) + 1;
        List<RawEventRow> log = new ArrayList<>(rows);
        log.add(index + 1, foreign(free));

        expect(log, Damage.INSERTED, free);
    }

    @Test
    void eventAppendedAfterTheHeadIsNotChainedYetAndNotDamage() {
        List<RawEventRow> log = new ArrayList<>(rows);
        log.add(foreign(history.lastSequence() + 1));

        VerificationResult result = ChainVerifier.verify(log, links);

        assertThat(result).isInstanceOf(VerificationResult.Intact.class);
        assertThat(((VerificationResult.Intact) result).unchainedRows()).isEqualTo(1);
    }

    @Test
    void swappedEventsAreReorderedAtTheLowerSequence() {
        int last = rows.size() - 1;
        int[][] pairs = {{0, 1}, {0, last}, {last - 1, last}, {40, 41}, {40, 160}};
        for (int[] pair : pairs) {
            expect(swap(pair[0], pair[1]), Damage.REORDERED, seq(pair[0]));
        }
    }

    @Test
    void eventMovedIntoAnEarlierGapOrPastTheHeadIsReordered() {
        int gap = firstGapAfter(10);
        List<RawEventRow> earlier = new ArrayList<>(rows);
        earlier.set(gap + 1, rows.get(gap + 1).withGlobalSequence(seq(gap) + 1));
        expect(earlier, Damage.REORDERED, seq(gap) + 1);

        List<RawEventRow> later = new ArrayList<>(rows);
        RawEventRow moved = later.remove(30);
        later.add(moved.withGlobalSequence(history.lastSequence() + 5));
        expect(later, Damage.REORDERED, seq(30));

        List<RawEventRow> headMoved = new ArrayList<>(rows);
        int last = rows.size() - 1;
        headMoved.set(last, rows.get(last).withGlobalSequence(history.lastSequence() + 1));
        expect(headMoved, Damage.REORDERED, history.lastSequence());
    }

    @Test
    void rowChangedAndItsLeafHashForgedInTheChainIsStillChanged() {
        RawEventRow r = rows.get(20);
        byte[] payload = r.payload();
        payload[5] ^= 1;
        RawEventRow forged = r.withPayload(payload);
        List<RawEventRow> log = new ArrayList<>(rows);
        log.set(20, forged);
        List<ChainLink> forgedLinks = new ArrayList<>(links);
        ChainLink l = links.get(20);
        forgedLinks.set(20, new ChainLink(l.globalSequence(), l.eventId(),
                AuditChain.leafHash(CanonicalEncoding.encode(forged)), l.chainHash()));

        VerificationResult.Damaged d = (VerificationResult.Damaged) ChainVerifier.verify(log, forgedLinks);

        assertThat(d.damage()).isEqualTo(Damage.CHANGED);
        assertThat(d.globalSequence()).isEqualTo(seq(20));
        assertThat(d.detail()).contains("leaf hash in the chain was rewritten");
    }

    @Test
    void editedLeafHashOrLinksOutOfOrderAreChainCorrupt() {
        List<ChainLink> editedLeaf = new ArrayList<>(links);
        ChainLink l = links.get(33);
        editedLeaf.set(33, new ChainLink(l.globalSequence(), l.eventId(), Sha256Hash.ZERO, l.chainHash()));
        VerificationResult.Damaged a = (VerificationResult.Damaged) ChainVerifier.verify(rows, editedLeaf);
        assertThat(a.damage()).isEqualTo(Damage.CHAIN_CORRUPT);
        assertThat(a.globalSequence()).isEqualTo(seq(33));

        List<ChainLink> duplicated = new ArrayList<>(links);
        duplicated.add(34, links.get(33));
        VerificationResult.Damaged b = (VerificationResult.Damaged) ChainVerifier.verify(rows, duplicated);
        assertThat(b.damage()).isEqualTo(Damage.CHAIN_CORRUPT);
        assertThat(b.globalSequence()).isEqualTo(seq(33));
    }

    @Test
    void emptyLogAgainstAChainMissesTheFirstEvent() {
        expect(List.of(), Damage.MISSING, seq(0));
    }

    /** A random kind of damage at a random place, many times, against a model of what the answer must be. */
    @Test
    void randomDamageIsClassifiedAtTheRightSequence() {
        Random random = new Random(seed ^ 0x5DEECE66DL);
        for (int i = 0; i < 400; i++) {
            int n = rows.size();
            int kind = random.nextInt(5);
            int a = random.nextInt(n);
            switch (kind) {
                case 0 -> {
                    List<RawEventRow> log = new ArrayList<>(rows);
                    log.remove(a);
                    expect(log, Damage.MISSING, seq(a));
                }
                case 1 -> expect(deleteAndShiftUp(a), Damage.MISSING, seq(a));
                case 2 -> expect(insertAndShiftDown(a), Damage.INSERTED, seq(a));
                case 3 -> {
                    int b = random.nextInt(n);
                    if (a != b) {
                        expect(swap(Math.min(a, b), Math.max(a, b)), Damage.REORDERED, seq(Math.min(a, b)));
                    }
                }
                default -> {
                    RawEventRow r = rows.get(a);
                    byte[] meta = r.metadata();
                    meta[random.nextInt(meta.length)] ^= (byte) (1 + random.nextInt(255));
                    List<RawEventRow> log = new ArrayList<>(rows);
                    log.set(a, r.withMetadata(meta));
                    expect(log, Damage.CHANGED, seq(a));
                }
            }
        }
    }

    private List<RawEventRow> swap(int i, int j) {
        List<RawEventRow> log = new ArrayList<>(rows);
        log.set(i, rows.get(j).withGlobalSequence(seq(i)));
        log.set(j, rows.get(i).withGlobalSequence(seq(j)));
        return log;
    }

    private List<RawEventRow> deleteAndShiftUp(int index) {
        List<RawEventRow> log = new ArrayList<>(rows.subList(0, index));
        for (int k = index + 1; k < rows.size(); k++) {
            log.add(rows.get(k).withGlobalSequence(seq(k - 1)));
        }
        return log;
    }

    private List<RawEventRow> insertAndShiftDown(int index) {
        List<RawEventRow> log = new ArrayList<>(rows.subList(0, index));
        log.add(foreign(seq(index)));
        for (int k = index; k < rows.size(); k++) {
            log.add(rows.get(k).withGlobalSequence(k + 1 < rows.size() ? seq(k + 1) : history.lastSequence() + 1));
        }
        return log;
    }

    private int firstGapAfter(int from) {
        for (int k = from; k + 1 < rows.size(); k++) {
            if (seq(k + 1) > seq(k) + 1) {
                return k;
            }
        }
        throw new AssertionError("seed " + seed + ": the generated log has no gap");
    }

    private RawEventRow foreign(long sequence) {
        RawEventRow template = rows.get(1);
        return new RawEventRow(sequence, "inserted-" + sequence, template.aggregateType(), template.aggregateId(), 99,
                template.payloadType(), null, template.payload(), template.metadata(), template.timestamp());
    }
}
