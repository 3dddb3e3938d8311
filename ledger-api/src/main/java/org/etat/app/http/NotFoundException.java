package org.etat.app.http;

/** A read for something that does not exist: answered 404. */
public class NotFoundException extends RuntimeException {
    public NotFoundException(String message) {
        super(message, null, false, false);
    }
}
