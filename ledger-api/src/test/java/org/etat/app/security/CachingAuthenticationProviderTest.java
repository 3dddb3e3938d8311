package org.etat.app.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;

class CachingAuthenticationProviderTest {

    /** A delegate that counts its (slow, bcrypt-like) checks; only "secret" is the right password. */
    private static final class CountingDelegate implements AuthenticationProvider {
        final AtomicInteger checks = new AtomicInteger();
        final CountDownLatch release;

        CountingDelegate(CountDownLatch release) {
            this.release = release;
        }

        @Override
        public Authentication authenticate(Authentication a) {
            checks.incrementAndGet();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (!"secret".equals(a.getCredentials())) {
                throw new BadCredentialsException("bad");
            }
            return UsernamePasswordAuthenticationToken.authenticated(a.getName(), null, AuthorityUtils.createAuthorityList("ROLE_FINANCE"));
        }

        @Override
        public boolean supports(Class<?> authentication) {
            return true;
        }
    }

    @Test
    void givenManyConcurrentLoginsWithTheSameCredentials_whenNoneIsCached_thenThePasswordIsCheckedOnce() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountingDelegate delegate = new CountingDelegate(release);
        CachingAuthenticationProvider provider = new CachingAuthenticationProvider(delegate, Clock.systemUTC());
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            List<Future<Authentication>> results = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                results.add(pool.submit(() -> provider.authenticate(UsernamePasswordAuthenticationToken.unauthenticated("anna", "secret"))));
            }
            release.countDown();
            for (Future<Authentication> r : results) {
                assertThat(r.get(10, TimeUnit.SECONDS).isAuthenticated()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(delegate.checks.get()).isEqualTo(1);
    }

    @Test
    void givenACachedLogin_whenTheWrongPasswordComes_thenItIsCheckedAndRefused() {
        CountDownLatch open = new CountDownLatch(0);
        CountingDelegate delegate = new CountingDelegate(open);
        CachingAuthenticationProvider provider = new CachingAuthenticationProvider(delegate, Clock.systemUTC());
        provider.authenticate(UsernamePasswordAuthenticationToken.unauthenticated("anna", "secret"));

        assertThatThrownBy(() -> provider.authenticate(UsernamePasswordAuthenticationToken.unauthenticated("anna", "guess")))
                .isInstanceOf(BadCredentialsException.class);
        assertThat(delegate.checks.get()).isEqualTo(2);
    }

    @Test
    void givenACachedLogin_whenItsTimeToLiveHasPassed_thenThePasswordIsCheckedAgain() {
        CountingDelegate delegate = new CountingDelegate(new CountDownLatch(0));
        Instant[] now = {Instant.parse("2026-11-25T00:00:00Z")};
        InstantSource clock = () -> now[0];
        CachingAuthenticationProvider provider = new CachingAuthenticationProvider(delegate, clock);
        provider.authenticate(UsernamePasswordAuthenticationToken.unauthenticated("anna", "secret"));
        provider.authenticate(UsernamePasswordAuthenticationToken.unauthenticated("anna", "secret"));
        assertThat(delegate.checks.get()).isEqualTo(1);

        now[0] = now[0].plusMillis(CachingAuthenticationProvider.TTL_MILLIS + 1);
        provider.authenticate(UsernamePasswordAuthenticationToken.unauthenticated("anna", "secret"));
        assertThat(delegate.checks.get()).isEqualTo(2);
    }

    /** The firewall's header check is the loop form of Spring Security's default expression, for every char. */
    @Test
    void givenEveryCharacter_whenTheHeaderCheckRuns_thenItAgreesWithTheDefaultExpression() {
        Pattern strictDefault = Pattern.compile("[\\p{IsAssigned}&&[^\\p{IsControl}]]*");
        for (int c = 0; c <= 0xffff; c++) {
            if (Character.isSurrogate((char) c)) {
                continue;
            }
            String s = "a" + (char) c + "b";
            assertThat(SecurityConfig.assignedAndNotControl(s)).as("U+%04X", c).isEqualTo(strictDefault.matcher(s).matches());
        }
        assertThat(SecurityConfig.assignedAndNotControl("Basic YmVuY2g6cGFzcw==")).isTrue();
        assertThat(SecurityConfig.assignedAndNotControl("x\r\nSet-Cookie: a=b")).isFalse();
    }
}
