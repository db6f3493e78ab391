package dev.herald.it;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;


import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ed25519 in the customer portal (issue 28): the signature choice "Standard Webhooks, Ed25519 (v1a)",
 * and the webhook's page showing its public key (GET /v1/webhooks/{id}/public-key) with a copy
 * button instead of a secret.
 */
class PortalPublicKeyTest extends DashboardSession {

    static final String SCHEME = "standard-webhooks-ed25519";

    @Test
    void anEd25519WebhookMadeInThePortalShowsItsPublicKeyAndNoSecret() throws Exception {
        String app = PortalTest.application("Ed Bakery");
        browser.driver.get(PortalTest.link(app, "{}").get("url").asText());
        browser.waitText(By.id("portal-app"), "Ed Bakery");
        browser.type("wh-url", receiver.url("/ed25519"));
        browser.type("wh-name", "Signed with a key pair");
        browser.type("wh-events", "*");
        Select signature = new Select(browser.byId("wh-signature"));
        signature.selectByVisibleText("Standard Webhooks, Ed25519 (v1a)");
        browser.byId("wh-url").submit();
        browser.waitText(By.id("status"), "Webhook created: Signed with a key pair.");
        browser.waitText(By.cssSelector(".messages .notice"), "Signed with Ed25519");
        assertThat(browser.driver.findElements(By.cssSelector(".messages code.secret"))).isEmpty();
        WebElement row = browser.waitVisible(By.xpath("//table//tr[th//a[text()='Signed with a key pair']]"));
        String hook = row.getAttribute("data-webhook");
        assertThat(api.get("/v1/webhooks/" + hook).get("signature").get("scheme").asText()).isEqualTo(SCHEME);

        row.findElement(By.linkText("Signed with a key pair")).click();
        browser.waitText(By.tagName("h1"), "Webhook Signed with a key pair");
        WebElement key = browser.waitVisible(By.id("wh-public-key"));
        String expected = api.get("/v1/webhooks/" + hook + "/public-key").get("public_key").asText();
        assertThat(key.getAttribute("value")).startsWith("whpk_").isEqualTo(expected);
        String main = browser.driver.findElement(By.tagName("main")).getText();
        assertThat(main).doesNotContain("whsec_").doesNotContain("Show secret");

        // A rotation: the new public key in the notice and the view, the old one listed until its grace ends.
        browser.byText("button", "Rotate key pair").click();
        browser.driver.switchTo().alert().accept();
        browser.waitText(By.id("status"), "Key pair rotated for Signed with a key pair.");
        JsonNode keys = api.get("/v1/webhooks/" + hook + "/public-key");
        String rotated = keys.get("public_key").asText();
        assertThat(rotated).startsWith("whpk_").isNotEqualTo(expected);
        assertThat(browser.waitVisible(By.cssSelector("[data-rotated-public-key]")).getText()).isEqualTo(rotated);
        new WebDriverWait(browser.driver, Browser.WAIT).until(d -> rotated.equals(d.findElement(By.id("wh-public-key")).getAttribute("value")));
        assertThat(browser.waitVisible(By.id("wh-public-key-1")).getAttribute("value")).isEqualTo(expected);
        assertThat(browser.byCss(".previous-keys time").getAttribute("datetime"))
                .isEqualTo(keys.get("previous_public_keys").get(0).get("until").asText());
        assertThat(browser.driver.findElement(By.tagName("main")).getText()).doesNotContain("whsec_").doesNotContain("whsk_");
        browser.byCss("button[aria-label='Copy public key']").click();
        new WebDriverWait(browser.driver, Browser.WAIT).until(d -> !d.findElement(By.id("status")).getText().isBlank());
        String said = browser.byId("status").getText();
        // Copied, or (no clipboard in this browser) selected for the user to copy: either way the whole key.
        if (said.startsWith("Public key copied")) {
            assertThat(said).isEqualTo("Public key copied.");
        } else {
            assertThat(said).startsWith("Not copied");
            assertThat(browser.js("const i = document.getElementById('wh-public-key');"
                    + " return [document.activeElement === i, i.selectionStart, i.selectionEnd]").toString()).isEqualTo("[true, 0, 49]");
        }
        browser.screenshotFile("webhook-access-public-key");
        assertThat(browser.cspRefusals()).isEmpty();
    }
}
