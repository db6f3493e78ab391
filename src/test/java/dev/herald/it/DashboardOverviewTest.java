package dev.herald.it;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The dashboard's overview: Herald's own per-minute counts and backlog, the chart and its text alternative, a Herald without the call. */
class DashboardOverviewTest extends DashboardSession {

    /**
     * The overview with Herald's own numbers: what this test's deliveries add shows in the chart's
     * summary and in its table, and the backlog is the API's.
     */
    @Test
    void overviewShowsTheDeliveriesThatFinished() throws Exception {
        String hook = api.hook(receiver.url("/overview"), "[\"overview.done\"]");
        for (int i = 0; i < 3; i++) {
            api.send("overview.done", null);
        }
        HeraldApp.waitUntil(Duration.ofSeconds(20), () -> receiver.to("/overview").size() == 3);
        HeraldApp.waitUntil(Duration.ofSeconds(20), () -> api.deliveries("/v1/deliveries?webhook_id=" + hook
                + "&status=success") == 3);
        signIn(HeraldApp.KEY);
        browser.waitText(By.tagName("h1"), "Webhooks");
        // Other tests of the class deliver too: the page must show what the API says at that moment.
        String expected = null;
        for (int tries = 0; tries < 5; tries++) {
            expected = summary(api.get("/v1/stats/deliveries?minutes=60"));
            browser.driver.findElement(By.linkText("Overview")).click();
            browser.waitVisible(By.id("chart-summary"));
            if (browser.byId("chart-summary").getText().startsWith(expected)) {
                break;
            }
            browser.driver.findElement(By.linkText("Webhooks")).click();
            browser.waitText(By.tagName("h1"), "Webhooks");
        }
        assertThat(browser.byId("chart-summary").getText()).startsWith(expected);
        assertThat(expected).doesNotContain(" 0 deliveries succeeded");
        assertThat(browser.driver.findElements(By.cssSelector("svg.chart polyline"))).hasSize(2);
        assertThat(browser.driver.findElements(By.cssSelector("details table tbody tr"))).hasSize(60);
        assertThat(browser.byCss(".big-number").getText()).startsWith(api.get("/v1/stats/deliveries?minutes=1").get("pending").asText());
        browser.screenshot("overview");
        assertThat(browser.cspRefusals()).isEmpty();
    }

