package org.etat.app.http;

import java.util.List;

/** A request whose body or parameters are malformed; answered 400 naming every offending field. */
public class InvalidRequestException extends RuntimeException {

    private final List<FieldError> errors;

    public InvalidRequestException(List<FieldError> errors) {
        super(summary(errors), null, false, false);
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }

    private static String summary(List<FieldError> errors) {
        if (errors.size() == 1) {
            FieldError e = errors.get(0);
            return e.field().isEmpty() ? e.detail() : e.field() + ": " + e.detail();
        }
        return errors.size() + " fields are invalid; see errors";
    }
}
