package org.etat.app.axon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.etat.ledger.budgetline.CoverGroup;
import org.etat.ledger.budgetline.LineKind;
import org.etat.ledger.budgetline.LineOpened;
import org.etat.ledger.budgetline.TitleKey;
import org.etat.ledger.common.Receipt;
import org.etat.ledger.reallocation.LegalBasis;
import org.etat.ledger.reallocation.ReallocatedOut;
import org.junit.jupiter.api.Test;

/** The field-visible mapper must not break what Axon itself stores with it: tokens and metadata. */
class AxonJsonTest {

    private final Serializer serializer = JacksonSerializer.builder().objectMapper(AxonJson.newMapper()).lenientDeserialization().build();

    @Test
    void trackingTokensRoundTrip() {
        GapAwareTrackingToken gaps = GapAwareTrackingToken.newInstance(42, List.of(7L, 9L));
        TrackingToken replay = ReplayToken.createReplayToken(new GlobalSequenceTrackingToken(100), new GlobalSequenceTrackingToken(5));

        assertThat(roundTrip(gaps)).isEqualTo(gaps);
        assertThat(roundTrip(new GlobalSequenceTrackingToken(17))).isEqualTo(new GlobalSequenceTrackingToken(17));
        assertThat(roundTrip(replay)).isEqualTo(replay);
    }

    @Test
    void eventsMetadataAndReceiptsRoundTripWithIsoDates() {
        LineOpened opened = new LineOpened("2024-08030-54669", 2024, TitleKey.of("08030", "54669").withTitelgruppe("69"), "Zweck",
                LineKind.EXPENDITURE, false, List.of(CoverGroup.mutual("G")), LocalDate.of(2024, 1, 1));
        ReallocatedOut out = new ReallocatedOut("2024-08030-54669", "r-1", "2024-08030-68469", 400_000_00L, LegalBasis.coverGroup("G"),
                "Umschichtung", LocalDate.of(2024, 9, 16));
        MetaData meta = MetaData.from(Map.of("principal", "anna", "recordedAt", "2026-11-24T12:00:00Z"));

        assertThat(roundTrip(opened)).isEqualTo(opened);
        assertThat(roundTrip(out)).isEqualTo(out);
        assertThat(roundTrip(meta)).isEqualTo(meta);
        assertThat(roundTrip(new Receipt(List.of("e1"), Map.of("l", 5L)))).isEqualTo(new Receipt(List.of("e1"), Map.of("l", 5L)));
        assertThat(new String(serializer.serialize(out, byte[].class).getData())).contains("\"effectiveDate\":\"2024-09-16\"");
    }

    private <T> T roundTrip(T value) {
        SerializedObject<byte[]> bytes = serializer.serialize(value, byte[].class);
        return serializer.deserialize(bytes);
    }
}
