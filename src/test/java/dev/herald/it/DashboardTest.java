package dev.herald.it;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard (/ui/) through a real browser, as a user: sign in, create a webhook, send a
 * test event, read the delivery, retry a failed one, pause and resume; hostile text stays
 * text; the page fits a phone (the overview: DashboardOverviewTest; the file guard, over plain
 * HTTP: DashboardFilesTest). Screenshots of each page go to target/screenshots/ (docs/images/
 * holds copies).
 */
class DashboardTest extends DashboardSession {

    @Test
    void wrongKeyShowsTheApiErrorAndKeepsNothing() {
        signIn("not-a-key");
        browser.waitText(By.id("signin-error"), "the API key is not valid");
        assertThat(browser.js("return sessionStorage.length")).isEqualTo(0L);
        assertThat(browser.driver.findElement(By.id("sign-out")).isDisplayed()).isFalse();
    }

    @Test
    void createSendTestAndReadTheDeliveryAsText() throws Exception {
        browser.screenshot("signin");
        signIn(HeraldApp.KEY);
        browser.waitText(By.tagName("h1"), "Webhooks");
        assertThat(browser.js("return sessionStorage.getItem('herald.apiKey')")).isEqualTo(HeraldApp.KEY);
        assertThat(browser.driver.getCurrentUrl()).doesNotContain(HeraldApp.KEY);

        browser.type("wh-url", receiver.url("/dashboard"));
        browser.type("wh-name", "Orders");
        browser.type("wh-events", "order.*, test");
        new Select(browser.byId("wh-policy")).selectByValue("quick");
        new Select(browser.byId("wh-signature")).selectByValue("github");
        browser.byId("wh-url").submit();
        browser.waitText(By.id("status"), "Webhook created: Orders.");
        WebElement row = browser.waitVisible(By.xpath("//table//tr[th//a[text()='Orders']]"));
        assertThat(row.getText()).contains("order.*, test").contains("active");
        browser.screenshot("webhooks");

        row.findElement(By.linkText("Orders")).click();
        browser.waitText(By.tagName("h1"), "Webhook Orders");
        assertThat(browser.driver.findElement(By.tagName("main")).getText())
                .contains("quick: 0s, 1s, 5s, 30s").contains("header X-Hub-Signature-256").contains("whsec_****");
        browser.byText("button", "Send test event").click();
        browser.waitText(By.id("status"), "Test event sent");
        WebElement delivered = browser.waitText(By.cssSelector("table tbody tr"), "success");
        assertThat(delivered.getText()).contains("200");
        assertThat(receiver.to("/dashboard")).hasSize(1);
        browser.screenshot("webhook");

        browser.byText("button", "Show secret").click();
        browser.waitText(By.className("secret-line"), "Hide secret");
        String page = browser.driver.getCurrentUrl();
        String hook = page.substring(page.indexOf("#/webhooks/") + "#/webhooks/".length());
        String secret = api.get("/v1/webhooks/" + hook + "?include_secret=true").get("secret").asText();
        assertThat(browser.driver.findElement(By.className("secret-line")).getText()).contains(secret).doesNotContain("****");

        browser.driver.findElement(By.cssSelector("table tbody tr a")).click();
        browser.waitText(By.cssSelector("[data-attempt='1'] h3"), "Attempt 1: HTTP 200");
        WebElement responseBody = browser.waitText(By.cssSelector("[data-attempt='1'] .response-body"), MARK);
        // The hostile answer is shown as the text it is: no element was made of it, no script ran.
        assertThat(responseBody.getText()).contains("<img src=x onerror=").contains("<script>");
        assertThat(responseBody.findElements(By.xpath(".//*[not(self::pre)]"))).isEmpty();
        assertThat(browser.driver.findElements(By.cssSelector("main img, main script"))).isEmpty();
        assertThat(browser.js("return window.pwned === undefined")).isEqualTo(true);
        // The body as sent (and signed), then indented on request.
        assertThat(browser.byCss("[data-attempt='1'] .request-body pre").getText()).contains("{\"id\":\"evt_").contains("\"type\":\"test\"");
        browser.byCss("[data-attempt='1'] .request-body button").click();
        browser.waitText(By.cssSelector("[data-attempt='1'] .request-body pre"), "\"type\": \"test\"");
        assertThat(browser.byCss("[data-attempt='1'] .request").getText()).contains("X-Hub-Signature-256");
        browser.screenshot("delivery");
        assertThat(browser.cspRefusals()).as("the dashboard's own files need nothing the CSP refuses").isEmpty();
        // Were markup ever to get in, the policy would still not run it.
        browser.js("const s = document.createElement('script'); s.textContent = 'window.injected = 1'; document.body.append(s);");
        assertThat(browser.js("return window.injected === undefined")).isEqualTo(true);
        assertThat(browser.cspRefusals()).anyMatch(m -> m.contains("inline script"));
    }

