package dev.herald.it;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The customer portal (issue 27) in headless Chromium, as a customer with a link: it opens the
 * application's own dashboard under its name; a webhook made through the form gets its test event
 * delivered to a real loopback receiver; other applications' and the operator's webhooks never show;
 * a read-only link offers no change and the API refuses one; an expired or revoked link says so.
 * And the operator's side: the Applications page makes a link to copy. Screenshots go to
 * target/screenshots/portal-*.png (docs/images/ holds copies).
 */
class PortalTest extends DashboardSession {

    /** A new application; its id. */
    static String application(String name) throws Exception {
        HttpResponse<String> r = api.post("/v1/applications", "{\"name\":\"" + name + "\",\"uid\":\"cust-" + UUID.randomUUID() + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return ApiCalls.json(r).get("id").asText();
    }

    /** A webhook of the application, by the operator; its id. */
    static String hookOf(String app, String name, String path) throws Exception {
        HttpResponse<String> r = api.post("/v1/applications/" + app + "/webhooks", "{\"url\":\"" + receiver.url(path)
                + "\",\"events\":[\"*\"],\"name\":\"" + name + "\",\"retry_schedule\":[\"0s\"]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return ApiCalls.json(r).get("id").asText();
    }

    static JsonNode link(String app, String body) throws Exception {
        HttpResponse<String> r = api.post("/v1/applications/" + app + "/portal", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return ApiCalls.json(r);
    }

    @Test
    void aLinkOpensTheApplicationsDashboardAndATestEventIsDelivered() throws Exception {
        String mine = application("Acme Bakery");
        String other = application("Rival Foods");
        hookOf(other, "Rival orders hook", "/rival");
        api.hook(receiver.url("/operator-own"), "[\"*\"]");
        JsonNode link = link(mine, "{}");
        String token = link.get("token").asText();
        assertThat(link.get("url").asText()).isEqualTo(url("/ui/portal#token=" + token));

        browser.driver.get(link.get("url").asText());
        browser.waitText(By.id("portal-app"), "Acme Bakery");
        browser.waitText(By.tagName("h1"), "Webhooks");
        // The token left the address bar at once and is kept in this tab only.
        assertThat(browser.driver.getCurrentUrl()).doesNotContain(token).endsWith("/ui/portal#/webhooks");
        assertThat(browser.js("return sessionStorage.getItem('herald.portalToken')")).isEqualTo(token);
        assertThat(browser.js("return localStorage.length")).isEqualTo(0L);
        // Only the application's own navigation: no overview, no applications.
        assertThat(browser.driver.findElements(By.cssSelector("#nav a"))).extracting(WebElement::getText).containsExactly("Webhooks");
        browser.waitText(By.tagName("main"), "No webhooks yet");

        String path = "/portal-" + UUID.randomUUID();
        browser.type("wh-url", receiver.url(path));
        browser.type("wh-name", "Bakery orders");
        browser.type("wh-events", "*");
        browser.byId("wh-url").submit();
        browser.waitText(By.id("status"), "Webhook created: Bakery orders.");
        WebElement row = browser.waitVisible(By.xpath("//table//tr[th//a[text()='Bakery orders']]"));
        String hook = row.getAttribute("data-webhook");
        assertThat(api.get("/v1/webhooks/" + hook).get("application_id").asText()).isEqualTo(mine);
        assertThat(browser.driver.findElement(By.tagName("main")).getText())
                .doesNotContain("Rival orders hook").doesNotContain("/rival").doesNotContain("/operator-own");
        assertThat(browser.driver.findElements(By.cssSelector("tr[data-webhook]"))).hasSize(1);
        browser.screenshotFile("portal-webhooks");

        row.findElement(By.linkText("Bakery orders")).click();
        browser.waitText(By.tagName("h1"), "Webhook Bakery orders");
        browser.byText("button", "Send test event").click();
        browser.waitText(By.id("status"), "Test event sent");
        WebElement delivered = browser.waitText(By.cssSelector("table tbody tr"), "success");
        assertThat(delivered.getText()).contains("200");
        assertThat(receiver.to(path)).hasSize(1);
        browser.screenshotFile("portal-webhook");

        // Edit: a new name and patterns, saved with PATCH and shown at once.
        browser.byCss("details.edit summary").click();
        browser.type("wh-edit-name", "Bakery orders v2");
        browser.type("wh-edit-events", "order.*, test");
        browser.byId("wh-edit-name").submit();
        browser.waitText(By.tagName("h1"), "Webhook Bakery orders v2");
        JsonNode edited = api.get("/v1/webhooks/" + hook);
        assertThat(edited.get("name").asText()).isEqualTo("Bakery orders v2");
        assertThat(edited.get("events").toString()).isEqualTo("[\"order.*\",\"test\"]");
        // Pause and resume with the portal's key: the API's state follows.
        browser.byText("button", "Pause").click();
        browser.waitText(By.id("status"), "Paused Bakery orders v2.");
        assertThat(api.get("/v1/webhooks/" + hook).get("active").asBoolean()).isFalse();
        browser.byText("button", "Resume").click();
        browser.waitText(By.id("status"), "Resumed Bakery orders v2.");
        assertThat(api.get("/v1/webhooks/" + hook).get("active").asBoolean()).isTrue();

        browser.driver.findElement(By.cssSelector("table tbody tr a")).click();
        browser.waitText(By.cssSelector("[data-attempt='1'] h3"), "Attempt 1: HTTP 200");
        browser.byText("button", "Retry").click();
        browser.waitText(By.cssSelector("[data-attempt='2'] h3"), "Attempt 2: HTTP 200");
        assertThat(receiver.to(path)).hasSize(2);
        assertThat(browser.cspRefusals()).as("the portal's files need nothing the CSP refuses").isEmpty();
        // Another application's webhook, asked for by id, is as missing as one that never was.
        String rivalHook = api.ids("/v1/applications/" + other + "/webhooks", "data").get(0);
        browser.driver.get(url("/ui/portal#/webhooks/" + rivalHook));
        browser.waitText(By.tagName("main"), "Cannot show the webhook");
        assertThat(browser.driver.findElement(By.tagName("main")).getText()).doesNotContain("Rival orders hook");
    }

    /**
     * The create form offers the catalog's event types to pick (GET /v1/event-types with the portal's key).
     * Runs where the build has the catalog (issue 27's i27-catalog); skipped, saying so, where it does not.
     */
    @Test
    void theCatalogsEventTypesArePickedInTheForm() throws Exception {
        HttpResponse<String> typed = api.post("/v1/event-types", "{\"name\":\"invoice.paid\",\"description\":\"An invoice was paid\"}");
        org.junit.jupiter.api.Assumptions.assumeTrue(typed.statusCode() != 404 && typed.statusCode() != 405,
                "this build has no event-type catalog (POST /v1/event-types: " + typed.statusCode() + ")");
        assertThat(typed.statusCode()).as(typed.body()).isIn(201, 409);
        api.post("/v1/event-types", "{\"name\":\"invoice.voided\"}");
        String app = application("Catalogue Co");
        browser.driver.get(link(app, "{}").get("url").asText());
        browser.waitText(By.id("portal-app"), "Catalogue Co");
        browser.waitVisible(By.cssSelector("[data-event-type='invoice.paid']")).click();
        browser.byCss("[data-event-type='invoice.voided']").click();
        assertThat(browser.byId("wh-events").getAttribute("value")).isEqualTo("invoice.paid, invoice.voided");
        browser.byCss("[data-event-type='invoice.voided']").click();
        assertThat(browser.byId("wh-events").getAttribute("value")).isEqualTo("invoice.paid");
        browser.type("wh-url", receiver.url("/catalogued"));
        browser.type("wh-name", "Paid invoices");
        browser.byId("wh-url").submit();
        browser.waitText(By.id("status"), "Webhook created: Paid invoices.");
        String hook = browser.waitVisible(By.xpath("//table//tr[th//a[text()='Paid invoices']]")).getAttribute("data-webhook");
        JsonNode made = api.get("/v1/webhooks/" + hook);
        assertThat(made.get("events").toString()).isEqualTo("[\"invoice.paid\"]");
        assertThat(made.get("application_id").asText()).isEqualTo(app);
    }

    @Test
    void aReadOnlyLinkOffersNoChangeAndTheApiRefusesOne() throws Exception {
        String app = application("Read Only Ltd");
        String hook = hookOf(app, "Invoices", "/read-only");
        String delivery = ApiCalls.json(api.post("/v1/webhooks/" + hook + "/test", "{}")).get("delivery_id").asText();
        JsonNode link = link(app, "{\"read_only\":true,\"expires_in\":\"2h\"}");

        browser.driver.get(link.get("url").asText());
        browser.waitText(By.id("portal-app"), "Read Only Ltd");
        browser.waitText(By.id("portal-access"), "Read-only");
        browser.waitVisible(By.cssSelector("tr[data-webhook='" + hook + "']"));
        assertNoChangeOffered();
        assertThat(browser.driver.findElements(By.id("wh-url"))).isEmpty();
        browser.screenshotFile("portal-read-only");
        // At a phone's width the header (name, access, Close) wraps: nothing scrolls sideways.
        browser.driver.manage().window().setSize(new org.openqa.selenium.Dimension(375, 800));
        assertThat((Boolean) browser.js("return document.documentElement.scrollWidth <= window.innerWidth"))
                .as("page width %s", browser.js("return document.documentElement.scrollWidth")).isTrue();
        browser.driver.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 900));

        browser.driver.findElement(By.linkText("Invoices")).click();
        browser.waitText(By.tagName("h1"), "Webhook Invoices");
        browser.waitVisible(By.cssSelector("tr[data-delivery='" + delivery + "']"));
        assertNoChangeOffered();
        browser.driver.findElement(By.linkText(delivery)).click();
        browser.waitText(By.cssSelector("[data-attempt='1'] h3"), "Attempt 1");
        assertNoChangeOffered();

        // The API, asked directly with the link's token, refuses every change.
        String token = link.get("token").asText();
        for (String[] change : List.of(new String[] {"POST", "/v1/webhooks"}, new String[] {"PATCH", "/v1/webhooks/" + hook},
                new String[] {"DELETE", "/v1/webhooks/" + hook}, new String[] {"POST", "/v1/deliveries/" + delivery + "/retry"})) {
            HttpResponse<String> r = herald.call(change[0], change[1], "{\"active\":false}", token);
            assertThat(r.statusCode()).as(change[0] + " " + change[1]).isEqualTo(403);
            assertThat(ApiCalls.json(r).get("error").get("code").asText()).isEqualTo("read_only");
        }
        assertThat(api.get("/v1/webhooks/" + hook).get("active").asBoolean()).isTrue();
    }

    @Test
    void anExpiredOrRevokedLinkSaysSo() throws Exception {
        String app = application("Lapsed Inc");
        JsonNode shortLived = link(app, "{\"expires_in\":\"1s\"}");
        String token = shortLived.get("token").asText();
        HeraldApp.waitUntil(Duration.ofSeconds(10), () -> status("/v1/session", token) == 401);
        browser.driver.get(shortLived.get("url").asText());
        browser.waitText(By.tagName("h1"), "This portal link has expired or was revoked");
        assertThat(browser.driver.findElements(By.cssSelector("main button, main form, #nav a:not([hidden])")))
                .noneMatch(WebElement::isDisplayed);
        assertThat(browser.js("return sessionStorage.getItem('herald.portalToken')")).isNull();
        browser.screenshotFile("portal-expired");

        // A link that worked until the operator revoked it (it is the key named "portal link").
        JsonNode revoked = link(app, "{}");
        browser.driver.get("about:blank");
        browser.driver.get(revoked.get("url").asText());
        browser.waitText(By.id("portal-app"), "Lapsed Inc");
        JsonNode keys = api.get("/v1/applications/" + app + "/keys");
        assertThat(keys.get("data")).anyMatch(k -> k.get("id").asText().equals(revoked.get("key_id").asText())
                && k.get("name").asText().equals("portal link"));
        assertThat(herald.call("DELETE", "/v1/applications/" + app + "/keys/" + revoked.get("key_id").asText(), null).statusCode())
                .isEqualTo(204);
        browser.driver.navigate().refresh();
        browser.waitText(By.tagName("h1"), "This portal link has expired or was revoked");
    }

    @Test
    void theOperatorMakesALinkOnTheApplicationsPage() throws Exception {
        signIn(HeraldApp.KEY);
        browser.waitText(By.tagName("h1"), "Webhooks");
        browser.byText("a", "Applications").click();
        browser.waitText(By.tagName("h1"), "Applications");
        String name = "Globex " + UUID.randomUUID().toString().substring(0, 8);
        browser.type("app-name", name);
        browser.type("app-uid", "globex-" + UUID.randomUUID().toString().substring(0, 8));
        browser.byId("app-name").submit();
        browser.waitText(By.id("status"), "Application created: " + name + ".");
        browser.waitVisible(By.linkText(name)).click();
        browser.waitText(By.tagName("h1"), "Application " + name);
        browser.byText("button", "Make a portal link").click();
        WebElement field = browser.waitVisible(By.id("portal-url"));
        String made = field.getAttribute("value");
        assertThat(made).startsWith(url("/ui/portal#token=hk_"));
        browser.screenshotFile("portal-operator-link");

        // The link works: it opens that application's portal.
        browser.driver.get("about:blank");
        browser.driver.get(made);
        browser.waitText(By.id("portal-app"), name);
    }

    private static int status(String path, String key) {
        try {
            return herald.call("GET", path, null, key).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    /** No control that changes something: no form field to fill, no button but the page's own Refresh and Close. */
    private static void assertNoChangeOffered() {
        List<String> buttons = browser.driver.findElements(By.cssSelector("main button")).stream()
                .filter(WebElement::isDisplayed).map(WebElement::getText).toList();
        assertThat(buttons).allMatch(b -> b.equals("Refresh") || b.equals("Load more") || b.equals("Indent JSON")
                || b.equals("Show secret") || b.equals("Hide secret"));
        assertThat(browser.driver.findElements(By.cssSelector("main input:not([type='checkbox']), main textarea"))).isEmpty();
    }
}
