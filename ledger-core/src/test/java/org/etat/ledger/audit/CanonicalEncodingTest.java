package org.etat.ledger.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class CanonicalEncodingTest {
    private static final RawEventRow ROW = new RawEventRow(42, "7f1c0e8a-0000-4000-8000-000000000001", "BudgetLine",
            "2024-08030-54669", 3, "org.etat.ledger.budgetline.ExpenditureRecorded", null,
            "{\"lineId\":\"2024-08030-54669\",\"amountCents\":39764}".getBytes(StandardCharsets.UTF_8),
            "{\"principal\":\"kasse@fm.nrw\"}".getBytes(StandardCharsets.UTF_8), "2024-03-01T10:15:30.123Z");

    /**
     * Golden values computed outside Java (Python's struct + hashlib, following the class comment).
     * If this fails, the published encoding changed: every stored chain and digest would break.
     */
    @Test
    void encodingAndHashesAreStableAndMatchAnIndependentImplementation() {
        byte[] canonical = CanonicalEncoding.encode(ROW);

        assertThat(canonical).hasSize(261);
        assertThat(HexFormat.of().formatHex(canonical, 0, 40))
                .isEqualTo("45414331000000000000002a0000002437663163306538612d303030302d343030302d383030302d");
        assertThat(AuditChain.leafHash(canonical).hex())
                .isEqualTo("625bbad28be5738cebce29ba230a34fe591bdb3f9981ab528225cfe1cd8ef41b");
        assertThat(new AuditChain().append(ROW).chainHash().hex())
                .isEqualTo("8f55f3ef1cb410f1f2994f22cc773e1c42f75f33d4f44b3a197f390af0290c2c");
    }

    @Test
    void absentFieldIsEncodedDifferentlyFromAnEmptyOne() {
        RawEventRow absent = ROW.withMetadata(null);
        RawEventRow empty = ROW.withMetadata(new byte[0]);

        assertThat(CanonicalEncoding.encode(absent)).isNotEqualTo(CanonicalEncoding.encode(empty));
    }

    @Test
    void movingCharactersBetweenAdjacentFieldsChangesTheBytes() {
        RawEventRow a = new RawEventRow(1, "e", "Budget", "Line", 0, "T", null, new byte[] {1}, new byte[] {2}, "t");
        RawEventRow b = new RawEventRow(1, "e", "BudgetL", "ine", 0, "T", null, new byte[] {1}, new byte[] {2}, "t");
        RawEventRow c = new RawEventRow(1, "e", "Budget", "Line", 0, "T", null, new byte[] {1, 2}, new byte[0], "t");

        assertThat(CanonicalEncoding.encode(a)).isNotEqualTo(CanonicalEncoding.encode(b));
        assertThat(CanonicalEncoding.encode(a)).isNotEqualTo(CanonicalEncoding.encode(c.withMetadata(new byte[] {2})))
                .isNotEqualTo(CanonicalEncoding.encode(c));
    }

    @Test
    void everyChainHashDependsOnThePreviousOne() {
        AuditChain one = new AuditChain();
        one.append(ROW.withGlobalSequence(1));
        ChainLink afterOne = one.append(ROW);
        ChainLink alone = new AuditChain().append(ROW);

        assertThat(afterOne.leafHash()).isEqualTo(alone.leafHash());
        assertThat(afterOne.chainHash()).isNotEqualTo(alone.chainHash());
    }
}
