package org.etat.ledger.recording;

import java.util.Optional;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.etat.ledger.common.LedgerMetadata;
import org.etat.ledger.common.LedgerRejection;
import org.etat.ledger.common.Limits;
import org.etat.ledger.common.Receipt;
import org.etat.ledger.common.Rule;
import org.etat.ledger.recording.RequestLog.LoggedRequest;

/**
 * At most one effect per request id. A command whose request id was recorded with the same content
 * returns the stored receipt and records nothing; with different content it is refused
 * ({@link Rule#IDEMPOTENCY_CONFLICT}). A new request is logged in the same transaction as its events.
 *
 * <p>Must run inside the command's transaction (Axon's command bus starts it before any handler
 * interceptor). Commands without a request id pass through unlogged.
 */
public final class IdempotencyInterceptor implements MessageHandlerInterceptor<CommandMessage<?>> {

    private final RequestLog log;

    public IdempotencyInterceptor(RequestLog log) {
        this.log = log;
    }

    @Override
    public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain chain)
            throws Exception {
        CommandMessage<?> command = unitOfWork.getMessage();
        Object id = command.getMetaData().get(LedgerMetadata.REQUEST_ID);
        if (id == null || unitOfWork.parent().isPresent()) {
            return chain.proceed();
        }
        String requestId = id.toString();
        if (requestId.isBlank() || requestId.length() > Limits.MAX_REFERENCE_LENGTH) {
            throw new LedgerRejection(Rule.LIMIT_EXCEEDED, "request id must be 1 to " + Limits.MAX_REFERENCE_LENGTH + " characters");
        }
        Object principalValue = command.getMetaData().get(LedgerMetadata.PRINCIPAL);
        String principal = principalValue == null ? "" : principalValue.toString();
        String fingerprint = Fingerprint.of(command.getCommandName(), command.getPayload(), principal);

        Optional<LoggedRequest> seen = log.find(requestId);
        if (seen.isPresent()) {
            return replay(seen.get(), requestId, fingerprint);
        }
        Object result;
        try {
            result = chain.proceed();
        } catch (Exception refused) {
            // A concurrent retry may have committed meanwhile and changed what this one saw.
            Optional<LoggedRequest> winner = findQuietly(requestId);
            if (winner.isPresent()) {
                throw new RequestAlreadyRecorded(requestId, replay(winner.get(), requestId, fingerprint));
            }
            throw refused;
        }
        if (!(result instanceof Receipt receipt)) {
            return result;
        }
        Optional<LoggedRequest> winner = log.record(new LoggedRequest(requestId, fingerprint, principal, command.getCommandName(), receipt));
        if (winner.isPresent()) {
            throw new RequestAlreadyRecorded(requestId, replay(winner.get(), requestId, fingerprint));
        }
        return receipt;
    }

    private static Receipt replay(LoggedRequest seen, String requestId, String fingerprint) {
        if (!seen.fingerprint().equals(fingerprint)) {
            throw new LedgerRejection(Rule.IDEMPOTENCY_CONFLICT,
                    "request id " + requestId + " was already used for a different request (" + seen.commandType() + ")");
        }
        return seen.receipt();
    }

    private Optional<LoggedRequest> findQuietly(String requestId) {
        try {
            return log.find(requestId);
        } catch (RuntimeException e) {
            return Optional.empty(); // e.g. the transaction is already aborted; the original failure stands
        }
    }
}
