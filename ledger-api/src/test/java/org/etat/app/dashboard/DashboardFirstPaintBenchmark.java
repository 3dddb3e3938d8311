package org.etat.app.dashboard;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.etat.app.EtatApplication;
import org.etat.app.demo.RuhrkonferenzDemo;
import org.etat.app.http.Api;
import org.etat.app.ledger.LedgerGateway;
import org.etat.app.testsupport.EtatIntegrationTest;
import org.etat.ledger.budgetline.RecordExpenditure;
import org.etat.ledger.scenario.Ruhrkonferenz;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * First meaningful paint of every dashboard page on the demo data, in headless Chromium: a
 * benchmark, not a test (its name keeps it out of the normal suite; nothing is asserted on time).
 * Run it with
 *
 * <pre>
 * ./mvnw -B -ntp -pl ledger-api -am test -Dtest=DashboardFirstPaintBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
 *   -Detat.bench.out=$PWD/bench/results [-Detat.bench.loads=7]
 * </pre>
 *
 * Each page is loaded {@code etat.bench.loads} times cold (a fresh browser profile per load: nothing
 * cached) and as often warm (the same browser again: HTTP cache and compiled scripts kept). Reported
 * per page, median (min–max) in ms since navigation start: first contentful paint, the data in the
 * DOM ('etat-rendered') and the frame that paints it ('etat-painted', the first meaningful paint),
 * plus the slowest request and the bytes transferred.
 */