    /**
     * A fresh Herald has not counted its backlog yet: the overview says it is counting (never a
     * bare "—"), then shows the number, and follows new deliveries on its timer, without a reload.
     * Hidden, it schedules no call; shown again, it asks at once; left, it stops.
     */
    @Test
    void overviewCountsThenFollowsNewDeliveriesWhileShown() throws Exception {
        try (HeraldApp fresh = new HeraldApp(Map.of("herald.metrics.pending-interval", "1s")); Receiver ok = new Receiver()) {
            ApiCalls freshApi = new ApiCalls(fresh);
            browser.driver.get("http://127.0.0.1:" + fresh.port + "/ui/");
            signIn(HeraldApp.KEY);
            browser.waitText(By.tagName("h1"), "Webhooks");
            browser.js(INSTRUMENT);
            browser.driver.findElement(By.linkText("Overview")).click();
            waitFor(Browser.WAIT, "the first count", () -> bigNumber().startsWith("0 deliveries waiting"));
            @SuppressWarnings("unchecked")
            List<String> seen = (List<String>) browser.js("return window.backlogSeen");
            assertThat(seen).as("what the backlog showed").noneMatch(t -> t.contains("—"));
            // Herald starts counting at the first ask and answers at once; on a busy machine the count can
            // finish before that answer is sent, and then there is nothing to wait for.
            List<?> answered = (List<?>) browser.js("return window.pendingAnswered");
            assertThat(answered).as("the pending count in each answer").isNotEmpty();
            if (answered.get(0) == null) {
                assertThat(seen.get(0)).as("the backlog before the first count").startsWith("Counting");
            }

            // New deliveries: three test events wait for a paused webhook, two events reach an active one.
            String paused = freshApi.hook(ok.url("/held"), "[\"held.event\"]");
            assertThat(fresh.call("PATCH", "/v1/webhooks/" + paused, "{\"active\":false}").statusCode()).isEqualTo(200);
            for (int i = 0; i < 3; i++) {
                assertThat(freshApi.post("/v1/webhooks/" + paused + "/test", "{}").statusCode()).isEqualTo(202);
            }
            String active = freshApi.hook(ok.url("/done"), "[\"done.event\"]");
            freshApi.send("done.event", null);
            freshApi.send("done.event", null);
            HeraldApp.waitUntil(Duration.ofSeconds(20), () -> freshApi.deliveries("/v1/deliveries?webhook_id=" + active + "&status=success") == 2);
            waitFor(Duration.ofSeconds(40), "the new backlog", () -> bigNumber().startsWith("3 deliveries waiting"));
            waitFor(Duration.ofSeconds(40), "the new successes", () -> browser.byId("chart-summary").getText()
                    .startsWith("Last 60 minutes: 2 deliveries succeeded and 0 failed"));
            assertThat(browser.js("return window.notReloaded")).as("the same page, never reloaded").isEqualTo(true);

            browser.js(VISIBILITY, true);
            waitFor(Browser.WAIT, "no refresh scheduled while hidden", () -> (Boolean) browser.js(
                    "return window.liveTimers.size === 0 && window.statsInFlight === 0"));
            long calls = (Long) browser.js("return window.statsCalls");
            browser.js(VISIBILITY, false);
            waitFor(Browser.WAIT, "a call at once when shown, and the timer again", () -> (Boolean) browser.js(
                    "return window.statsCalls > arguments[0] && window.liveTimers.size > 0", calls));

            browser.driver.findElement(By.linkText("Webhooks")).click();
            browser.waitText(By.tagName("h1"), "Webhooks");
            waitFor(Browser.WAIT, "no refresh scheduled after leaving", () -> (Boolean) browser.js(
                    "return window.liveTimers.size === 0 && window.statsInFlight === 0"));
            long left = (Long) browser.js("return window.statsCalls");
            browser.js(VISIBILITY, true);
            browser.js(VISIBILITY, false);
            assertThat(browser.js("return window.statsCalls")).as("shown again after leaving: no call").isEqualTo(left);
            assertThat(browser.js("return window.liveTimers.size")).isEqualTo(0L);
        }
    }

    /**
     * Records in the page what the backlog showed, the stats calls and the timers of a second or more
     * (the refresh), so that a test waits on them instead of sleeping.
     */
    private static final String INSTRUMENT = "window.notReloaded = true; window.backlogSeen = [];"
            + "window.statsCalls = 0; window.statsInFlight = 0; window.liveTimers = new Set(); window.pendingAnswered = [];"
            + "const realFetch = window.fetch;"
            + "window.fetch = (url, init) => { if (!String(url).startsWith('/v1/stats/')) return realFetch(url, init);"
            + "  window.statsCalls++; window.statsInFlight++;"
            + "  return realFetch(url, init).then(r => { r.clone().json().then(j => window.pendingAnswered.push(j.pending), () => {}); return r; })"
            + "    .finally(() => { window.statsInFlight--; }); };"
            + "const realSet = window.setTimeout, realClear = window.clearTimeout;"
            + "window.setTimeout = (fn, ms, ...args) => { const id = realSet(() => { window.liveTimers.delete(id); fn(...args); }, ms);"
            + "  if (ms >= 1000) window.liveTimers.add(id); return id; };"
            + "window.clearTimeout = (id) => { window.liveTimers.delete(id); realClear(id); };"
            + "new MutationObserver(() => { const b = document.getElementById('backlog'); const seen = window.backlogSeen;"
            + "  if (b && seen[seen.length - 1] !== b.textContent) seen.push(b.textContent); })"
            + ".observe(document.getElementById('main'), {subtree: true, childList: true, characterData: true});";

