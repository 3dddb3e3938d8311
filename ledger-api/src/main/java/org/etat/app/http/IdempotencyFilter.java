package org.etat.app.http;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Every write (POST under /api/v1) passes here after authentication: the body is bounded (413),
 * the Idempotency-Key is required (400), and a key already answered replays its first response;
 * the same key with another request is 422, and with one still running 409.
 *
 * <p>Ledger writes ({@link #LEDGER_WRITES}) pass straight to the ledger: the command claims the key in
 * its own transaction ({@link HttpIdempotencyInterceptor}), so key and events commit together (one
 * commit per write, no round trip before it), and a refused write leaves no key behind. A repeat, or a
 * concurrent duplicate, meets the first in that transaction: the ledger's request log answers with the
 * first receipt, from which the controller builds the first response again (marked replayed), and a key
 * held by another request is refused there (422). Other writes (rebuild, audit) claim the key here
 * before they run, store their response and release the key when refused.
 */
public class IdempotencyFilter extends OncePerRequestFilter {

    static final String REPLAYED = "Idempotent-Replayed";
    /** Request attribute for the controller: the key is claimed by the ledger command's transaction. */
    static final String DEFERRED_CLAIM = IdempotencyFilter.class.getName() + ".deferredClaim";
    /** The paths of {@link LedgerWriteController}: every request that succeeds there went through the ledger. */
    static final java.util.regex.Pattern LEDGER_WRITES = java.util.regex.Pattern.compile("/api/v1/(lines(/[^/]+/(appropriations|amendments"
            + "|blocks|releases|over-plan-consents|expenditures|revenues))?|expenditure-batches|reallocations|carry-overs"
            + "|years/[^/]+/closing|entries/[^/]+/reversal)");

    /** What the controller passes on to the ledger command for a deferred claim. */
    record DeferredClaim(String key, byte[] requestSha256) {
    }
    private static final String[] STORED_HEADERS = {HttpHeaders.LOCATION, HttpHeaders.CONTENT_TYPE};

    private final IdempotencyStore store;
    private final ProblemWriter problems;
    private final long maxBodyBytes;
    private final long maxBatchBodyBytes;

    public IdempotencyFilter(IdempotencyStore store, ProblemWriter problems, long maxBodyBytes, long maxBatchBodyBytes) {
        this.store = store;
        this.problems = problems;
        this.maxBodyBytes = maxBodyBytes;
        this.maxBatchBodyBytes = maxBatchBodyBytes;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        // Imports are multipart uploads of several MB, bounded by the multipart limits, and idempotent
        // by file hash and row without a key (ImportController).
        return !"POST".equals(request.getMethod()) || !request.getRequestURI().startsWith("/api/v1/")
                || request.getRequestURI().equals("/api/v1/imports");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            filter(request, response, chain);
        } catch (RuntimeException e) {
            // The key store is in PostgreSQL too: when it cannot be reached, say so (503), not 500.
            if (!DatabaseUnavailable.is(e) || response.isCommitted()) {
                throw e;
            }
            response.reset();
            response.setHeader(HttpHeaders.RETRY_AFTER, DatabaseUnavailable.RETRY_AFTER_SECONDS);
            problems.write(response, Problems.of(HttpStatus.SERVICE_UNAVAILABLE, Problems.UNAVAILABLE, "Database unavailable",
                    "the ledger's database cannot be reached; retry with the same Idempotency-Key"), request.getRequestURI());
        }
    }

    private void filter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long limit = request.getRequestURI().equals("/api/v1/expenditure-batches") ? maxBatchBodyBytes : maxBodyBytes;
        byte[] body = request.getContentLengthLong() > limit ? null : readUpTo(request.getInputStream(), limit);
        if (body == null) {
            response.setHeader(HttpHeaders.CONNECTION, "close");
            problems.write(response, Problems.of(HttpStatus.CONTENT_TOO_LARGE, Problems.PAYLOAD_TOO_LARGE, "Request body too large",
                    "the body of this request may hold at most " + limit + " bytes"), request.getRequestURI());
            return;
        }
        String key = request.getHeader(LedgerWriteController.IDEMPOTENCY_KEY);
        if (key == null || key.isEmpty() || key.length() > 200 || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            problems.write(response, Problems.of(HttpStatus.BAD_REQUEST, Problems.IDEMPOTENCY_KEY_MISSING, "Idempotency-Key required",
                    "every write needs an Idempotency-Key header of 1-200 visible ASCII characters"), request.getRequestURI());
            return;
        }
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        String principal = auth == null ? "" : auth.getName();
        byte[] fingerprint = fingerprint(request.getRequestURI(), principal, body);
        if (LEDGER_WRITES.matcher(request.getRequestURI()).matches()) {
            request.setAttribute(DEFERRED_CLAIM, new DeferredClaim(key, fingerprint));
            chain.doFilter(new CachedBodyRequest(request, body), response);
            return;
        }
        IdempotencyStore.Claim claim = store.claim(key, fingerprint, principal);
        if (claim instanceof IdempotencyStore.Replay replay) {
            replay(response, replay);
        } else if (claim instanceof IdempotencyStore.Mismatch) {
            problems.write(response, Problems.keyReused(), request.getRequestURI());
        } else if (claim instanceof IdempotencyStore.InProgress) {
            response.setHeader(HttpHeaders.RETRY_AFTER, "1");
            problems.write(response, Problems.of(HttpStatus.CONFLICT, Problems.IDEMPOTENCY_KEY_IN_USE, "Request still running",
                    "the first request with this Idempotency-Key is still running; retry later"), request.getRequestURI());
        } else {
            run(new CachedBodyRequest(request, body), response, chain, key);
        }
    }

    private static Map<String, String> storedHeaders(ContentCachingResponseWrapper wrapper) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : STORED_HEADERS) {
            String value = wrapper.getHeader(name);
            if (value != null) {
                headers.put(name, value);
            }
        }
        return headers;
    }

    private void run(HttpServletRequest request, HttpServletResponse response, FilterChain chain, String key)
            throws ServletException, IOException {
        ContentCachingResponseWrapper wrapper = new ContentCachingResponseWrapper(response);
        boolean completed = false;
        try {
            chain.doFilter(request, wrapper);
            int status = wrapper.getStatus();
            if (status >= 200 && status < 300) {
                store.complete(key, status, storedHeaders(wrapper), wrapper.getContentAsByteArray());
                completed = true;
            }
        } finally {
            if (!completed) {
                releaseQuietly(key);
            }
        }
        wrapper.copyBodyToResponse();
    }

    /** A refused or failed write frees its key; if that fails too, the claim goes stale and is taken over. */
    private void releaseQuietly(String key) {
        try {
            store.release(key);
        } catch (RuntimeException e) {
            if (!DatabaseUnavailable.is(e)) {
                throw e;
            }
        }
    }

    private static void replay(HttpServletResponse response, IdempotencyStore.Replay replay) throws IOException {
        response.setStatus(replay.status());
        replay.headers().forEach(response::setHeader);
        response.setHeader(REPLAYED, "true");
        response.setContentLength(replay.body().length);
        response.getOutputStream().write(replay.body());
        response.flushBuffer();
    }

    /** The request as the key's owner sent it: path, principal and the exact body bytes. */
    private static byte[] fingerprint(String path, String principal, byte[] body) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(path.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(principal.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(body);
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The body, or null when it holds more than {@code limit} bytes. */
    private static byte[] readUpTo(InputStream in, long limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        long total = 0;
        int n;
        while ((n = in.read(buffer)) != -1) {
            total += n;
            if (total > limit) {
                return null;
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    /** The request with its body read once and served from memory. */
    private static final class CachedBodyRequest extends HttpServletRequestWrapper {
        private final byte[] body;

        CachedBodyRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("synchronous only");
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
