package org.etat.app.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The browser pages' sign-in: the login form gives a session; the API accepts that session, and a
 * write that rides on it needs the CSRF token (the XSRF-TOKEN cookie's value in X-XSRF-TOKEN).
 * HTTP Basic calls stay stateless. The ledger is a recording stand-in.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BrowserSessionTest {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.Database db = TestDatabase.create();
        registry.add("spring.datasource.url", db::jdbcUrl);
        registry.add("spring.datasource.username", db::user);
        registry.add("spring.datasource.password", db::password);
        registry.add("etat.users", () -> Api.USERS);
    }

    @TestConfiguration
    static class Ledger {
        @Bean
        @Primary
        RecordingLedger recordingLedger() {
            return new RecordingLedger();
        }
    }

    @LocalServerPort
    int port;
    @Autowired
    RecordingLedger ledger;

    static final String SPEND = "{\"amount\":\"1.00\",\"effectiveDate\":\"2024-03-01\",\"purpose\":\"p\",\"documentReference\":\"d\"}";

    /** A browser-like client: keeps cookies, does not follow redirects. */
    final class Session {
        final CookieManager cookies = new CookieManager();
        final HttpClient http = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER).build();

        HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }

        HttpRequest.Builder request(String path) {
            return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
        }

        String cookie(String name) {
            return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(name)).map(HttpCookie::getValue)
                    .findFirst().orElse(null);
        }

        HttpResponse<String> signIn(String user, String password) throws Exception {
            HttpResponse<String> form = send(request("/login").GET());
            Matcher token = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(form.body());
            assertThat(token.find()).as("the login form carries a CSRF token").isTrue();
            String body = "username=" + enc(user) + "&password=" + enc(password) + "&_csrf=" + enc(token.group(1));
            return send(request("/login").header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body)));
        }
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void the_login_form_gives_a_session_that_the_api_reads() throws Exception {
        Session court = new Session();
        HttpResponse<String> login = court.signIn("court", "court-pw");
        assertThat(login.statusCode()).isEqualTo(302);
        assertThat(login.headers().firstValue("location")).hasValueSatisfying(l -> assertThat(l).endsWith("/dashboard/"));
        assertThat(court.cookie("JSESSIONID")).isNotNull();

        assertThat(court.send(court.request("/dashboard/index.html").GET()).statusCode()).isEqualTo(200);
        HttpResponse<String> me = court.send(court.request("/api/v1/me").GET());
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(me.body()).contains("\"court\"").contains("COURT_OF_AUDIT");
        assertThat(court.send(court.request("/api/v1/years").GET()).statusCode()).isEqualTo(200);
        // The session keeps its role: the raw log is for auditors only.
        assertThat(court.send(court.request("/api/v1/events").GET()).statusCode()).isEqualTo(403);
    }

    @Test
    void a_wrong_password_goes_back_to_the_form_and_opens_nothing() throws Exception {
        Session intruder = new Session();
        HttpResponse<String> login = intruder.signIn("court", "wrong");
        assertThat(login.statusCode()).isEqualTo(302);
        assertThat(login.headers().firstValue("location")).hasValueSatisfying(l -> assertThat(l).endsWith("/login?error"));
        assertThat(intruder.send(intruder.request("/api/v1/years").GET()).statusCode()).isEqualTo(401);
    }

    @Test
    void a_write_on_the_session_cookie_needs_the_csrf_token() throws Exception {
        Session finance = new Session();
        finance.signIn("finance", "finance-pw");
        int before = ledger.sent.size();
        String path = "/api/v1/lines/2024-08030-54669/expenditures";

        HttpResponse<String> forged = finance.send(finance.request(path).header("Content-Type", "application/json")
                .header("Idempotency-Key", UUID.randomUUID().toString()).POST(HttpRequest.BodyPublishers.ofString(SPEND)));
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.body()).contains("X-XSRF-TOKEN");
        assertThat(ledger.sent).hasSize(before);

        String token = finance.cookie("XSRF-TOKEN");
        assertThat(token).isNotNull();
        HttpResponse<String> real = finance.send(finance.request(path).header("Content-Type", "application/json").header("X-XSRF-TOKEN", token)
                .header("Idempotency-Key", UUID.randomUUID().toString()).POST(HttpRequest.BodyPublishers.ofString(SPEND)));
        assertThat(real.statusCode()).isEqualTo(201);
        assertThat(ledger.sent).hasSize(before + 1);
        assertThat(ledger.sent.get(ledger.sent.size() - 1).principal()).isEqualTo("finance");
    }

    @Test
    void finance_signed_in_by_form_is_refused_the_dashboard_with_a_page_saying_so() throws Exception {
        Session finance = new Session();
        finance.signIn("finance", "finance-pw");
        HttpResponse<String> audit = finance.send(finance.request("/dashboard/audit.html").GET());
        assertThat(audit.statusCode()).isEqualTo(403);
        assertThat(audit.body()).contains("id=\"denied\"").doesNotContain("latestVerification");
        // Swagger UI is for every signed-in role.
        assertThat(finance.send(finance.request("/swagger-ui/index.html").GET()).statusCode()).isEqualTo(200);
    }

    @Test
    void the_dashboards_own_calls_get_no_basic_challenge_that_would_open_the_browsers_password_dialog() throws Exception {
        Api api = new Api(port);
        Api.Response plain = api.get("/api/v1/years", null);
        assertThat(plain.status()).isEqualTo(401);
        assertThat(plain.header("www-authenticate")).startsWith("Basic");
        Api.Response xhr = api.send(api.request("/api/v1/years", null).header("X-Requested-With", "XMLHttpRequest").GET().build());
        assertThat(xhr.status()).isEqualTo(401);
        assertThat(xhr.header("www-authenticate")).isNull();
        assertThat(xhr.contentType()).startsWith("application/problem+json");
    }

    @Test
    void basic_authentication_creates_no_session_and_needs_no_csrf_token() throws Exception {
        Api api = new Api(port);
        Api.Response read = api.get("/api/v1/years", "court");
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.header("set-cookie")).satisfiesAnyOf(c -> assertThat(c).isNull(), c -> assertThat(c).doesNotContain("JSESSIONID"));
        Api.Response write = api.post("/api/v1/lines/2024-08030-54669/expenditures", "finance", UUID.randomUUID().toString(), SPEND);
        assertThat(write.status()).isEqualTo(201);
        assertThat(write.header("set-cookie")).satisfiesAnyOf(c -> assertThat(c).isNull(), c -> assertThat(c).doesNotContain("JSESSIONID"));
    }
}
