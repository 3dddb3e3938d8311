package org.etat.app.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.ReplayToken;
import org.junit.jupiter.api.Test;

class AuditHorizonTest {

    @Test
    void withoutGapsTheHorizonIsTheTokensIndex() {
        assertThat(AuditHorizon.of(GapAwareTrackingToken.newInstance(41, List.of()))).isEqualTo(41);
    }

    @Test
    void rowsAboveTheFirstOpenGapWait() {
        assertThat(AuditHorizon.of(GapAwareTrackingToken.newInstance(50, List.of(47L, 44L)))).isEqualTo(43);
    }

    @Test
    void aReplayTokenIsReadAtItsCurrentPosition() {
        GapAwareTrackingToken current = GapAwareTrackingToken.newInstance(20, List.of(18L));
        GapAwareTrackingToken resetTo = GapAwareTrackingToken.newInstance(30, List.of());

        assertThat(AuditHorizon.of(ReplayToken.createReplayToken(resetTo, current))).isEqualTo(17);
    }

    @Test
    void otherTokenKindsAreRefusedRatherThanGuessed() {
        assertThatThrownBy(() -> AuditHorizon.of(new GlobalSequenceTrackingToken(5)))
                .hasMessageContaining("GapAwareTrackingToken");
    }
}