@SpringBootTest(classes = EtatApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource(properties = {"etat.users=" + Api.USERS, "etat.audit.digest.interval=0"})
class DashboardFirstPaintBenchmark extends EtatIntegrationTest {

    /** Loads per page and mode; bounded so a run stays within a few minutes. */
    static final int LOADS = Math.max(1, Math.min(25, Integer.getInteger("etat.bench.loads", 7)));
    static final double TARGET_MS = 1000;

    @LocalServerPort
    int port;
    @Autowired
    LedgerGateway ledger;
    @Autowired
    org.springframework.jdbc.core.JdbcTemplate jdbc;

    @org.springframework.test.context.DynamicPropertySource
    static void signingKey(org.springframework.test.context.DynamicPropertyRegistry registry) throws IOException {
        Path keys = Files.createTempDirectory("etat-bench-keys");
        registry.add("etat.audit.key-directory", keys::toString);
    }

    record Page(String name, String path, String readyId) {
    }

    record Load(double fcp, double rendered, double painted, String slowest, double slowestMs, long bytes) {
    }

    @Test
    void measureFirstPaintOfEveryPage() throws IOException {
        Browser.requireChromium();
        Api api = new Api(port);
        RuhrkonferenzDemo.record(ledger);
        ledger.send(new RecordExpenditure(Ruhrkonferenz.LINE_2024_GRANTS, 1_000_00L, LocalDate.of(2024, 12, 2), "Projektzuschuss", "RK-2024-0100",
                "RK-12"), "finance", "bench-later-expenditure");
        DashboardBrowserTest.eventually(() -> api.get("/api/v1/lines/" + Ruhrkonferenz.LINE_2024_GRANTS, "court").json().path("spent").asText()
                .equals("1000.00"));
        // The audit page with something to show: a stored verification and a signed digest.
        DashboardBrowserTest.eventually(() -> jdbc.queryForObject("SELECT coalesce(max(global_index), -1) FROM audit_chain", Long.class)
                >= jdbc.queryForObject("SELECT max(global_index) FROM domain_event_entry", Long.class));
        api.post("/api/v1/audit/verification", "auditor", "bench-verify", "");
        api.post("/api/v1/audit/digests", "auditor", "bench-digest", "");
        List<Page> pages = List.of(
                new Page("year overview", "/dashboard/?year=2024&lang=de", "einzelplan-08"),
                new Page("money flows", "/dashboard/flows.html?year=2024&lang=de", "largest-outflow"),
                new Page("budget line", "/dashboard/line.html?lang=de&id=" + Ruhrkonferenz.LINE_2024, "events"),
                new Page("annual account", "/dashboard/account.html?year=2024&lang=de", "account-table"),
                new Page("audit", "/dashboard/audit.html?lang=de", "digest"));

        Map<String, List<Load>> cold = new LinkedHashMap<>();
        Map<String, List<Load>> warm = new LinkedHashMap<>();
        long cpuBefore = processCpuNanos();
        long started = System.nanoTime();
        for (Page page : pages) {
            for (int i = 0; i < LOADS; i++) {
                try (Browser b = new Browser(port, "de")) {
                    b.signIn("court", "court-pw");
                    // Signing in lands on the overview, which filled the cache: empty it (compiled scripts go with it).
                    b.driver.executeCdpCommand("Network.clearBrowserCache", Map.of());
                    cold.computeIfAbsent(page.name(), k -> new ArrayList<>()).add(load(b, page));
                }
            }
            try (Browser b = new Browser(port, "de")) {
                b.signIn("court", "court-pw");
                load(b, page); // fills the cache
                for (int i = 0; i < LOADS; i++) {
                    warm.computeIfAbsent(page.name(), k -> new ArrayList<>()).add(load(b, page));
                }
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long serverCpu = processCpuNanos() - cpuBefore;
        write(pages, cold, warm, seconds, serverCpu);
    }

    private static Load load(Browser b, Page page) {
        b.open(page.path());
        b.await(By.id(page.readyId()));
        b.wait.until(d -> Boolean.TRUE.equals(b.js("return performance.getEntriesByName('etat-painted').length > 0;")));
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) b.js("""
                const at = (name) => { const e = performance.getEntriesByName(name)[0]; return e ? e.startTime : -1; };
                let slowest = null, bytes = 0;
                for (const r of performance.getEntriesByType('navigation')) bytes += r.transferSize || 0;
                for (const r of performance.getEntriesByType('resource')) {
                  bytes += r.transferSize || 0;
                  if (!slowest || r.duration > slowest.duration) slowest = r;
                }
                return { fcp: at('first-contentful-paint'), rendered: at('etat-rendered'), painted: at('etat-painted'),
                  slowest: slowest ? new URL(slowest.name).pathname : '', slowestMs: slowest ? slowest.duration : 0, bytes };""");
        return new Load(num(m.get("fcp")), num(m.get("rendered")), num(m.get("painted")), (String) m.get("slowest"), num(m.get("slowestMs")),
                (long) num(m.get("bytes")));
    }

    private static double num(Object o) {
        return ((Number) o).doubleValue();
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static void write(List<Page> pages, Map<String, List<Load>> cold, Map<String, List<Load>> warm, double seconds, long serverCpuNanos)
            throws IOException {
        String version = chromiumVersion();
        StringBuilder md = new StringBuilder();
        md.append("# Dashboard: first meaningful paint on the demo data\n\n");
        md.append("Command: `./mvnw -B -ntp -pl ledger-api -am test -Dtest=DashboardFirstPaintBenchmark -Dsurefire.failIfNoSpecifiedTests=false "
                + "-Detat.bench.out=$PWD/bench/results -Detat.bench.loads=").append(LOADS).append("`  \n");
        md.append("Finished: ").append(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)).append("  \n");
        md.append("Browser: ").append(version).append(", headless (`--headless --no-sandbox --disable-gpu --disable-background-networking`), "
                + "1280x1500, through the system chromedriver. Application on a random port in the same JVM (embedded PostgreSQL 17), "
                + "the Ruhrkonferenz demo plus one expenditure; signed in as the Court of Audit.\n\n");
        md.append("Each page loaded ").append(LOADS).append(" times **cold** (a fresh browser profile per load, its cache emptied after signing in: no HTTP cache, no "
                + "compiled-script cache) and ").append(LOADS).append(" times **warm** (the same browser again, after one load to fill its cache). Milliseconds since "
                + "navigation start, median (min–max). *FCP*: Chromium's first contentful paint (the page frame). *Data in DOM*: the page's "
                + "`etat-rendered` mark, set when its tables and chart are drawn. *First meaningful paint*: `etat-painted`, the end of the "
                + "frame that paints that data (a task queued from the next animation frame). Target: first meaningful paint < ")
                .append((int) TARGET_MS).append(" ms.\n\n");
        md.append("| page | mode | FCP | data in DOM | first meaningful paint | target | slowest request after the page (median ms) | bytes transferred |\n");
        md.append("| --- | --- | ---: | ---: | ---: | --- | --- | ---: |\n");
        for (Page p : pages) {
            row(md, p.name(), "cold", cold.get(p.name()));
            row(md, p.name(), "warm", warm.get(p.name()));
        }
        md.append("\nWall time of the run: ").append(String.format(Locale.ROOT, "%.1f", seconds)).append(" s; the JVM's CPU time meanwhile "
                + "(application and test client, not Chromium): ").append(String.format(Locale.ROOT, "%.1f", serverCpuNanos / 1e9)).append(" s. ")
                .append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" processors visible to the JVM (shared with "
                        + "Chromium and PostgreSQL), Java ").append(System.getProperty("java.version")).append(".\n");
        Path out = Path.of(System.getProperty("etat.bench.out", "target/bench"));
        Files.createDirectories(out);
        Files.writeString(out.resolve("dashboard-first-paint.md"), md.toString());
        System.out.println(md);
    }

    private static String chromiumVersion() throws IOException {
        Process p = new ProcessBuilder(Browser.CHROMIUM.toString(), "--version").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        // Debian's wrapper script may print a shell warning before the version line.
        return out.lines().filter(l -> l.startsWith("Chromium")).findFirst().orElse(out.strip());
    }

    private static void row(StringBuilder md, String page, String mode, List<Load> loads) {
        double painted = median(loads.stream().mapToDouble(Load::painted).toArray());
        Map<String, List<Double>> bySlowest = new LinkedHashMap<>();
        loads.forEach(l -> bySlowest.computeIfAbsent(l.slowest(), k -> new ArrayList<>()).add(l.slowestMs()));
        String slowest = bySlowest.entrySet().stream().max(java.util.Comparator.comparingInt(e -> e.getValue().size()))
                .map(e -> "`" + e.getKey() + "` " + Math.round(median(e.getValue().stream().mapToDouble(Double::doubleValue).toArray()))).orElse("");
        md.append("| ").append(page).append(" | ").append(mode)
                .append(" | ").append(spread(loads.stream().mapToDouble(Load::fcp).toArray()))
                .append(" | ").append(spread(loads.stream().mapToDouble(Load::rendered).toArray()))
                .append(" | ").append(spread(loads.stream().mapToDouble(Load::painted).toArray()))
                .append(" | ").append(painted < TARGET_MS ? "met" : "MISSED")
                .append(" | ").append(slowest)
                .append(" | ").append(String.format(Locale.ROOT, "%,d", Math.round(median(loads.stream().mapToDouble(Load::bytes).toArray()))))
                .append(" |\n");
    }

    private static String spread(double[] values) {
        double min = java.util.Arrays.stream(values).min().orElse(0);
        double max = java.util.Arrays.stream(values).max().orElse(0);
        return String.format(Locale.ROOT, "%d (%d–%d)", Math.round(median(values)), Math.round(min), Math.round(max));
    }

    static double median(double[] values) {
        double[] v = values.clone();
        java.util.Arrays.sort(v);
        int n = v.length;
        return n == 0 ? 0 : n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
