package org.etat.app.kafka;

/** A record on the topic that can never be projected; its message is the reason the dead-letter topic records. */
public class PoisonMessageException extends RuntimeException {

    public PoisonMessageException(String reason) {
        super(reason);
    }
}
