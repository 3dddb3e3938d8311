package org.etat.app.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.http.HttpRequest;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.etat.app.http.Api;
import org.etat.app.http.RecordingLedger;
import org.etat.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Production mode: bearer JWTs, roles from a configured nested claim, principal from another claim. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "etat.security.mode=jwt", "etat.security.jwt.roles-claim=realm_access.roles", "etat.security.jwt.principal-claim=preferred_username"})
class JwtModeTest {

    static final KeyPair KEYS = rsa();
    static final KeyPair OTHER_KEYS = rsa();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.Database db = TestDatabase.create();
        registry.add("spring.datasource.url", db::jdbcUrl);
        registry.add("spring.datasource.username", db::user);
        registry.add("spring.datasource.password", db::password);
    }

    @TestConfiguration
    static class Config {
        @Bean
        @Primary
        RecordingLedger recordingLedger() {
            return new RecordingLedger();
        }

        @Bean
        JwtDecoder jwtDecoder() {
            return NimbusJwtDecoder.withPublicKey((RSAPublicKey) KEYS.getPublic()).build();
        }
    }

    @LocalServerPort
    int port;
    @Autowired
    RecordingLedger ledger;

    static final String SPEND = "{\"amount\":\"1.00\",\"effectiveDate\":\"2024-03-01\",\"purpose\":\"p\",\"documentReference\":\"d\"}";

    @Test
    void a_token_with_the_role_in_the_configured_claim_may_write_and_its_user_is_the_principal() {
        Api.Response r = spend(token(KEYS, "u-123", "kaemmerer", List.of("FINANCE")));

        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(ledger.sent.get(ledger.sent.size() - 1).principal()).isEqualTo("kaemmerer");
    }

    @Test
    void a_token_without_the_role_is_403_and_bad_or_missing_tokens_are_401() {
        assertThat(spend(token(KEYS, "u-1", "admin", List.of("BUDGET_ADMIN", "AUDITOR"))).status()).isEqualTo(403);
        assertThat(spend(token(OTHER_KEYS, "u-1", "mallory", List.of("FINANCE"))).status()).isEqualTo(401);
        assertThat(spend(null).status()).isEqualTo(401);
        assertThat(spend(null).header("WWW-Authenticate")).startsWith("Bearer");
    }

    private Api.Response spend(String token) {
        Api api = new Api(port);
        HttpRequest.Builder b = api.request("/api/v1/lines/2024-08030-54669/expenditures", null).header("Content-Type", "application/json")
                .header("Idempotency-Key", UUID.randomUUID().toString()).POST(HttpRequest.BodyPublishers.ofString(SPEND));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return api.send(b.build());
    }

    private static String token(KeyPair keys, String subject, String username, List<String> roles) {
        try {
            JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(subject).claim("preferred_username", username)
                    .claim("realm_access", Map.of("roles", roles)).issueTime(new Date())
                    .expirationTime(Date.from(Instant.now().plusSeconds(300))).build();
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims);
            jwt.sign(new RSASSASigner(keys.getPrivate()));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
