package org.etat.app.ledger;

import java.sql.SQLException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.etat.ledger.budgetline.OpenLine;
import org.etat.ledger.common.LedgerMetadata;
import org.etat.ledger.common.LedgerRejection;
import org.etat.ledger.common.Limits;
import org.etat.ledger.common.Receipt;
import org.etat.ledger.common.Rule;
import org.etat.ledger.recording.RequestAlreadyRecorded;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * The one way into the ledger for the HTTP API, the importer and the command line. It stamps who
 * and which request, retries lost optimistic-concurrency races (another node appended to the same
 * line first), and turns every rule violation into a {@link LedgerRejection}.
 */
@Service
public class LedgerGateway {

    private final CommandGateway commands;
    private final int maxAttempts;
    private final AtomicLong racesLost = new AtomicLong();

    public LedgerGateway(CommandGateway commands, @Value("${etat.ledger.max-attempts:8}") int maxAttempts) {
        this.commands = commands;
        this.maxAttempts = Math.max(1, maxAttempts);
    }

    /**
     * Sends a command and waits for its outcome. A retry with the same request id and content
     * returns the first receipt again and records nothing.
     *
     * @throws LedgerRejection a rule refused it; nothing was recorded
     * @throws LedgerBusyException concurrent writers won every attempt; nothing was recorded
     */
    public Receipt send(Object command, String principal, String requestId) {
        return send(command, principal, requestId, Map.of());
    }

    /**
     * As {@link #send(Object, String, String)}, with more command metadata for handler interceptors
     * (e.g. the HTTP Idempotency-Key to claim in the command's transaction). It is not copied onto events.
     */
    public Receipt send(Object command, String principal, String requestId, Map<String, ?> extraMetadata) {
        return submit(command, principal, requestId, extraMetadata).receipt();
    }

    /** A command's receipt, and whether it was answered for a request recorded before (nothing new recorded). */
    public record Outcome(Receipt receipt, boolean replayed) {
    }

    /** As {@link #send(Object, String, String, Map)}, telling a first recording from a repeat. */
    public Outcome submit(Object command, String principal, String requestId, Map<String, ?> extraMetadata) {
        Objects.requireNonNull(command, "command");
        requireText(principal, "principal");
        requireText(requestId, "request id");
        Map<String, Object> metadata = new java.util.HashMap<>(extraMetadata);
        metadata.put(LedgerMetadata.PRINCIPAL, principal);
        metadata.put(LedgerMetadata.REQUEST_ID, requestId);
        GenericCommandMessage<Object> message = new GenericCommandMessage<>(command).andMetaData(metadata);
        RuntimeException lost = null;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            try {
                Receipt receipt = commands.sendAndWait(message);
                if (receipt == null) {
                    // sendAndWait answers null when the waiting thread is interrupted.
                    throw new LedgerBusyException("interrupted while waiting for the ledger; the outcome is unknown, "
                            + "retry with the same request id", null);
                }
                return new Outcome(receipt, false);
            } catch (RuntimeException e) {
                Throwable cause = unwrap(e);
                if (cause instanceof RequestAlreadyRecorded already) {
                    return new Outcome(already.receipt(), true);
                } else if (cause instanceof LedgerRejection rejection) {
                    throw rejection;
                } else if (cause instanceof AggregateNotFoundException notFound) {
                    throw new LedgerRejection(Rule.LINE_NOT_OPEN, "budget line " + notFound.getAggregateIdentifier() + " does not exist");
                } else if (cause instanceof ConcurrencyException || cause instanceof AggregateStreamCreationException || rolledBackByDatabase(e)) {
                    // Another writer appended to (or created) the same line first; the retry sees its events.
                    // Or PostgreSQL chose this transaction as a deadlock victim (two batches appending to the same
                    // lines in opposite orders, fault suite scenario 5) and rolled all of it back: same race, same retry.
                    lost = cause instanceof RuntimeException r ? r : e;
                    racesLost.incrementAndGet();
                    backOff(attempt);
                } else {
                    throw e;
                }
            }
        }
        if (command instanceof OpenLine open) {
            throw new LedgerRejection(Rule.LINE_ALREADY_OPEN, "budget line " + open.lineId() + " is already open");
        }
        throw new LedgerBusyException("gave up after " + maxAttempts + " attempts: other writers kept changing the same lines", lost);
    }

    /** How often a command lost an optimistic-concurrency race and was retried, since start. */
    public long racesLost() {
        return racesLost.get();
    }

    /** The rule violation or race inside Axon's wrappers. */
    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        for (int depth = 0; depth < 10 && t != null; depth++) {
            if (t instanceof LedgerRejection || t instanceof RequestAlreadyRecorded || t instanceof AggregateNotFoundException
                    || t instanceof ConcurrencyException || t instanceof AggregateStreamCreationException) {
                return t;
            }
            if (t instanceof CommandExecutionException cee && cee.getDetails().orElse(null) instanceof LedgerRejection r) {
                return r;
            }
            t = t.getCause() == t ? null : t.getCause();
        }
        return e;
    }

    /** PostgreSQL rolled the whole transaction back: deadlock victim (40P01) or serialization failure (40001). */
    static boolean rolledBackByDatabase(Throwable e) {
        Throwable t = e;
        for (int depth = 0; depth < 15 && t != null; depth++) {
            if (t instanceof SQLException sql && ("40P01".equals(sql.getSQLState()) || "40001".equals(sql.getSQLState()))) {
                return true;
            }
            t = t.getCause() == t ? null : t.getCause();
        }
        return false;
    }

    /** 1-2 ms, doubling per attempt up to about 64 ms, with jitter so racing writers spread out. */
    private static void backOff(int attempt) {
        long baseMicros = 1_000L << Math.min(attempt - 1, 6);
        long micros = baseMicros + ThreadLocalRandom.current().nextLong(baseMicros);
        LockSupport.parkNanos(micros * 1_000L);
    }

    private static void requireText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is required");
        }
        if (value.length() > Limits.MAX_REFERENCE_LENGTH) {
            throw new LedgerRejection(Rule.LIMIT_EXCEEDED, field + " is longer than " + Limits.MAX_REFERENCE_LENGTH + " characters");
        }
    }
}
