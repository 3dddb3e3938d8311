package org.etat.app.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;

/**
 * Remembers recent successful HTTP Basic logins for a short while. A bcrypt check costs tens of
 * milliseconds of CPU by design; without this every request of a busy client would pay it. Only a
 * SHA-256 of name and password is kept, in memory, bounded in count and age.
 */
final class CachingAuthenticationProvider implements AuthenticationProvider {

    static final int MAX_ENTRIES = 1_000;
    static final long TTL_MILLIS = 5 * 60 * 1_000L;

    private final AuthenticationProvider delegate;
    private final InstantSource clock;
    private final Map<String, Entry> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    /** The keys whose password is being checked right now, each with the lock its other requests wait on. */
    private final java.util.concurrent.ConcurrentHashMap<String, Object> checking = new java.util.concurrent.ConcurrentHashMap<>();

    private record Entry(Authentication result, long expiresAtMillis) {
    }

    CachingAuthenticationProvider(AuthenticationProvider delegate, InstantSource clock) {
        this.delegate = delegate;
        this.clock = clock;
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        if (!(authentication.getCredentials() instanceof String password)) {
            return delegate.authenticate(authentication);
        }
        String key = digest(authentication.getName(), password);
        Authentication known = cached(key);
        if (known != null) {
            return known;
        }
        // One bcrypt per key at a time: when an entry expires under load, hundreds of requests would
        // otherwise each pay tens of milliseconds of CPU at once (seen in the HTTP benchmark).
        Object lock = checking.computeIfAbsent(key, k -> new Object());
        synchronized (lock) {
            try {
                known = cached(key);
                if (known != null) {
                    return known;
                }
                Authentication result = delegate.authenticate(authentication);
                if (result != null && result.isAuthenticated()) {
                    synchronized (cache) {
                        cache.put(key, new Entry(result, clock.millis() + TTL_MILLIS));
                    }
                }
                return result;
            } finally {
                checking.remove(key, lock);
            }
        }
    }

    private Authentication cached(String key) {
        long now = clock.millis();
        synchronized (cache) {
            Entry e = cache.get(key);
            return e != null && e.expiresAtMillis() > now ? e.result() : null;
        }
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }

    private static String digest(String name, String password) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(name.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(password.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