    /** The page told it is hidden (true) or shown (false), as a browser does when the tab changes. */
    private static final String VISIBILITY = "const hidden = arguments[0];"
            + "Object.defineProperty(document, 'hidden', {configurable: true, get: () => hidden});"
            + "Object.defineProperty(document, 'visibilityState', {configurable: true, get: () => hidden ? 'hidden' : 'visible'});"
            + "document.dispatchEvent(new Event('visibilitychange'));";

    private static String bigNumber() {
        List<WebElement> found = browser.driver.findElements(By.cssSelector("#backlog .big-number, main .big-number"));
        return found.isEmpty() ? "" : found.get(0).getText();
    }

    private static void waitFor(Duration timeout, String what, java.util.function.Supplier<Boolean> condition) {
        new WebDriverWait(browser.driver, timeout).withMessage(what)
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d -> condition.get());
    }

    private static String summary(JsonNode stats) {
        long success = 0;
        long failed = 0;
        for (JsonNode m : stats.get("minutes")) {
            success += m.get("success").asLong();
            failed += m.get("failed").asLong();
        }
        return "Last 60 minutes: " + success + " deliveries succeeded and " + failed + " failed";
    }

    /** A Herald without the stats call (an older one behind the same dashboard) answers 404: the page says so. */
    @Test
    void overviewSaysWhenStatisticsAreUnavailable() throws Exception {
        signIn(HeraldApp.KEY);
        browser.waitText(By.tagName("h1"), "Webhooks");
        stubStats(404, "{\"error\":{\"code\":\"not_found\",\"message\":\"no such call\"}}");
        browser.driver.findElement(By.linkText("Overview")).click();
        browser.waitText(By.tagName("main"), "Statistics unavailable");
    }

    /** A busy hour, answered inside the browser: the drawing and its text alternative, exactly. */
    @Test
    void overviewDrawsTheStatisticsAsAChartWithATextAlternative() throws Exception {
        StringBuilder minutes = new StringBuilder();
        Instant start = Instant.now().truncatedTo(ChronoUnit.MINUTES).minusSeconds(59 * 60);
        int success = 0;
        int failed = 0;
        for (int i = 0; i < 60; i++) {
            int ok = 20 + (i * 7) % 30;
            int bad = i % 10 == 0 ? 6 : i % 3;
            success += ok;
            failed += bad;
            minutes.append(i == 0 ? "" : ",").append("{\"start\":\"").append(start.plusSeconds(60L * i))
                    .append("\",\"success\":").append(ok).append(",\"failed\":").append(bad).append('}');
        }
        signIn(HeraldApp.KEY);
        browser.waitText(By.tagName("h1"), "Webhooks");
        stubStats(200, "{\"minutes\":[" + minutes + "],\"pending\":123,\"pending_measured_at\":null}");
        browser.driver.findElement(By.linkText("Overview")).click();
        String summary = "Last 60 minutes: " + success + " deliveries succeeded and " + failed + " failed";
        browser.waitText(By.id("chart-summary"), summary);
        assertThat(browser.byCss("svg.chart[role='img'] desc").getAttribute("textContent")).startsWith(summary);
        assertThat(browser.driver.findElements(By.cssSelector("svg.chart polyline"))).hasSize(2);
        assertThat(browser.driver.findElements(By.cssSelector("svg.chart text")).size()).isGreaterThan(8);
        assertThat(browser.byCss(".big-number").getText()).startsWith("123");
        assertThat(browser.driver.findElements(By.cssSelector("details table tbody tr"))).hasSize(60);
        browser.screenshot("overview-sample");
        assertThat(browser.cspRefusals()).isEmpty();
    }

    /** The page's next call for the stats gets this answer, made in the browser. */
    private static void stubStats(int status, String body) {
        browser.js("const real = window.fetch, body = arguments[0], status = arguments[1];"
                + "window.fetch = (url, init) => String(url).startsWith('/v1/stats/deliveries?minutes=60')"
                + " ? Promise.resolve(new Response(body, {status: status, headers: {'Content-Type': 'application/json'}}))"
                + " : real(url, init);", body, status);
    }
}
