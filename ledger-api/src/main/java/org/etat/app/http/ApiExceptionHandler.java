package org.etat.app.http;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.List;
import org.etat.app.ledger.LedgerBusyException;
import org.etat.ledger.common.LedgerRejection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.ServletRequestBindingException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/** Turns every failure into an RFC 9457 problem with a stable type URI; bad input never becomes a 500. */
@RestControllerAdvice
public class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ApiExceptionHandler.class);

    private final LedgerMetrics metrics;

    public ApiExceptionHandler(LedgerMetrics metrics) {
        this.metrics = metrics;
    }

    @ExceptionHandler(LedgerRejection.class)
    ResponseEntity<Object> rejection(LedgerRejection e, HttpServletRequest request) {
        metrics.rejected(e.rule());
        if (e.rule() == org.etat.ledger.common.Rule.IDEMPOTENCY_CONFLICT) {
            // Over HTTP the request id is the Idempotency-Key: say so in the caller's terms, as the write filter does.
            return problem(Problems.keyReused(), request);
        }
        return problem(Problems.rejection(e), request);
    }

    @ExceptionHandler(InvalidRequestException.class)
    ResponseEntity<Object> invalid(InvalidRequestException e, HttpServletRequest request) {
        return problem(Problems.invalid(e), request);
    }

    @ExceptionHandler(NotFoundException.class)
    ResponseEntity<Object> notFound(NotFoundException e, HttpServletRequest request) {
        return problem(Problems.of(HttpStatus.NOT_FOUND, Problems.NOT_FOUND, "Not found", e.getMessage()), request);
    }

    /** Other writers kept winning the race for the same lines; nothing was recorded, a retry with the same key is safe. */
    @ExceptionHandler(LedgerBusyException.class)
    ResponseEntity<Object> busy(LedgerBusyException e, HttpServletRequest request) {
        ResponseEntity<Object> answer = problem(Problems.of(HttpStatus.SERVICE_UNAVAILABLE, Problems.UNAVAILABLE, "Ledger busy",
                "other writers kept changing the same lines; nothing was recorded; retry with the same Idempotency-Key"), request);
        return ResponseEntity.status(answer.getStatusCode()).headers(answer.getHeaders()).header(HttpHeaders.RETRY_AFTER, "1").body(answer.getBody());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception e, HttpServletRequest request) {
        if (DatabaseUnavailable.is(e)) {
            LOG.warn("database unavailable for {} {}: {}", request.getMethod(), request.getRequestURI(), e.toString());
            return unavailable(request);
        }
        LOG.error("unexpected failure of {} {}", request.getMethod(), request.getRequestURI(), e);
        return problem(Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, Problems.INTERNAL, "Internal error",
                "The ledger could not answer; nothing was recorded unless a retry with the same Idempotency-Key says so"), request);
    }

    /** PostgreSQL cannot be reached; the outcome of a write is settled by a retry with the same Idempotency-Key. */
    static ResponseEntity<Object> unavailable(HttpServletRequest request) {
        ResponseEntity<Object> answer = problem(Problems.of(HttpStatus.SERVICE_UNAVAILABLE, Problems.UNAVAILABLE, "Database unavailable",
                "the ledger's database cannot be reached; retry with the same Idempotency-Key"), request);
        return ResponseEntity.status(answer.getStatusCode()).headers(answer.getHeaders())
                .header(HttpHeaders.RETRY_AFTER, DatabaseUnavailable.RETRY_AFTER_SECONDS).body(answer.getBody());
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        String detail = ex.getMessage() != null && ex.getMessage().startsWith("Required request body is missing")
                ? "request body is missing"
                : "request body is not valid JSON";
        return problem(Problems.invalid("", detail), ((ServletWebRequest) request).getRequest());
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers, HttpStatusCode status,
            WebRequest request) {
        String name = ex.getPropertyName() == null ? "parameter" : ex.getPropertyName();
        String type = ex.getRequiredType() == null ? "another type" : ex.getRequiredType().getSimpleName().toLowerCase();
        return problem(Problems.invalid(name, "must be " + ("int".equals(type) || "long".equals(type) || "integer".equals(type) ? "an integer" : type)),
                ((ServletWebRequest) request).getRequest());
    }

    /** Spring's own problems (415, 406, 405, 404 of unknown paths, missing parameters) get our type URIs. */
    @Override
    protected ResponseEntity<Object> createResponseEntity(Object body, HttpHeaders headers, HttpStatusCode statusCode,
            WebRequest request) {
        if (body instanceof ProblemDetail p && (p.getType() == null || "about:blank".equals(p.getType().toString()))) {
            p.setType(typeFor(statusCode.value()));
        }
        if (body instanceof ProblemDetail p && p.getInstance() == null && request instanceof ServletWebRequest sw) {
            p.setInstance(instance(sw.getRequest()));
        }
        HttpHeaders h = new HttpHeaders();
        h.addAll(headers);
        h.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return new ResponseEntity<>(body, h, statusCode);
    }

    @Override
    protected ResponseEntity<Object> handleServletRequestBindingException(ServletRequestBindingException ex, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        if (ex instanceof MissingRequestHeaderException m) {
            return problem(Problems.invalid(m.getHeaderName(), "header is required"), ((ServletWebRequest) request).getRequest());
        }
        return super.handleServletRequestBindingException(ex, headers, status, request);
    }

    private static URI typeFor(int status) {
        return switch (status) {
            case 400 -> Problems.INVALID_REQUEST;
            case 404 -> Problems.NOT_FOUND;
            case 405 -> Problems.METHOD_NOT_ALLOWED;
            case 406 -> Problems.NOT_ACCEPTABLE;
            case 413 -> Problems.PAYLOAD_TOO_LARGE;
            case 415 -> Problems.UNSUPPORTED_MEDIA_TYPE;
            case 503 -> Problems.UNAVAILABLE;
            default -> Problems.INTERNAL;
        };
    }

    static URI instance(HttpServletRequest request) {
        try {
            return URI.create(request.getRequestURI());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static ResponseEntity<Object> problem(ProblemDetail p, HttpServletRequest request) {
        p.setInstance(instance(request));
        return ResponseEntity.status(p.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(p);
    }

}
