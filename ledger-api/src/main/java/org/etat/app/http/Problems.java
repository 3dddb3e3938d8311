package org.etat.app.http;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.etat.ledger.common.LedgerRejection;
import org.etat.ledger.common.Rule;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * Every error answer is an RFC 9457 problem. Types are stable URIs clients branch on: one per rule
 * of the ledger ({@link Rule#slug()}), plus a few of the HTTP layer itself.
 */
public final class Problems {

    public static final String BASE = "https://etat.example/problems/";
    public static final URI INVALID_REQUEST = URI.create(BASE + "invalid-request");
    public static final URI NOT_FOUND = URI.create(BASE + "not-found");
    public static final URI PAYLOAD_TOO_LARGE = URI.create(BASE + "payload-too-large");
    public static final URI UNSUPPORTED_MEDIA_TYPE = URI.create(BASE + "unsupported-media-type");
    public static final URI NOT_ACCEPTABLE = URI.create(BASE + "not-acceptable");
    public static final URI METHOD_NOT_ALLOWED = URI.create(BASE + "method-not-allowed");
    public static final URI IDEMPOTENCY_KEY_MISSING = URI.create(BASE + "idempotency-key-missing");
    public static final URI IDEMPOTENCY_KEY_IN_USE = URI.create(BASE + "idempotency-key-in-use");
    public static final URI IDEMPOTENCY_CONFLICT = type(Rule.IDEMPOTENCY_CONFLICT);
    public static final URI UNAUTHENTICATED = URI.create(BASE + "unauthenticated");
    public static final URI FORBIDDEN = URI.create(BASE + "forbidden");
    public static final URI UNAVAILABLE = URI.create(BASE + "unavailable");
    public static final URI INTERNAL = URI.create(BASE + "internal-error");

    /** Rules that refuse the request's shape whatever the ledger's state: malformed input, 400. */
    private static final List<Rule> BAD_INPUT = List.of(Rule.INVALID_LINE_ID, Rule.INVALID_TITLE_KEY, Rule.AMOUNT_NOT_POSITIVE,
            Rule.AMOUNT_OUT_OF_RANGE, Rule.LIMIT_EXCEEDED);

    private Problems() {
    }

    public static URI type(Rule rule) {
        return URI.create(BASE + rule.slug());
    }

    /** 404 for what does not exist, 422 for a reused request id, 400 for malformed input, 409 for every rule of budget law. */
    public static HttpStatus status(Rule rule) {
        if (rule == Rule.LINE_NOT_OPEN || rule == Rule.REVERSAL_TARGET_UNKNOWN) {
            return HttpStatus.NOT_FOUND;
        }
        if (rule == Rule.IDEMPOTENCY_CONFLICT) {
            return HttpStatus.UNPROCESSABLE_CONTENT;
        }
        if (BAD_INPUT.contains(rule)) {
            return HttpStatus.BAD_REQUEST;
        }
        return HttpStatus.CONFLICT;
    }

    /** 422: the Idempotency-Key belongs to another request (path, principal or body). */
    public static ProblemDetail keyReused() {
        return of(HttpStatus.UNPROCESSABLE_CONTENT, IDEMPOTENCY_CONFLICT, "Idempotency-Key reused",
                "this Idempotency-Key was used for a different request; use a new key for a new write");
    }

    public static ProblemDetail of(HttpStatus status, URI type, String title, String detail) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
        p.setType(type);
        p.setTitle(title);
        return p;
    }

    public static ProblemDetail rejection(LedgerRejection e) {
        Rule rule = e.rule();
        ProblemDetail p = of(status(rule), type(rule), rule.title(), e.detail());
        p.setProperty("rule", rule.name());
        if (!e.entryErrors().isEmpty()) {
            p.setProperty("errors", e.entryErrors().stream()
                    .map(err -> Map.of("index", err.index(), "rule", err.rule().name(), "type", type(err.rule()).toString(),
                            "detail", err.detail() == null ? "" : err.detail()))
                    .toList());
        }
        return p;
    }

    public static ProblemDetail invalid(InvalidRequestException e) {
        ProblemDetail p = of(HttpStatus.BAD_REQUEST, INVALID_REQUEST, "The request is malformed", e.getMessage());
        p.setProperty("errors", e.errors());
        if (e.errors().size() >= Fields.MAX_ERRORS) {
            p.setProperty("errorsTruncated", true);
        }
        return p;
    }

    public static ProblemDetail invalid(String field, String detail) {
        return invalid(new InvalidRequestException(List.of(new FieldError(field, detail))));
    }
}
