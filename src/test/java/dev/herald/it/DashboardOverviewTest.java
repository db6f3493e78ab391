package dev.herald.it;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

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
