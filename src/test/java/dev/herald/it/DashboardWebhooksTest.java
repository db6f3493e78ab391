package dev.herald.it;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The webhooks as the dashboard shows them: what it says of a receiver that fails, the id that
 * tells apart webhooks with the same URL, the create form's layout at 1280 px.
 */
class DashboardWebhooksTest extends DashboardSession {

    /**
     * A receiver that answered 500 to every attempt (fewer than the breaker's 20, so it stays
     * closed) is "failing" with its last status on the list and on the webhook page, never
     * "reachable"; one success later it shows no failures.
     */
    @Test
    void aReceiverAnswering500IsShownFailingWithItsLastStatus() throws Exception {
        try (Receiver down = new Receiver()) {
            down.status.set(500);
            String hook = api.hook(down.url("/down"), "[\"down.event\"]");
            api.send("down.event", null);
            api.send("down.event", null);
            HeraldApp.waitUntil(Duration.ofSeconds(20), () -> failedAttempts(hook) == 2);
            assertThat(down.to("/down")).extracting(Receiver.Request::answered).containsExactly(500, 500);

            signIn(HeraldApp.KEY);
            By cell = By.cssSelector("tr[data-webhook='" + hook + "'] td.receiver");
            String said = "failing: 2 failed attempts in a row, the last HTTP 500";
            assertThat(browser.waitText(cell, said).getText()).isEqualTo(said);
            assertThat(browser.byCss("tr[data-webhook='" + hook + "']").getText()).doesNotContain("reachable");

            browser.driver.findElement(By.cssSelector("tr[data-webhook='" + hook + "'] th a")).click();
            browser.waitText(By.tagName("h1"), "Webhook");
            assertThat(browser.waitText(By.className("facts"), said).getText()).doesNotContain("reachable");

            // The receiver recovers: one success, and the page (opened again) says so.
            down.status.set(200);
            api.send("down.event", null);
            HeraldApp.waitUntil(Duration.ofSeconds(20), () -> failedAttempts(hook) == 0);
            browser.driver.navigate().refresh();
            browser.waitText(By.className("facts"), "no failures");
            assertThat(browser.byCss(".facts").getText()).doesNotContain("failing");
        }
    }

