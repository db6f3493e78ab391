package dev.herald.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;

import java.util.Map;

/**
 * One Herald, one loopback receiver and one headless Chromium for a dashboard test class; each
 * test starts signed out at 1280 px. Without Chromium every test is skipped, saying why.
 */
abstract class DashboardSession {

    /** What the receiver answers: a distinctive text wrapped in markup that must never become elements. */
    static final String MARK = "herald-dashboard-7f3a";
    static final String HOSTILE = "<img src=x onerror=\"window.pwned=1\"><script>window.pwned=2</script>" + MARK;

    static HeraldApp herald;
    static ApiCalls api;
    static Receiver receiver;
    static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        if (!Browser.installed()) {
            // Each test then says why it is skipped (signedOutAtFullWidth).
            System.err.println("Dashboard tests skipped: " + Browser.MISSING);
            return;
        }
        browser = Browser.start();
        receiver = new Receiver();
        receiver.reply = HOSTILE;
        herald = new HeraldApp(Map.of());
        api = new ApiCalls(herald);
    }

    @AfterAll
    static void stop() throws Exception {
        try (AutoCloseable b = browser; AutoCloseable h = herald; AutoCloseable r = receiver) {
            // closed in reverse order, each even when another fails
        } finally {
            browser = null;
            herald = null;
            receiver = null;
        }
    }

    @BeforeEach
    void signedOutAtFullWidth() {
        Assumptions.assumeTrue(browser != null, Browser.MISSING);
        browser.driver.manage().window().setSize(new Dimension(1280, 900));
        browser.driver.get(url("/ui/"));
        browser.js("sessionStorage.clear()");
        browser.driver.navigate().refresh();
        browser.waitVisible(By.id("api-key"));
    }

    static String url(String path) {
        return "http://127.0.0.1:" + herald.port + path;
    }

    static void signIn(String key) {
        browser.type("api-key", key);
        browser.byId("api-key").submit();
    }
}