    @Test
    void retryTurnsAFailedDeliveryIntoASuccess() throws Exception {
        try (Receiver flaky = new Receiver()) {
            flaky.failFirst = 1;
            flaky.reply = "recovered " + MARK;
            String hook = api.hook(flaky.url("/flaky"), "[\"test\"]");
            String delivery = ApiCalls.json(api.post("/v1/webhooks/" + hook + "/test", "{}")).get("delivery_id").asText();
            // A link to the delivery, opened signed out: the sign-in leads to it.
            browser.driver.get("about:blank");
            browser.driver.get(url("/ui/#/deliveries/" + delivery));
            signIn(HeraldApp.KEY);
            browser.waitText(By.cssSelector("[data-attempt='1'] h3"), "Attempt 1: HTTP 500");
            browser.waitText(By.className("facts"), "failed");

            browser.byText("button", "Retry").click();
            browser.waitText(By.cssSelector("[data-attempt='2'] h3"), "Attempt 2: HTTP 200");
            browser.waitText(By.className("facts"), "success");
            assertThat(browser.byCss("[data-attempt='2'] .response-body").getText()).contains("recovered " + MARK);
            assertThat(flaky.to("/flaky")).extracting(Receiver.Request::answered).containsExactly(500, 200);
        }
    }

    /** A link to a delivery that does not exist: "not found" and nothing else (no Retry, no empty sections). */
    @Test
    void aMissingDeliveryIsNotFoundAndOffersNothing() throws Exception {
        signIn(HeraldApp.KEY);
        browser.waitText(By.tagName("h1"), "Webhooks");
        browser.driver.get(url("/ui/#/deliveries/del_doesnotexist"));
        browser.waitText(By.tagName("h1"), "Delivery not found");
        assertThat(browser.driver.findElement(By.tagName("main")).getText()).contains("There is no delivery del_doesnotexist");
        assertThat(browser.driver.findElements(By.cssSelector("main button"))).isEmpty();
        assertThat(browser.driver.findElements(By.cssSelector("main h2, main section, main [role='alert']"))).isEmpty();
        assertThat(browser.driver.findElement(By.tagName("main")).getText()).doesNotContain("Retry").doesNotContain("Attempts");
    }

    @Test
    void pauseAndResumeShowTheState() throws Exception {
        String hook = api.hook(receiver.url("/paused"), "[\"pause.me\"]");
        signIn(HeraldApp.KEY);
        By row = By.cssSelector("tr[data-webhook='" + hook + "']");
        browser.waitText(row, "active");
        browser.driver.findElement(row).findElement(By.xpath(".//button[text()='Pause']")).click();
        browser.waitText(row, "paused");
        assertThat(api.get("/v1/webhooks/" + hook).get("active").asBoolean()).isFalse();
        browser.driver.findElement(row).findElement(By.xpath(".//button[text()='Resume']")).click();
        browser.waitText(row, "active");
        assertThat(api.get("/v1/webhooks/" + hook).get("active").asBoolean()).isTrue();
    }

