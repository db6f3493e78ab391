package dev.herald.it;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A standard-webhooks-ed25519 webhook in the dashboard: made with the create form, it shows its
 * public key (after create, on its page, after a rotation) and never a secret, nor a way to show one.
 */
class DashboardKeyPairTest extends DashboardSession {

    @Test
    void aKeyPairWebhookShowsItsPublicKeyAndNoSecret() throws Exception {
        signIn(HeraldApp.KEY);
        browser.waitText(By.tagName("h1"), "Webhooks");
        browser.type("wh-url", receiver.url("/key-pair"));
        browser.type("wh-name", "Signed with a key pair");
        browser.type("wh-events", "pair.event");
        new Select(browser.byId("wh-signature")).selectByValue("standard-webhooks-ed25519");
        browser.byId("wh-url").submit();
        browser.waitText(By.id("status"), "Webhook created: Signed with a key pair.");
        WebElement row = browser.waitVisible(By.xpath("//table//tr[th//a[text()='Signed with a key pair']]"));
        String hook = row.getAttribute("data-webhook");
        JsonNode stored = api.get("/v1/webhooks/" + hook);
        assertThat(stored.at("/signature/scheme").asText()).isEqualTo("standard-webhooks-ed25519");
        String publicKey = stored.get("public_key").asText();
        assertThat(browser.byCss(".notice code.public-key").getText()).isEqualTo(publicKey);
        assertThat(browser.driver.getPageSource()).doesNotContain("whsk_");
        assertThat(browser.byCss(".notice").getText()).doesNotContain("null");

        row.findElement(By.xpath(".//button[text()='Rotate key pair']")).click();
        browser.driver.switchTo().alert().accept();
        browser.waitText(By.id("status"), "Key pair rotated");
        String rotated = api.get("/v1/webhooks/" + hook + "/public-key").get("public_key").asText();
        assertThat(rotated).isNotEqualTo(publicKey);
        assertThat(browser.byCss(".notice code.public-key").getText()).isEqualTo(rotated);
        assertThat(browser.byCss(".notice").getText()).contains("The old key still signs until");

        browser.driver.findElement(By.cssSelector("tr[data-webhook='" + hook + "'] th a")).click();
        browser.waitText(By.tagName("h1"), "Webhook Signed with a key pair");
        // The key sits in a read-only field beside its copy button.
        new org.openqa.selenium.support.ui.WebDriverWait(browser.driver, Browser.WAIT)
                .until(d -> rotated.equals(d.findElement(By.id("wh-public-key")).getAttribute("value")));
        assertThat(browser.byCss(".facts").getText()).contains("Public key").doesNotContain("Secret");
        assertThat(browser.driver.findElements(By.xpath("//button[text()='Show secret']"))).isEmpty();
        assertThat(browser.driver.getPageSource()).doesNotContain("whsk_");
        assertThat(browser.cspRefusals()).isEmpty();
    }
}
