package org.etat.app.kafka;

/** The broker did not acknowledge in time; the caller retries later (nothing is lost: the event store is the outbox). */
public class KafkaUnavailableException extends RuntimeException {

    public KafkaUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