    @Test
    void deliveriesPageInTwentyFivesAndFilterByStatus() throws Exception {
        String hook = api.hook(receiver.url("/paged"), "[\"paged.event\"]");
        api.post("/v1/events", "[" + String.join(",", java.util.Collections.nCopies(30, "{\"type\":\"paged.event\",\"data\":{}}")) + "]");
        HeraldApp.waitUntil(java.time.Duration.ofSeconds(20),
                () -> api.deliveries("/v1/deliveries?status=success&webhook_id=" + hook) == 30);
        signIn(HeraldApp.KEY);
        browser.waitText(By.tagName("h1"), "Webhooks");
        browser.driver.get(url("/ui/#/webhooks/" + hook));
        By rows = By.cssSelector("tr[data-delivery]");
        new WebDriverWait(browser.driver, Browser.WAIT).until(ExpectedConditions.numberOfElementsToBe(rows, 25));
        browser.byText("button", "Load more").click();
        new WebDriverWait(browser.driver, Browser.WAIT).until(ExpectedConditions.numberOfElementsToBe(rows, 30));
        assertThat(browser.driver.findElements(By.xpath("//button[normalize-space()='Load more']"))).isEmpty();

        new Select(browser.byId("status-filter")).selectByValue("failed");
        browser.waitText(By.tagName("main"), "No failed deliveries.");
        new Select(browser.byId("status-filter")).selectByValue("success");
        new WebDriverWait(browser.driver, Browser.WAIT).until(ExpectedConditions.numberOfElementsToBe(rows, 25));
    }

    @Test
    void rotateAndDeleteAskFirst() throws Exception {
        String hook = api.hook(receiver.url("/rotated"), "[\"rotate.me\"]");
        String before = api.get("/v1/webhooks/" + hook + "?include_secret=true").get("secret").asText();
        signIn(HeraldApp.KEY);
        By row = By.cssSelector("tr[data-webhook='" + hook + "']");
        browser.waitText(row, "active");

        browser.driver.findElement(row).findElement(By.xpath(".//button[text()='Rotate secret']")).click();
        browser.driver.switchTo().alert().dismiss();
        browser.driver.findElement(row).findElement(By.xpath(".//button[text()='Rotate secret']")).click();
        browser.driver.switchTo().alert().accept();
        browser.waitText(By.id("status"), "Secret rotated");
        String after = api.get("/v1/webhooks/" + hook + "?include_secret=true").get("secret").asText();
        assertThat(after).isNotEqualTo(before);
        assertThat(browser.byCss(".notice code").getText()).isEqualTo(after);

        browser.driver.findElement(row).findElement(By.xpath(".//button[text()='Delete']")).click();
        browser.driver.switchTo().alert().accept();
        browser.waitText(By.id("status"), "Deleted");
        new WebDriverWait(browser.driver, Browser.WAIT).until(ExpectedConditions.numberOfElementsToBe(row, 0));
        assertThat(herald.call("GET", "/v1/webhooks/" + hook, null).statusCode()).isEqualTo(404);
    }

    @Test
    void thePhoneWidthHasNoSidewaysScrolling() throws Exception {
        api.hook(receiver.url("/a-rather-long-path/that/goes/on/and/on/for/a/while?with=query&and=more"), "[\"phone.check\"]");
        browser.driver.manage().window().setSize(new Dimension(375, 800));
        signIn(HeraldApp.KEY);
        browser.waitVisible(By.cssSelector("table tbody tr"));
        assertFitsTheWindow();
        browser.screenshot("phone");
        browser.driver.findElement(By.cssSelector("table tbody tr th a")).click();
        browser.waitText(By.tagName("main"), "Deliveries");
        assertFitsTheWindow();
    }

    private static void assertFitsTheWindow() {
        assertThat((Boolean) browser.js("return document.documentElement.scrollWidth <= window.innerWidth"))
                .as("page width %s, window %s", browser.js("return document.documentElement.scrollWidth"),
                        browser.js("return window.innerWidth")).isTrue();
    }
}
