package org.etat.app.http;

/** One offending field of a request: its JSON path (e.g. {@code entries[3].amount}) and what is wrong. */
public record FieldError(String field, String detail) {
}
