package org.etat.app.http;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.etat.ledger.common.Receipt;
import org.etat.ledger.money.Money;

/** What every accepted write answers: the events it recorded and each touched line's available amount. */
@Schema(description = "The events a write recorded and the available amount of every line it touched")
public record WriteResponse(
        @Schema(description = "Ids of the recorded events, in order", example = "[\"6f1c2a9e-0d7b-4c1e-9a55-3f1f0c2b7d10\"]") List<String> eventIds,
        @Schema(description = "Available amount per touched line after the write, decimal strings",
                example = "{\"2024-08030-54669\": \"699602.36\"}") Map<String, String> availableByLine) {

    static WriteResponse of(Receipt receipt) {
        Map<String, String> available = new LinkedHashMap<>();
        new TreeMap<>(receipt.availableCentsByLine()).forEach((line, cents) -> available.put(line, Money.format(cents)));
        return new WriteResponse(receipt.eventIds(), available);
    }
}
