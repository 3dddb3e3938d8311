package org.etat.app.http;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Puts the request's id and principal into the logging context (MDC) of every log line written
 * while it is handled, and echoes the id as {@code X-Request-Id}. The id is the request's
 * Idempotency-Key when it has a usable one, else a generated one, so a write's log lines, its
 * request-log row and its events share one id. Two parts: {@link #ids()} runs first of all filters,
 * {@link #principal()} after Spring Security has authenticated the caller.
 *
 * <p>Logged per request: method, path (line ids, no personal data), status and duration; never
 * headers (Authorization), bodies (payees, purposes) or query strings.
 */
public final class RequestContextFilter {

    public static final String REQUEST_ID = "requestId";
    public static final String PRINCIPAL = "principal";
    public static final String REQUEST_ID_HEADER = "X-Request-Id";
    /** Longest Idempotency-Key taken as the log's request id (the write filter allows 200). */
    static final int MAX_ID_LENGTH = 200;

    private static final Logger log = LoggerFactory.getLogger(RequestContextFilter.class);

    private RequestContextFilter() {
    }

    public static OncePerRequestFilter ids() {
        return new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                String id = usable(request.getHeader(LedgerWriteController.IDEMPOTENCY_KEY));
                if (id == null) {
                    id = UUID.randomUUID().toString();
                }
                response.setHeader(REQUEST_ID_HEADER, id);
                MDC.put(REQUEST_ID, id);
                long start = System.nanoTime();
                try {
                    chain.doFilter(request, response);
                } finally {
                    long millis = (System.nanoTime() - start) / 1_000_000;
                    if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())) {
                        log.info("{} {} -> {} in {} ms", request.getMethod(), request.getRequestURI(), response.getStatus(), millis);
                    } else if (log.isDebugEnabled()) {
                        log.debug("{} {} -> {} in {} ms", request.getMethod(), request.getRequestURI(), response.getStatus(), millis);
                    }
                    MDC.remove(REQUEST_ID);
                    MDC.remove(PRINCIPAL);
                }
            }
        };
    }

    public static OncePerRequestFilter principal() {
        return new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                Authentication auth = SecurityContextHolder.getContext().getAuthentication();
                if (auth != null && auth.isAuthenticated() && auth.getName() != null) {
                    MDC.put(PRINCIPAL, auth.getName());
                }
                chain.doFilter(request, response);
            }
        };
    }

    /** Visible ASCII of bounded length, so a log line cannot be split or forged through the header. */
    static String usable(String key) {
        if (key == null || key.isEmpty() || key.length() > MAX_ID_LENGTH || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            return null;
        }
        return key;
    }
}
