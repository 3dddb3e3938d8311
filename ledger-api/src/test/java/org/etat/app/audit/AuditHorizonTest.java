package org.etat.app.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.ReplayToken;
import org.junit.jupiter.api.Test;

class AuditHorizonTest {
    private static final Instant NOW = Instant.parse("2026-11-24T17:00:00Z");
    private static final Duration SETTLE = Duration.ofSeconds(60);

    @Test
    void tokenGivesItsIndexItsOpenGapsAndTheSettleLimit() {
        AuditHorizon h = AuditHorizon.of(GapAwareTrackingToken.newInstance(50, List.of(47L, 44L)), NOW, SETTLE);

        assertThat(h.upToInclusive()).isEqualTo(50);
        assertThat(h.openGaps()).containsExactly(44L, 47L);
        assertThat(h.settledBefore()).isEqualTo(NOW.minusSeconds(60));
    }

    @Test
    void openGapBetweenIsStrictOnBothSides() {
        AuditHorizon h = AuditHorizon.of(GapAwareTrackingToken.newInstance(50, List.of(47L)), NOW, SETTLE);

        assertThat(h.openGapBetween(46, 48)).isTrue();
        assertThat(h.openGapBetween(47, 49)).isFalse();
        assertThat(h.openGapBetween(45, 47)).isFalse();
        assertThat(AuditHorizon.settled(50).openGapBetween(0, 50)).isFalse();
    }

    @Test
    void aReplayTokenIsReadAtItsCurrentPosition() {
        GapAwareTrackingToken current = GapAwareTrackingToken.newInstance(20, List.of(18L));
        GapAwareTrackingToken resetTo = GapAwareTrackingToken.newInstance(30, List.of());

        AuditHorizon h = AuditHorizon.of(ReplayToken.createReplayToken(resetTo, current), NOW, SETTLE);

        assertThat(h.upToInclusive()).isEqualTo(20);
        assertThat(h.openGaps()).containsExactly(18L);
    }

    @Test
    void otherTokenKindsAreRefusedRatherThanGuessed() {
        assertThatThrownBy(() -> AuditHorizon.of(new GlobalSequenceTrackingToken(5), NOW, SETTLE))
                .hasMessageContaining("GapAwareTrackingToken");
    }
}
