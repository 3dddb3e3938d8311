package org.etat.app.dashboard;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Debian Chromium driven by the system chromedriver (no driver or browser download), with
 * a fresh profile per browser. Without Chromium the test is skipped, unless CI=true: then it fails.
 */
final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of(System.getProperty("etat.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("etat.chromedriver", "/usr/bin/chromedriver"));
    /** Page loads and renders are waited for up to this long (a deadline, not a pause). */
    static final Duration WAIT = Duration.ofSeconds(30);

    final ChromeDriver driver;
    final WebDriverWait wait;
    private final String base;
    private final Path profile;

    static void requireChromium() {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!present && "true".equalsIgnoreCase(System.getenv("CI"))) {
            fail("CI=true but " + CHROMIUM + " or " + CHROMEDRIVER + " is missing: apt-get install chromium chromium-driver");
        }
        Assumptions.assumeTrue(present, "no " + CHROMIUM + " / " + CHROMEDRIVER + ": browser tests skipped (apt-get install chromium chromium-driver)");
    }

    Browser(int port, String language) {
        this.base = "http://localhost:" + port;
        try {
            this.profile = Files.createTempDirectory("etat-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--lang=" + language,
                "--window-size=1280,1500");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        this.driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(1280, 1500));
        this.wait = new WebDriverWait(driver, WAIT);
    }

    void open(String path) {
        driver.get(base + path);
    }

    String path() {
        return driver.getCurrentUrl().substring(base.length());
    }

    void signIn(String user, String password) {
        submitLogin(user, password);
        wait.until(d -> !path().startsWith("/login"));
    }

    void submitLogin(String user, String password) {
        open("/login");
        WebElement name = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
        name.sendKeys(user);
        driver.findElement(By.id("password")).sendKeys(password);
        driver.findElement(By.id("login-submit")).click();
    }

    WebElement await(By by) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /**
     * The visible text on the page whose contrast against its (composited) background is below WCAG
     * AA: 4.5:1, or 3:1 for large text (24 px, or 18.66 px bold). Canvas (chart) pixels are not text
     * here; every chart has a table alternative, which is.
     */
    @SuppressWarnings("unchecked")
    java.util.List<String> lowContrastText() {
        return (java.util.List<String>) js("""
                const rgba = (s) => { const m = /rgba?\\(([^)]+)\\)/.exec(s); if (!m) return null;
                  const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
                const over = (top, base) => [0, 1, 2].map((i) => top[i] * top[3] + base[i] * (1 - top[3]));
                const background = (e) => { const layers = [];
                  for (let n = e; n; n = n.parentElement) { const c = rgba(getComputedStyle(n).backgroundColor);
                    if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; } }
                  let base = [255, 255, 255]; for (let i = layers.length - 1; i >= 0; i--) base = over(layers[i], base); return base; };
                const opacity = (e) => { let o = 1; for (let n = e; n; n = n.parentElement) o *= Number(getComputedStyle(n).opacity); return o; };
                const lum = (c) => { const [r, g, b] = c.map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
                  return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
                const bad = [];
                for (const e of document.body.querySelectorAll('*')) {
                  if (!Array.from(e.childNodes).some((n) => n.nodeType === 3 && n.textContent.trim())) continue;
                  if (e.closest('[hidden]') || e.disabled) continue;
                  const r = e.getBoundingClientRect();
                  if (r.width <= 1 || r.height <= 1 || r.right <= 0 || r.bottom <= 0) continue;
                  const s = getComputedStyle(e);
                  if (s.visibility !== 'visible') continue;
                  const bg = background(e);
                  const fgc = rgba(s.color);
                  const fg = over([fgc[0], fgc[1], fgc[2], fgc[3] * opacity(e)], bg);
                  const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
                  const ratio = (hi + 0.05) / (lo + 0.05);
                  const size = parseFloat(s.fontSize);
                  const large = size >= 24 || (size >= 18.66 && Number(s.fontWeight) >= 700);
                  if (ratio < (large ? 3 : 4.5)) bad.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + e.className : '')
                    + ' "' + e.textContent.trim().slice(0, 40) + '" ' + ratio.toFixed(2) + ':1');
                }
                return bad;""");
    }

    /**
     * Presses Tab (at most {@code maxTabs} times) until the element with {@code id} has the focus,
     * and collects every focused element whose focus is not visibly marked (no outline of at
     * least 2 px). Fails when the element is never reached by keyboard.
     */
    java.util.List<String> tabTo(String id, int maxTabs) {
        java.util.List<String> unmarked = new java.util.ArrayList<>();
        for (int i = 0; i < maxTabs; i++) {
            new org.openqa.selenium.interactions.Actions(driver).sendKeys(org.openqa.selenium.Keys.TAB).perform();
            String focused = (String) js("""
                    const e = document.activeElement; if (!e || e === document.body) return null;
                    const s = getComputedStyle(e); const r = e.getBoundingClientRect();
                    const marked = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2 && r.right > 0 && r.bottom > 0;
                    return (marked ? '' : '!') + (e.id || e.tagName.toLowerCase() + ':' + e.textContent.trim().slice(0, 30));""");
            if (focused == null) {
                continue;
            }
            String name = focused.startsWith("!") ? focused.substring(1) : focused;
            if (focused.startsWith("!")) {
                unmarked.add(name);
            }
            if (name.equals(id)) {
                return unmarked;
            }
        }
        fail("#" + id + " not reached with " + maxTabs + " presses of Tab");
        return unmarked;
    }

    /** First contentful paint and the moment the page's data was drawn (mark etat-rendered), in ms since navigation, printed for the record; never asserted (no timed assertions). */
    void reportFirstPaint(String page) {
        Object paint = js("const p = performance.getEntriesByName('first-contentful-paint')[0]; return p ? Math.round(p.startTime) : null;");
        Object data = js("const m = performance.getEntriesByName('etat-rendered')[0]; return m ? Math.round(m.startTime) : null;");
        System.out.println("dashboard paint: " + page + " first contentful paint " + paint + " ms, data drawn " + data + " ms");
    }

    /** Saves a screenshot as {@code <name>.png}: into etat.screenshots.dir (docs/screenshots to refresh the README's) or target/screenshots. */
    void screenshot(String name) {
        Path dir = Path.of(System.getProperty("etat.screenshots.dir", "target/screenshots"));
        try {
            Files.createDirectories(dir);
            File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
            Files.copy(shot.toPath(), dir.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
            reportFirstPaint(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a leftover temp profile is harmless
            }
        }
    }
}
