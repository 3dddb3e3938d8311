package org.etat.projection;

/** A batch could not be projected; nothing of it was written. */
public class ProjectionException extends RuntimeException {
    public ProjectionException(String message, Throwable cause) {
        super(message, cause);
    }
}
