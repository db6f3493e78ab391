package dev.herald.it;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Debian's headless Chromium driven through its own chromedriver, for the dashboard's tests.
 * Both binaries are named here (CHROMIUM and CHROMEDRIVER override the Debian paths), so
 * Selenium Manager never runs and nothing is downloaded. Without them the tests are skipped.
 */
final class Browser implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(15);
    final WebDriver driver;
    private final ChromeDriverService service;
    private final Path profile;

    private Browser(WebDriver driver, ChromeDriverService service, Path profile) {
        this.driver = driver;
        this.service = service;
        this.profile = profile;
    }

    static final String MISSING = "no Chromium: install Debian's chromium and chromium-driver (.ci/run does)";
    private static final File CHROMIUM = new File(env("CHROMIUM", "/usr/bin/chromium"));
    private static final File CHROMEDRIVER = new File(env("CHROMEDRIVER", "/usr/bin/chromedriver"));

    /** Whether Chromium and its driver are installed; the browser tests are skipped ({@link #MISSING}) without. */
    static boolean installed() {
        return CHROMIUM.canExecute() && CHROMEDRIVER.canExecute();
    }

    /** A new browser with a fresh profile; only when {@link #installed()}. */
    static Browser start() throws IOException {
        File chromium = CHROMIUM;
        File chromedriver = CHROMEDRIVER;
        Path profile = Files.createTempDirectory("herald-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,900", "--user-data-dir=" + profile);
        // The console, to see what the Content-Security-Policy refused.
        options.setCapability("goog:loggingPrefs", java.util.Map.of("browser", "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver)
                .usingAnyFreePort().build();
        return new Browser(new ChromeDriver(service, options), service, profile);
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    WebElement waitVisible(By by) {
        return new WebDriverWait(driver, WAIT).until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    /** Waits until the element shows the text (a user reading the page). */
    WebElement waitText(By by, String text) {
        new WebDriverWait(driver, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(by, text));
        return driver.findElement(by);
    }

    void type(String id, String text) {
        WebElement input = waitVisible(By.id(id));
        input.clear();
        input.sendKeys(text);
    }

    WebElement byId(String id) {
        return driver.findElement(By.id(id));
    }

    WebElement byCss(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    /** The clickable element of that tag whose text is exactly {@code text} (a button a user would press). */
    WebElement byText(String tag, String text) {
        return new WebDriverWait(driver, WAIT).until(ExpectedConditions.elementToBeClickable(
                By.xpath("//" + tag + "[normalize-space()='" + text + "']")));
    }

    /** Console messages since the last call that say the page's Content-Security-Policy refused something. */
    java.util.List<String> cspRefusals() {
        return driver.manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER).getAll().stream()
                .map(org.openqa.selenium.logging.LogEntry::getMessage)
                .filter(m -> m.contains("Content Security Policy") || m.contains("Refused to")).toList();
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Saves the page as target/screenshots/dashboard-name.png (copied into docs/images by hand). */
    void screenshot(String name) throws IOException {
        screenshotFile("dashboard-" + name);
    }

    /** Saves the page as target/screenshots/file.png. */
    void screenshotFile(String file) throws IOException {
        Path dir = Files.createDirectories(Path.of("target", "screenshots"));
        // The whole page: the window made as tall as the document (at most 2400 px), then put back.
        Dimension size = driver.manage().window().getSize();
        long chrome = (Long) js("return window.outerHeight - window.innerHeight");
        long page = (Long) js("return document.documentElement.scrollHeight");
        // No focus ring on whatever the test clicked last.
        js("window.scrollTo(0, 0); if (document.activeElement) document.activeElement.blur()");
        driver.manage().window().setSize(new Dimension(size.width, (int) Math.min(Math.max(page + chrome, size.height), 2400)));
        try {
            byte[] png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
            Files.write(dir.resolve(file + ".png"), png);
        } finally {
            driver.manage().window().setSize(size);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            driver.quit();
        } finally {
            service.stop();
            try (Stream<Path> walk = Files.walk(profile)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
