package org.etat.app.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.etat.app.EtatApplication;
import org.etat.app.demo.RuhrkonferenzDemo;
import org.etat.ledger.scenario.Ruhrkonferenz;
import org.etat.app.http.Api;
import org.etat.app.ledger.LedgerGateway;
import org.etat.app.testsupport.EtatIntegrationTest;
import org.etat.ledger.audit.Digest;
import org.etat.ledger.audit.DigestFile;
import org.etat.ledger.audit.DigestKeys;
import org.etat.ledger.audit.DigestSigner;
import org.etat.ledger.budgetline.RecordExpenditure;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The dashboard in a real browser (headless Chromium) against the application on a random port,
 * with the Ruhrkonferenz case recorded: what the Court of Audit sees, time travel, and who may not.
 */
@SpringBootTest(classes = EtatApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource(properties = {"etat.users=" + Api.USERS, "etat.audit.digest.interval=0"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardBrowserTest extends EtatIntegrationTest {

    static final String TG69_LINE = Ruhrkonferenz.LINE_2024;
    /** The line that gets one more expenditure after the demo, for time travel. */
    static final String LATER_LINE = Ruhrkonferenz.LINE_2024_GRANTS;

    /** Digests are signed with a key generated here (test contexts have none otherwise). */
    static Path keys;

    @DynamicPropertySource
    static void signingKey(DynamicPropertyRegistry registry) throws IOException {
        keys = Files.createTempDirectory("etat-dashboard-keys");
        registry.add("etat.audit.key-directory", keys::toString);
    }

    @LocalServerPort
    int port;
    @Autowired
    LedgerGateway ledger;
    @Autowired
    JdbcTemplate jdbc;

    Api api;
    /** The last moment the demo's entries on LATER_LINE were known, before the later expenditure was recorded. */
    String beforeLaterExpenditure;

    @BeforeAll
    void recordTheRuhrkonferenzAndOneLaterExpenditure() {
        Browser.requireChromium();
        api = new Api(port);
        RuhrkonferenzDemo.record(ledger);
        eventually(() -> api.get("/api/v1/lines/" + TG69_LINE, "court").json().path("reallocatedOut").asText().equals("699602.36")
                && api.get("/api/v1/lines/" + LATER_LINE, "court").json().path("reallocatedIn").asText().equals("400000.00"));
        JsonNode events = api.get("/api/v1/lines/" + LATER_LINE + "/events", "court").json().path("events");
        beforeLaterExpenditure = events.get(events.size() - 1).path("recordedAt").asText();
        ledger.send(new RecordExpenditure(LATER_LINE, 1_000_00L, LocalDate.of(2024, 12, 2), "Projektzuschuss", "RK-2024-0100", "RK-12"),
                "finance", "browser-test-later-expenditure");
        eventually(() -> api.get("/api/v1/lines/" + LATER_LINE, "court").json().path("spent").asText().equals("1000.00"));
        // The audit chain has caught up with the log, so a digest can be issued and covers everything.
        eventually(() -> jdbc.queryForObject("SELECT coalesce(max(global_index), -1) FROM audit_chain", Long.class)
                >= jdbc.queryForObject("SELECT max(global_index) FROM domain_event_entry", Long.class));
    }

    @Test
    void the_2024_overview_drills_down_to_titelgruppe_69_at_0_06_percent_far_below_plan() {
        try (Browser b = new Browser(port, "de")) {
            b.signIn("court", "court-pw");
            b.open("/dashboard/?year=2024&lang=de");
            WebElement einzelplan = b.await(By.id("einzelplan-08"));
            assertThat(einzelplan.getText()).contains("08").contains("2.500.000,00 €").contains("1.397,64 €");
            b.screenshot("overview");

            // Filter by Titelgruppe 69 with the form, then drill down by keyboard: Einzelplan 08, Kapitel 08030.
            b.wait.until(org.openqa.selenium.support.ui.ExpectedConditions.presenceOfElementLocated(By.cssSelector("#tg option[value='69']")));
            new Select(b.driver.findElement(By.id("tg"))).selectByValue("69");
            b.driver.findElement(By.id("filters")).submit();
            b.wait.until(d -> b.path().contains("titelgruppe=69"));
            b.await(By.cssSelector("#einzelplan-08 button")).sendKeys(Keys.ENTER);
            b.await(By.cssSelector("#kapitel-08030 button")).sendKeys(Keys.ENTER);
            WebElement line = b.await(By.id("line-" + TG69_LINE));

            assertThat(normalized(line.getText())).contains("0,06 %").contains("700.000,00 €").contains("397,64 €").contains("weit unter Plan");
            assertThat(line.getAttribute("class")).contains("below");
            b.screenshot("overview-titelgruppe-69");
        }
    }

    @Test
    void the_flows_chart_carries_699_602_36_out_of_the_titelgruppe_69_line() {
        try (Browser b = new Browser(port, "de")) {
            b.signIn("court", "court-pw");
            b.open("/dashboard/flows.html?year=2024&lang=de");
            b.await(By.id("largest-outflow"));
            b.wait.until(d -> Boolean.TRUE.equals(b.js("const c = window.echarts && echarts.getInstanceByDom(document.getElementById('sankey'));"
                    + " return !!c && !!c.getOption().series && c.getOption().series.length > 0;")));
            // Read what the chart was drawn with, not what the API said.
            JsonNode series = Api.JSON.readTree((String) b.js("return JSON.stringify(echarts.getInstanceByDom("
                    + "document.getElementById('sankey')).getOption().series[0]);"));
            assertThat(series.path("type").asText()).isEqualTo("sankey");
            JsonNode node = null;
            for (JsonNode n : series.path("data")) {
                if (n.path("name").asText().equals(TG69_LINE)) {
                    node = n;
                }
            }
            assertThat(node).as("the TG 69 line is a node of the Sankey").isNotNull();
            assertThat(node.path("outflow").asText()).isEqualTo("699602.36");
            BigDecimal out = BigDecimal.ZERO;
            for (JsonNode link : series.path("links")) {
                if (link.path("source").asText().equals(TG69_LINE)) {
                    out = out.add(new BigDecimal(link.path("amount").asText()));
                }
            }
            assertThat(out).isEqualByComparingTo("699602.36");
            assertThat(normalized(b.driver.findElement(By.id("largest-outflow")).getText())).contains("699.602,36 €").contains(TG69_LINE);

            // The trail of the line, from the table alternative (keyboard reachable).
            b.driver.findElement(By.cssSelector("#largest-outflow button")).sendKeys(Keys.ENTER);
            WebElement ends = b.await(By.id("trail-ends"));
            assertThat(normalized(b.driver.findElement(By.id("trail-left")).getText())).isEqualTo("699.602,36 €");
            // Proportional attribution: the receiving line's later 1,000.00 is split by what it got from each source.
            assertThat(normalized(ends.getText())).contains("299.602,36 €").contains("399.789,47 €").contains("210,53 €");
            b.screenshot("flows");
        }
    }

    @Test
    void a_line_known_at_a_moment_before_an_expenditure_was_recorded_shows_the_earlier_balance() {
        try (Browser b = new Browser(port, "de")) {
            b.signIn("court", "court-pw");
            b.open("/dashboard/line.html?lang=de&id=" + LATER_LINE);
            WebElement spent = b.await(By.cssSelector("#component-spent .value-then"));
            assertThat(normalized(spent.getText())).isEqualTo("1.000,00 €");
            b.await(By.cssSelector("#events li[data-type='ExpenditureRecorded']"));

            WebElement knownAt = b.driver.findElement(By.id("knownAt"));
            knownAt.sendKeys(beforeLaterExpenditure, Keys.ENTER);
            b.wait.until(d -> b.driver.findElements(By.cssSelector("#component-spent .value-now")).size() == 1);

            assertThat(normalized(b.driver.findElement(By.cssSelector("#component-spent .value-then")).getText())).isEqualTo("0,00 €");
            assertThat(normalized(b.driver.findElement(By.cssSelector("#component-spent .value-now")).getText())).isEqualTo("1.000,00 €");
            assertThat(normalized(b.driver.findElement(By.cssSelector("#component-available .value-then")).getText())).isEqualTo("1.900.000,00 €");
            assertThat(b.driver.findElements(By.cssSelector("#events li[data-type='ExpenditureRecorded']"))).isEmpty();
            assertThat(b.path()).contains("knownAt=");
            b.screenshot("line-time-travel");

            // The timeline shows who, when, effective date, legal basis and justification of the reallocation received.
            b.open("/dashboard/line.html?lang=en&id=" + TG69_LINE);
            WebElement moved = b.await(By.cssSelector("#events li[data-type='ReallocatedOut']"));
            assertThat(normalized(moved.getText())).contains("demo").contains("2024-09-16").contains("COVER_GROUP 08030-TG69")
                    .contains("Umschichtung zugunsten der Projektförderung").contains("€400,000.00");
            assertThat(normalized(b.driver.findElement(By.cssSelector("#component-reallocatedOut .value-then")).getText())).isEqualTo("€699,602.36");
            assertThat(normalized(b.driver.findElement(By.cssSelector("#component-rate .value-then")).getText())).isEqualTo("0.06%");
            b.screenshot("line");
        }
    }

    @Test
    void the_annual_account_offers_both_csv_variants() {
        try (Browser b = new Browser(port, "de")) {
            b.signIn("court", "court-pw");
            b.open("/dashboard/account.html?year=2024&lang=de");
            WebElement table = b.await(By.id("account-table"));
            assertThat(normalized(table.getText())).contains(TG69_LINE).contains("699.602,36 €");
            assertThat(b.driver.findElement(By.id("csv-rfc")).getAttribute("href")).endsWith("/api/v1/years/2024/annual-account?format=csv");
            assertThat(b.driver.findElement(By.id("csv-german")).getAttribute("href"))
                    .endsWith("/api/v1/years/2024/annual-account?format=csv&variant=german");
            b.screenshot("annual-account");
        }
    }

    /**
     * The only test of this class that verifies or issues a digest, so the "none yet" state is seen
     * first (periodic digests are off here).
     */
    @Test
    void the_audit_page_shows_the_verification_and_the_latest_signed_digest_to_auditors_and_read_only_to_the_court() throws Exception {
        try (Browser court = new Browser(port, "en"); Browser auditor = new Browser(port, "de")) {
            // Before anything was verified or signed: the page says so, without an error.
            court.signIn("court", "court-pw");
            court.open("/dashboard/audit.html?lang=en");
            assertThat(court.await(By.id("verification-unavailable")).getText()).contains("No verification stored yet.");
            assertThat(court.await(By.id("digest-unavailable")).getText()).contains("No digest issued yet.");
            assertThat(court.driver.findElements(By.cssSelector(".msg[role='alert']"))).isEmpty();

            // The auditor verifies and issues a digest, by keyboard.
            auditor.signIn("auditor", "auditor-pw");
            auditor.open("/dashboard/audit.html?lang=de");
            auditor.await(By.id("verify-now"));
            assertThat(auditor.tabTo("verify-now", 30)).as("focused without a visible focus ring").isEmpty();
            auditor.driver.switchTo().activeElement().sendKeys(Keys.ENTER);
            assertThat(auditor.await(By.id("verification-status")).getText()).isEqualTo("in Ordnung");
            JsonNode verified = api.get("/api/v1/audit/verification/latest", "court").json();
            assertThat(verified.path("ok").asBoolean()).isTrue();
            assertThat(auditor.driver.findElement(By.id("events-checked")).getText()).isEqualTo(grouped(verified.path("eventsChecked").asLong(), '.'));
            assertThat(auditor.driver.findElement(By.id("head-hash")).getText()).isEqualTo(verified.path("headHash").asText()).hasSize(64);
            assertThat(auditor.driver.findElement(By.id("conservation-status")).getText()).isEqualTo("in Ordnung");

            assertThat(auditor.tabTo("issue-digest", 30)).as("focused without a visible focus ring").isEmpty();
            auditor.driver.switchTo().activeElement().sendKeys(Keys.ENTER);
            WebElement sequence = auditor.await(By.id("digest-sequence"));
            Digest issued = DigestFile.fromJson(api.get("/api/v1/audit/digests/latest", "court").text());
            assertThat(sequence.getText()).isEqualTo(grouped(issued.sequence(), '.'));
            assertThat(auditor.driver.findElement(By.id("digest-head-hash")).getText()).isEqualTo(issued.headHash().hex());
            assertThat(auditor.driver.findElements(By.cssSelector(".msg[role='alert']"))).isEmpty();
            auditor.screenshot("audit");

            // The court reloads: the same status and digest, the download, and no auditor actions.
            court.open("/dashboard/audit.html?lang=en");
            assertThat(court.await(By.id("verification-status")).getText()).isEqualTo("ok");
            assertThat(court.await(By.id("digest-sequence")).getText()).isEqualTo(grouped(issued.sequence(), ','));
            assertThat(court.driver.findElement(By.id("verified-at")).getText()).endsWith(" UTC");
            assertThat(court.driver.findElement(By.id("verify-box")).isDisplayed()).isFalse();
            assertThat(court.driver.findElement(By.id("issue-box")).isDisplayed()).isFalse();
            WebElement download = court.driver.findElement(By.id("digest-download"));
            assertThat(download.getAttribute("href")).endsWith("/api/v1/audit/digests/latest/file");
            // The link as the browser follows it (session cookie): an attachment holding the signed digest.
            JsonNode file = Api.JSON.readTree((String) court.driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
                    + " fetch(arguments[0]).then(async (r) => done(JSON.stringify({status: r.status,"
                    + " disposition: r.headers.get('content-disposition'), body: await r.text()})));", download.getAttribute("href")));
            assertThat(file.path("status").asInt()).isEqualTo(200);
            assertThat(file.path("disposition").asText()).startsWith("attachment").contains("etat-digest-" + issued.sequence() + "-");
            Digest downloaded = DigestFile.fromJson(file.path("body").asText());
            assertThat(downloaded.headHash()).isEqualTo(issued.headHash());
            assertThat(DigestSigner.signatureValid(downloaded, DigestKeys.readPublic(keys.resolve("signing.pub")))).isTrue();
            // Read-only for the court on the server too, not only by hidden buttons.
            Object refused = court.driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
                    + " const token = (document.cookie.match(/XSRF-TOKEN=([^;]+)/) || [])[1] || '';"
                    + " fetch('/api/v1/audit/verification', {method: 'POST', headers: {'X-Requested-With': 'XMLHttpRequest',"
                    + " 'X-XSRF-TOKEN': decodeURIComponent(token), 'Idempotency-Key': 'court-tries-' + Date.now()}}).then(r => done(r.status));");
            assertThat(((Number) refused).intValue()).isEqualTo(403);
        }
    }

    /** The browser may keep the pages' files (revalidating them), never the data the API answers. */
    @Test
    void static_files_are_revalidated_and_api_answers_are_never_stored() throws Exception {
        try (Browser b = new Browser(port, "de")) {
            b.signIn("court", "court-pw");
            b.open("/dashboard/account.html?year=2024&lang=de");
            b.await(By.id("account-table"));
            String headersOf = "const done = arguments[arguments.length - 1];"
                    + " fetch(arguments[0], {headers: {'X-Requested-With': 'XMLHttpRequest', ...(arguments[1] ? {'If-Modified-Since': arguments[1]} : {})}})"
                    + ".then(r => done(JSON.stringify({status: r.status, cacheControl: r.headers.get('cache-control'),"
                    + " lastModified: r.headers.get('last-modified')})));";
            JsonNode echarts = Api.JSON.readTree((String) b.driver.executeAsyncScript(headersOf, "/webjars/echarts/echarts.min.js", null));
            assertThat(echarts.path("status").asInt()).isEqualTo(200);
            assertThat(echarts.path("cacheControl").asText()).isEqualTo("no-cache");
            assertThat(echarts.path("lastModified").asText()).isNotBlank();
            JsonNode again = Api.JSON.readTree((String) b.driver.executeAsyncScript(headersOf, "/webjars/echarts/echarts.min.js",
                    echarts.path("lastModified").asText()));
            assertThat(again.path("status").asInt()).as("revalidated, not sent again").isEqualTo(304);
            JsonNode data = Api.JSON.readTree((String) b.driver.executeAsyncScript(headersOf, "/api/v1/years/2024/annual-account", null));
            assertThat(data.path("status").asInt()).isEqualTo(200);
            assertThat(data.path("cacheControl").asText()).contains("no-store");
        }
    }

    /** Every page: no text below WCAG AA contrast, and every element reached by Tab shows its focus. */
    @Test
    void every_page_has_sufficient_contrast_and_a_visible_keyboard_focus() {
        try (Browser b = new Browser(port, "de")) {
            b.open("/login?lang=de");
            b.await(By.id("login-form"));
            // The checks themselves: pale text and a focus without a ring are found.
            b.js("const p = document.createElement('p'); p.id = 'pale'; p.textContent = 'pale'; p.style.color = '#bbb';"
                    + " const k = document.createElement('button'); k.id = 'ringless'; k.textContent = 'ringless'; k.style.outline = 'none';"
                    + " document.body.append(p, k);");
            assertThat(b.lowContrastText()).anyMatch(t -> t.startsWith("p#pale"));
            assertThat(b.tabTo("ringless", 5)).contains("ringless");
            b.open("/login?lang=de");
            b.await(By.id("login-form"));
            assertThat(b.lowContrastText()).as("login").isEmpty();
            assertThat(b.tabTo("login-submit", 10)).as("login").isEmpty();
            b.signIn("court", "court-pw");
            String[][] pages = {
                {"/dashboard/?year=2024&lang=de", "einzelplan-08"},
                {"/dashboard/flows.html?year=2024&lang=de", "largest-outflow"},
                {"/dashboard/line.html?lang=de&id=" + TG69_LINE, "events"},
                {"/dashboard/account.html?year=2024&lang=de", "account-table"},
                {"/dashboard/audit.html?lang=de", "digest"},
            };
            for (String[] page : pages) {
                b.open(page[0]);
                b.await(By.id(page[1]));
                b.wait.until(d -> Boolean.TRUE.equals(b.js("return performance.getEntriesByName('etat-rendered').length > 0;")));
                assertThat(b.lowContrastText()).as(page[0]).isEmpty();
                // Tab from the top: the skip link (shown when focused), the brand, the navigation, the tools.
                assertThat(b.tabTo("nav-overview", 5)).as(page[0]).isEmpty();
                assertThat(b.tabTo("sign-out", 10)).as(page[0]).isEmpty();
            }
        }
    }

    @Test
    void finance_users_do_not_see_audit_pages_and_anonymous_users_get_the_login_page() {
        try (Browser b = new Browser(port, "de")) {
            b.open("/dashboard/audit.html");
            b.await(By.id("login-form"));
            assertThat(b.path()).startsWith("/login");
            b.screenshot("login");

            b.submitLogin("court", "wrong");
            b.await(By.id("login-error"));

            b.signIn("finance", "finance-pw");
            b.open("/dashboard/audit.html");
            b.await(By.id("denied"));
            assertThat(b.driver.findElements(By.id("verification"))).isEmpty();
            assertThat(b.driver.findElements(By.id("digest"))).isEmpty();
            // Nor through the API the page would call.
            Object asyncStatus = b.driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
                    + " fetch('/api/v1/audit/verification/latest', {headers: {'X-Requested-With': 'XMLHttpRequest'}}).then(r => done(r.status));");
            assertThat(((Number) asyncStatus).intValue()).isEqualTo(403);
        }
        try (Browser b = new Browser(port, "de")) {
            b.signIn("auditor", "auditor-pw");
            b.open("/dashboard/audit.html");
            b.await(By.id("verify-now"));
        }
    }

    /** 1042 with '.' -> "1.042". */
    static String grouped(long value, char separator) {
        return String.format(java.util.Locale.ROOT, "%,d", value).replace(',', separator);
    }

    static String normalized(String text) {
        return text.replace('\u00a0', ' ').replace('\u202f', ' ');
    }

    static void eventually(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached within 60 s");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
    }
}
