package org.etat.ledger.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.messaging.DefaultInterceptorChain;
import org.axonframework.messaging.MessageHandler;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.etat.ledger.budgetline.RecordExpenditure;
import org.etat.ledger.common.LedgerMetadata;
import org.etat.ledger.common.LedgerRejection;
import org.etat.ledger.common.Receipt;
import org.etat.ledger.common.Rule;
import org.junit.jupiter.api.Test;

/** The interceptor's decisions, with an in-memory request log and a counting handler. */
class IdempotencyInterceptorTest {

    private final Map<String, RequestLog.LoggedRequest> rows = new HashMap<>();
    private RequestLog.LoggedRequest raceWinner;
    private final RequestLog log = new RequestLog() {
        @Override
        public Optional<LoggedRequest> find(String requestId) {
            return Optional.ofNullable(rows.get(requestId));
        }

        @Override
        public Optional<LoggedRequest> record(LoggedRequest request) {
            if (raceWinner != null) {
                rows.put(raceWinner.requestId(), raceWinner);
                return Optional.of(raceWinner);
            }
            return Optional.ofNullable(rows.putIfAbsent(request.requestId(), request));
        }
    };
    private final IdempotencyInterceptor interceptor = new IdempotencyInterceptor(log);
    private final AtomicInteger effects = new AtomicInteger();

    @Test
    void givenANewRequest_thenItIsHandledAndLogged() throws Exception {
        Object result = send(spend(10_00), "anna", "r1");

        assertThat(result).isEqualTo(receipt(1));
        assertThat(rows).containsKey("r1");
        assertThat(rows.get("r1").principal()).isEqualTo("anna");
    }

    @Test
    void givenTheSameRequestAgain_thenTheStoredReceiptAndNoSecondEffect() throws Exception {
        Object first = send(spend(10_00), "anna", "r1");
        Object second = send(spend(10_00), "anna", "r1");

        assertThat(second).isEqualTo(first);
        assertThat(effects).hasValue(1);
    }

    @Test
    void givenTheSameIdWithOtherContent_thenIdempotencyConflict() throws Exception {
        send(spend(10_00), "anna", "r1");

        assertThatThrownBy(() -> send(spend(11_00), "anna", "r1"))
                .isInstanceOfSatisfying(LedgerRejection.class, r -> assertThat(r.rule()).isEqualTo(Rule.IDEMPOTENCY_CONFLICT));
        assertThat(effects).hasValue(1);
    }

    @Test
    void givenAConcurrentRetryCommittedFirst_thenThisOneRollsBackWithTheWinnersReceipt() {
        RecordExpenditure cmd = spend(10_00);
        raceWinner = new RequestLog.LoggedRequest("r1", Fingerprint.of(RecordExpenditure.class.getName(), cmd, "anna"), "anna",
                RecordExpenditure.class.getName(), receipt(99));

        assertThatThrownBy(() -> send(cmd, "anna", "r1"))
                .isInstanceOfSatisfying(RequestAlreadyRecorded.class, e -> assertThat(e.receipt()).isEqualTo(receipt(99)));
    }

    @Test
    void givenNoRequestId_thenThePlainHandlerRuns() throws Exception {
        assertThat(send(spend(10_00), "anna", null)).isEqualTo(receipt(1));
        assertThat(rows).isEmpty();
    }

    private Object send(Object payload, String principal, String requestId) throws Exception {
        Map<String, Object> meta = new HashMap<>();
        meta.put(LedgerMetadata.PRINCIPAL, principal);
        if (requestId != null) {
            meta.put(LedgerMetadata.REQUEST_ID, requestId);
        }
        CommandMessage<Object> command = new GenericCommandMessage<>(payload).andMetaData(meta);
        DefaultUnitOfWork<CommandMessage<?>> uow = DefaultUnitOfWork.startAndGet(command);
        MessageHandler<CommandMessage<?>> handler = m -> receipt(effects.incrementAndGet());
        ResultMessage<?> result = uow.executeWithResult(() -> new DefaultInterceptorChain<>(uow, List.of(interceptor), handler).proceed());
        if (result.isExceptional()) {
            throw (Exception) result.exceptionResult();
        }
        return result.getPayload();
    }

    private static Receipt receipt(int n) {
        return new Receipt(List.of("event-" + n), Map.of("2024-08030-54669", (long) n));
    }

    private static RecordExpenditure spend(long cents) {
        return new RecordExpenditure("2024-08030-54669", cents, LocalDate.of(2024, 5, 10), "Porto", "R-1", null);
    }
}
