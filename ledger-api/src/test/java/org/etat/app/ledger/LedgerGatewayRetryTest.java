package org.etat.app.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.etat.ledger.budgetline.RecordExpenditure;
import org.etat.ledger.common.Receipt;
import org.junit.jupiter.api.Test;

/**
 * A transaction PostgreSQL rolled back as a deadlock victim recorded nothing, so the gateway retries
 * it like a lost race instead of answering 500 (found by the fault suite, scenario 5: two batches
 * appending to the same lines in opposite orders on two nodes).
 */
class LedgerGatewayRetryTest {

    private static final Receipt RECEIPT = new Receipt(List.of("e-1"), Map.of("2026-09010-51101", 1_00L));

    /** A command gateway whose first {@code failures} sends fail with {@code failure}, then answer {@link #RECEIPT}. */
    private static CommandGateway failingFirst(int failures, RuntimeException failure, AtomicInteger sends) {
        return (CommandGateway) Proxy.newProxyInstance(CommandGateway.class.getClassLoader(), new Class<?>[] {CommandGateway.class},
                (proxy, method, args) -> {
                    if (!method.getName().equals("sendAndWait")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    if (sends.incrementAndGet() <= failures) {
                        throw failure;
                    }
                    return RECEIPT;
                });
    }

    /** As Axon's JDBC engine reports it: a batch insert aborted by PostgreSQL's deadlock detector. */
    private static RuntimeException deadlock() {
        SQLException psql = new SQLException("ERROR: deadlock detected", "40P01");
        BatchUpdateException batch = new BatchUpdateException("Batch entry 0 INSERT INTO domain_event_entry ... was aborted", "40P01", 0,
                new int[0], psql);
        return new CommandExecutionException("command failed", new EventStoreException("An event ... was already inserted", batch));
    }

    private static RecordExpenditure spend() {
        return new RecordExpenditure("2026-09010-51101", 1_00L, LocalDate.of(2026, 3, 2), "x", "D-1", null);
    }

    @Test
    void given_the_transaction_was_a_deadlock_victim_when_sending_then_the_gateway_retries_and_returns_the_receipt() {
        AtomicInteger sends = new AtomicInteger();
        LedgerGateway gateway = new LedgerGateway(failingFirst(2, deadlock(), sends), 8);

        assertThat(gateway.send(spend(), "finance", "req-1")).isEqualTo(RECEIPT);
        assertThat(sends).hasValue(3);
        assertThat(gateway.racesLost()).isEqualTo(2);
    }

    @Test
    void given_deadlocks_on_every_attempt_when_sending_then_the_ledger_is_busy_not_broken() {
        AtomicInteger sends = new AtomicInteger();
        LedgerGateway gateway = new LedgerGateway(failingFirst(Integer.MAX_VALUE, deadlock(), sends), 3);

        assertThatThrownBy(() -> gateway.send(spend(), "finance", "req-2")).isInstanceOf(LedgerBusyException.class);
        assertThat(sends).hasValue(3);
    }

    @Test
    void given_another_database_failure_when_sending_then_it_is_not_retried() {
        AtomicInteger sends = new AtomicInteger();
        RuntimeException other = new CommandExecutionException("command failed",
                new EventStoreException("insert failed", new SQLException("ERROR: value too long", "22001")));
        LedgerGateway gateway = new LedgerGateway(failingFirst(1, other, sends), 8);

        assertThatThrownBy(() -> gateway.send(spend(), "finance", "req-3")).isSameAs(other);
        assertThat(sends).hasValue(1);
    }
}
