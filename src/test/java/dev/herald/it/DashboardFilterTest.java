package dev.herald.it;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import static org.assertj.core.api.Assertions.assertThat;

/** The payload filter in the dashboard: set in the create form, refused like other fields, shown, changed and removed. */
class DashboardFilterTest extends DashboardSession {

    @Test
    void aFilterIsSetInTheFormRefusedWithItsPositionShownChangedAndRemoved() throws Exception {
        signIn(HeraldApp.KEY);
        browser.waitText(By.tagName("h1"), "Webhooks");
        browser.type("wh-url", receiver.url("/filtered"));
        browser.type("wh-name", "Filtered");
        browser.type("wh-events", "order.*");
        // Not JSON: refused in the page, on the field, before any call.
        browser.type("wh-filter", "{\"data.amount\":");
        browser.byId("wh-url").submit();
        browser.waitText(By.cssSelector(".create .error"), "the filter is not valid JSON");
        assertThat(browser.byCss(".create .error").getText()).contains("(filter)");
        assertThat(browser.byId("wh-filter").getAttribute("aria-invalid")).isEqualTo("true");
        // JSON, but not a filter: the API's refusal with the position.
        browser.byId("wh-filter").clear();
        browser.type("wh-filter", "{\"data.amount\":{\"$gt\":true}}");
        browser.byId("wh-url").submit();
        browser.waitText(By.cssSelector(".create .error"), "at filter.data.amount.$gt");
        assertThat(browser.byId("wh-filter").getAttribute("aria-invalid")).isEqualTo("true");

        browser.byId("wh-filter").clear();
        browser.type("wh-filter", "{\"data.amount\": {\"$gt\": 100}}");
        browser.byId("wh-url").submit();
        browser.waitText(By.id("status"), "Webhook created: Filtered.");
        WebElement row = browser.waitVisible(By.xpath("//table//tr[th//a[text()='Filtered']]"));
        String hook = row.getAttribute("data-webhook");
        assertThat(api.get("/v1/webhooks/" + hook).get("filter").toString()).isEqualTo("{\"data.amount\":{\"$gt\":100}}");

        row.findElement(By.linkText("Filtered")).click();
        browser.waitText(By.tagName("h1"), "Webhook Filtered");
        assertThat(browser.waitText(By.className("payload-filter"), "$gt").getText()).isEqualTo("{\"data.amount\":{\"$gt\":100}}");
        WebElement edit = browser.byId("wh-filter-edit");
        edit.clear();
        edit.sendKeys("{\"$or\": [{\"type\": \"order.paid\"}, {\"data.s\": {\"$regex\": \"(a)\\\\1\"}}]}");
        browser.byText("button", "Save filter").click();
        browser.waitText(By.className("filter-error"), "at filter.$or[1].data.s.$regex");
        assertThat(browser.byId("wh-filter-edit").getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(api.get("/v1/webhooks/" + hook).get("filter").toString()).isEqualTo("{\"data.amount\":{\"$gt\":100}}");

        edit = browser.byId("wh-filter-edit");
        edit.clear();
        edit.sendKeys("{\"type\": \"order.paid\"}");
        browser.byText("button", "Save filter").click();
        browser.waitText(By.className("payload-filter"), "order.paid");
        assertThat(api.get("/v1/webhooks/" + hook).get("filter").toString()).isEqualTo("{\"type\":\"order.paid\"}");

        browser.byId("wh-filter-edit").clear();
        browser.byText("button", "Save filter").click();
        browser.waitText(By.className("payload-filter"), "none");
        assertThat(api.get("/v1/webhooks/" + hook).get("filter").isNull()).isTrue();
        browser.driver.navigate().refresh();
        assertThat(browser.waitText(By.className("payload-filter"), "none").getText()).isEqualTo("none: every event of the patterns");
        assertThat(browser.cspRefusals()).isEmpty();
    }
}
