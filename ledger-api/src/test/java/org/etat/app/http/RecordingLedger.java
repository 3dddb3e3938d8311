package org.etat.app.http;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.etat.app.ledger.LedgerGateway;
import org.etat.ledger.common.Receipt;

/** A stand-in for the ledger in web-layer tests: records what it was sent and answers as told. */
public class RecordingLedger extends LedgerGateway {

    public RecordingLedger() {
        super(null, 1);
    }

    public record Sent(Object command, String principal, String requestId) {
    }

    public final List<Sent> sent = new CopyOnWriteArrayList<>();
    public volatile Function<Object, Receipt> answer = c -> new Receipt(List.of(UUID.randomUUID().toString()), Map.of("2024-08030-54669", 70000000L));

    @Override
    public Receipt send(Object command, String principal, String requestId) {
        return send(command, principal, requestId, Map.of());
    }

    /** Whether the next answers are repeats of requests recorded before (as the ledger's request log answers them). */
    public volatile boolean replaying;

    @Override
    public Outcome submit(Object command, String principal, String requestId, Map<String, ?> extraMetadata) {
        sent.add(new Sent(command, principal, requestId));
        return new Outcome(answer.apply(command), replaying);
    }
}
