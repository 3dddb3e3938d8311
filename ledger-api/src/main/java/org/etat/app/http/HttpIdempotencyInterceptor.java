package org.etat.app.http;

import java.util.HexFormat;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.etat.ledger.common.LedgerMetadata;
import org.etat.ledger.common.Receipt;
import org.etat.ledger.recording.RequestAlreadyRecorded;

/**
 * Claims a ledger write's Idempotency-Key inside the command's transaction, once the command has
 * succeeded, so that the key commits (or rolls back) with its events: one commit per HTTP write.
 * A key this same request claimed before marks a repeat: the ledger has answered it from its request
 * log, and this says so ({@link RequestAlreadyRecorded}), so the response is marked as replayed.
 * Only commands sent by {@link LedgerWriteController} carry the key in their metadata; others pass.
 * Runs inside the transaction Axon's command bus opens before any handler interceptor.
 */
public final class HttpIdempotencyInterceptor implements MessageHandlerInterceptor<CommandMessage<?>> {

    /** Command metadata: the HTTP Idempotency-Key and the SHA-256 (hex) of the request it belongs to. */
    public static final String KEY = "httpIdempotencyKey";
    public static final String REQUEST_SHA256 = "httpRequestSha256";

    private final IdempotencyStore store;

    public HttpIdempotencyInterceptor(IdempotencyStore store) {
        this.store = store;
    }

    @Override
    public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain chain) throws Exception {
        CommandMessage<?> command = unitOfWork.getMessage();
        Object key = command.getMetaData().get(KEY);
        Object sha = command.getMetaData().get(REQUEST_SHA256);
        Object result = chain.proceed();
        if (key != null && sha != null && unitOfWork.parent().isEmpty() && result instanceof Receipt receipt) {
            Object principal = command.getMetaData().get(LedgerMetadata.PRINCIPAL);
            if (!store.claimWithinTransaction(key.toString(), HexFormat.of().parseHex(sha.toString()), principal == null ? "" : principal.toString())) {
                // Nothing new was recorded (the request log answered): rolling back loses nothing.
                throw new RequestAlreadyRecorded(key.toString(), receipt);
            }
        }
        return result;
    }
}