    private static int failedAttempts(String hook) {
        try {
            JsonNode failing = api.get("/v1/webhooks/" + hook).get("endpoint_failing");
            return failing.isNull() ? 0 : failing.get("attempts").asInt();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The create form takes a rate limit (and shows the API's refusal naming the field); the webhook
     * page shows it, changes it and removes it, as the API then answers.
     */
    @Test
    void aRateLimitIsSetInTheFormShownChangedAndRemovedOnTheWebhookPage() throws Exception {
        signIn(HeraldApp.KEY);
        browser.waitText(By.tagName("h1"), "Webhooks");
        browser.type("wh-url", receiver.url("/paced"));
        browser.type("wh-name", "Paced");
        browser.type("wh-events", "paced.event");
        browser.type("wh-rate", "0");
        browser.byId("wh-url").submit();
        browser.waitText(By.cssSelector(".create .error"), "rate_limit");
        assertThat(browser.byId("wh-rate").getAttribute("aria-invalid")).isEqualTo("true");

        browser.byId("wh-rate").clear();
        browser.type("wh-rate", "25");
        browser.byId("wh-url").submit();
        browser.waitText(By.id("status"), "Webhook created: Paced.");
        WebElement row = browser.waitVisible(By.xpath("//table//tr[th//a[text()='Paced']]"));
        String hook = row.getAttribute("data-webhook");
        assertThat(api.get("/v1/webhooks/" + hook).get("rate_limit").asInt()).isEqualTo(25);

        row.findElement(By.linkText("Paced")).click();
        browser.waitText(By.tagName("h1"), "Webhook Paced");
        assertThat(browser.waitText(By.className("rate-limit"), "25 deliveries per second").getText())
                .isEqualTo("25 deliveries per second");
        WebElement edit = browser.byId("wh-rate-edit");
        assertThat(edit.getAttribute("value")).isEqualTo("25");
        edit.clear();
        edit.sendKeys("7");
        browser.byText("button", "Save rate limit").click();
        browser.waitText(By.className("rate-limit"), "7 deliveries per second");
        assertThat(api.get("/v1/webhooks/" + hook).get("rate_limit").asInt()).isEqualTo(7);

        browser.byId("wh-rate-edit").clear();
        browser.byText("button", "Save rate limit").click();
        browser.waitText(By.className("rate-limit"), "no limit");
        assertThat(api.get("/v1/webhooks/" + hook).get("rate_limit").isNull()).isTrue();
        browser.driver.navigate().refresh();
        assertThat(browser.waitText(By.className("rate-limit"), "no limit").getText()).isEqualTo("no limit");
        assertThat(browser.cspRefusals()).isEmpty();
    }

    /** Two webhooks without a name at the same URL: each row and each webhook page shows its own id. */
    @Test
    void webhooksWithTheSameUrlAreToldApartByTheirId() throws Exception {
        String url = receiver.url("/twins");
        String first = api.hook(url, "[\"twin.event\"]");
        String second = api.hook(url, "[\"twin.event\"]");
        signIn(HeraldApp.KEY);
        By firstRow = By.cssSelector("tr[data-webhook='" + first + "'] th");
        By secondRow = By.cssSelector("tr[data-webhook='" + second + "'] th");
        assertThat(browser.waitText(firstRow, first).getText()).contains(url).doesNotContain(second);
        assertThat(browser.waitText(secondRow, second).getText()).contains(url).doesNotContain(first);

        browser.driver.findElement(secondRow).findElement(By.tagName("a")).click();
        assertThat(browser.waitText(By.tagName("h1"), second).getText()).contains(url).doesNotContain(first);
        browser.driver.navigate().back();
        // The list is drawn again after its GET: wait for the row (a bare find raced it under load).
        browser.waitVisible(firstRow).findElement(By.tagName("a")).click();
        assertThat(browser.waitText(By.tagName("h1"), first).getText()).contains(url).doesNotContain(second);
    }

    /**
     * At 1280 px the signature select is as wide as its longest choice (nothing cut off), and it
     * and the field beside it stay inside the form.
     */
    @Test
    void theSignatureSelectShowsItsChoicesWholeAt1280() throws Exception {
        signIn(HeraldApp.KEY);
        WebElement select = browser.waitVisible(By.id("wh-signature"));
        assertThat((Long) browser.js("return window.innerWidth")).isBetween(1200L, 1280L);
        List<String> values = new Select(select).getOptions().stream().map(o -> o.getAttribute("value")).toList();
        assertThat(values).hasSizeGreaterThan(3);
        for (String value : values) {
            new Select(select).selectByValue(value);
            @SuppressWarnings("unchecked")
            List<Number> box = (List<Number>) browser.js(
                    // The same select at its natural width (Chromium makes it as wide as its longest option).
                    "const s = arguments[0], probe = s.cloneNode(true);"
                    + "probe.removeAttribute('id'); probe.style.width = 'auto'; probe.style.position = 'absolute';"
                    + "probe.style.visibility = 'hidden'; s.parentNode.append(probe);"
                    + "const natural = probe.getBoundingClientRect().width; probe.remove();"
                    + "const r = s.getBoundingClientRect(), row = s.closest('.two').getBoundingClientRect(),"
                    + " next = document.getElementById('wh-sig-header').getBoundingClientRect();"
                    + "return [r.width, natural, r.left, r.right, row.left, row.right, next.right];", select);
            double width = box.get(0).doubleValue();
            double natural = box.get(1).doubleValue();
            assertThat(width).as("select width with %s chosen, its longest option needs %s", value, natural)
                    .isGreaterThanOrEqualTo(natural - 0.5);
            assertThat(box.get(2).doubleValue()).as("left edge inside the form row").isGreaterThanOrEqualTo(box.get(4).doubleValue() - 0.5);
            assertThat(box.get(3).doubleValue()).as("right edge inside the form row").isLessThanOrEqualTo(box.get(5).doubleValue() + 0.5);
            assertThat(box.get(6).doubleValue()).as("the header field beside it stays inside the row").isLessThanOrEqualTo(box.get(5).doubleValue() + 0.5);
        }
        assertThat((Boolean) browser.js("return document.documentElement.scrollWidth <= window.innerWidth")).isTrue();
        assertThat(browser.cspRefusals()).isEmpty();
    }
}
