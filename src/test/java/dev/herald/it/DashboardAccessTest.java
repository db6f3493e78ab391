package dev.herald.it;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.net.http.HttpResponse;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Receiver access in the dashboard (issue 28): an OAuth2 client-credentials section and a client
 * certificate section in the create form and on the webhook page, their secrets never shown and
 * kept when an edit leaves them empty; the API's refusals beside the field they name. Screenshots
 * go to target/screenshots/webhook-access-*.png (docs/images/ holds copies).
 */
class DashboardAccessTest extends DashboardSession {

    /** Creates through the form what is typed so far; the new webhook's id. */
    static String submitCreate(String name) {
        browser.byId("wh-url").submit();
        browser.waitText(By.id("status"), "Webhook created: " + name + ".");
        return browser.waitVisible(By.xpath("//table//tr[th//a[text()='" + name + "']]")).getAttribute("data-webhook");
    }

    static void open(String section) {
        WebElement details = browser.waitVisible(By.cssSelector("form.create details[data-access='" + section + "']"));
        if (details.getAttribute("open") == null) {
            details.findElement(By.tagName("summary")).click();
        }
    }

    /** Whether the page shows the text anywhere: as text, or as the value of any field. */
    static boolean pageHolds(String text) {
        return (Boolean) browser.js("const t = arguments[0]; return document.body.innerText.includes(t)"
                + " || [...document.querySelectorAll('input, textarea')].some((i) => i.value.includes(t))", text);
    }

    @Test
    void anOAuth2SectionIsSavedMaskedAndItsSecretKeptOnEdit() throws Exception {
        signIn(HeraldApp.KEY);
        browser.waitText(By.tagName("h1"), "Webhooks");
        String secret = "cs-" + UUID.randomUUID();
        browser.type("wh-url", receiver.url("/oauth-protected"));
        browser.type("wh-name", "Token hook");
        browser.type("wh-events", "*");
        open("auth");
        browser.type("wh-auth-token-url", receiver.url("/token"));
        browser.type("wh-auth-client-id", "herald-client");
        browser.type("wh-auth-secret", secret);
        browser.type("wh-auth-scope", "webhooks:write");
        browser.type("wh-auth-audience", "https://api.example.com");
        new Select(browser.byId("wh-auth-method")).selectByValue("client_secret_post");
        assertThat(browser.byId("wh-auth-secret").getAttribute("type")).isEqualTo("password");
        browser.screenshotFile("webhook-access-create");
        String hook = submitCreate("Token hook");

        JsonNode auth = api.get("/v1/webhooks/" + hook).get("auth");
        assertThat(auth.get("type").asText()).isEqualTo("oauth2_client_credentials");
        assertThat(auth.get("token_url").asText()).isEqualTo(receiver.url("/token"));
        assertThat(auth.get("client_id").asText()).isEqualTo("herald-client");
        assertThat(auth.get("client_secret").asText()).isEqualTo("****");
        assertThat(auth.get("scope").asText()).isEqualTo("webhooks:write");
        assertThat(auth.get("audience").asText()).isEqualTo("https://api.example.com");
        assertThat(auth.get("method").asText()).isEqualTo("client_secret_post");
        // After the save the form is empty again: the secret is nowhere on the page.
        assertThat(pageHolds(secret)).isFalse();

        browser.driver.findElement(By.linkText("Token hook")).click();
        browser.waitText(By.tagName("h1"), "Webhook Token hook");
        WebElement view = browser.waitVisible(By.cssSelector("[data-access-view='auth']"));
        assertThat(view.getText()).contains(receiver.url("/token"), "herald-client", "****", "webhooks:write", "client_secret_post");
        assertThat(pageHolds(secret)).isFalse();

        browser.byCss("details.access-edit summary").click();
        assertThat(browser.waitVisible(By.id("wh-acc-auth-secret")).getAttribute("value")).isEmpty();
        assertThat(browser.byId("wh-acc-auth-secret-help").getText()).isEqualTo("Leave empty to keep the current secret (while the token URL stays the same).");
        assertThat(browser.byId("wh-acc-auth-client-id").getAttribute("value")).isEqualTo("herald-client");
        browser.type("wh-acc-auth-client-id", "herald-client-2");
        browser.byText("button", "Save receiver access").click();
        browser.waitText(By.id("status"), "Receiver access saved.");
        browser.waitText(By.cssSelector("[data-access-view='auth']"), "herald-client-2");
        JsonNode kept = api.get("/v1/webhooks/" + hook).get("auth");
        assertThat(kept.get("client_id").asText()).isEqualTo("herald-client-2");
        // Still set (a PATCH of auth without client_secret on a webhook without one is refused: field auth.client_secret).
        assertThat(kept.get("client_secret").asText()).isEqualTo("****");
        assertThat(kept.get("token_url").asText()).isEqualTo(auth.get("token_url").asText());
        assertThat(kept.get("method").asText()).isEqualTo("client_secret_post");
        browser.screenshotFile("webhook-access-detail");

        // The API's refusal beside the field it names: an unknown token URL scheme.
        browser.byCss("details.access-edit summary").click();
        browser.type("wh-acc-auth-token-url", "ftp://127.0.0.1/token");
        // A new token URL needs the secret again (i28-oauth: a kept secret goes only to the token URL it was given for).
        browser.type("wh-acc-auth-secret", "cs-" + UUID.randomUUID());
        browser.byText("button", "Save receiver access").click();
        WebElement note = browser.waitVisible(By.cssSelector("#wh-acc-auth-token-url + .field-error"));
        assertThat(note.getAttribute("data-field")).isEqualTo("auth.token_url");
        assertThat(note.getText()).isNotBlank();
        assertThat(browser.byId("wh-acc-auth-token-url").getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(api.get("/v1/webhooks/" + hook).get("auth").get("token_url").asText()).isEqualTo(receiver.url("/token"));

        // Remove: auth null.
        browser.type("wh-acc-auth-token-url", receiver.url("/token"));
        browser.byId("wh-acc-auth-remove").click();
        browser.byText("button", "Save receiver access").click();
        browser.waitText(By.id("status"), "Receiver access saved.");
        browser.waitText(By.xpath("//dt[.='OAuth2 token']/following-sibling::dd[1]"), "none");
        assertThat(api.get("/v1/webhooks/" + hook).get("auth").isNull()).isTrue();
        assertThat(browser.cspRefusals()).isEmpty();
    }

    @Test
    void aPastedCertificateIsShownAsPastedItsKeyMaskedAndKeptOnEdit() throws Exception {
        KeytoolPem client = KeytoolPem.generate("herald-forms-client");
        KeytoolPem ca = KeytoolPem.generate("herald-forms-ca");
        signIn(HeraldApp.KEY);
        browser.waitText(By.tagName("h1"), "Webhooks");
        // https: a client certificate is refused for a plain http receiver (nothing is sent here).
        browser.type("wh-url", receiver.url("/mtls").replace("http://", "https://"));
        browser.type("wh-name", "Mutual TLS hook");
        browser.type("wh-events", "*");
        open("tls");
        browser.type("wh-tls-cert", client.certificate());
        // No key: the API's refusal shows beside the key field.
        browser.byId("wh-url").submit();
        WebElement note = browser.waitVisible(By.cssSelector("#wh-tls-key + .field-error"));
        assertThat(note.getAttribute("data-field")).isEqualTo("tls.client_key");
        assertThat(note.getText()).contains("client_key is required");
        assertThat(browser.byId("wh-tls-key").getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.byCss(".create .error").getText()).contains("(tls.client_key)");
        browser.screenshotFile("webhook-access-error");

        browser.type("wh-tls-key", client.key());
        browser.type("wh-tls-ca", ca.certificate());
        String hook = submitCreate("Mutual TLS hook");
        assertThat(browser.driver.findElements(By.cssSelector(".field-error"))).isEmpty();
        JsonNode tls = api.get("/v1/webhooks/" + hook).get("tls");
        assertThat(tls.get("client_certificate").asText()).isEqualTo(client.certificate());
        assertThat(tls.get("client_key").asText()).isEqualTo("****");
        assertThat(tls.get("ca_certificate").asText()).isEqualTo(ca.certificate());
        String keyBody = client.key().lines().skip(1).findFirst().orElseThrow();
        assertThat(pageHolds(keyBody)).isFalse();

        browser.driver.findElement(By.linkText("Mutual TLS hook")).click();
        browser.waitText(By.tagName("h1"), "Webhook Mutual TLS hook");
        WebElement view = browser.waitVisible(By.cssSelector("[data-access-view='tls']"));
        assertThat(view.findElement(By.cssSelector("pre.pem")).getText()).isEqualTo(client.certificate());
        assertThat(view.getText()).contains("****");
        browser.byCss("details.access-edit summary").click();
        assertThat(browser.waitVisible(By.id("wh-acc-tls-key")).getAttribute("value")).isEmpty();
        assertThat(browser.byId("wh-acc-tls-key-help").getText()).startsWith("Leave empty to keep the current key.");
        assertThat(browser.byId("wh-acc-tls-cert").getAttribute("value")).isEqualTo(client.certificate());
        assertThat(pageHolds(keyBody)).isFalse();
        // Take the CA out, leave the key empty: the stored key is kept.
        browser.byId("wh-acc-tls-ca").clear();
        browser.byText("button", "Save receiver access").click();
        browser.waitText(By.id("status"), "Receiver access saved.");
        browser.waitText(By.xpath("//dt[.='CA certificate']/following-sibling::dd[1]"), "the usual trusted CAs");
        JsonNode edited = api.get("/v1/webhooks/" + hook).get("tls");
        assertThat(edited.get("client_certificate").asText()).isEqualTo(client.certificate());
        assertThat(edited.get("client_key").asText()).isEqualTo("****");
        assertThat(edited.get("ca_certificate").isNull()).isTrue();

        browser.byCss("details.access-edit summary").click();
        browser.waitVisible(By.id("wh-acc-tls-remove")).click();
        browser.byText("button", "Save receiver access").click();
        browser.waitText(By.xpath("//dt[.='Client certificate']/following-sibling::dd[1]"), "none");
        assertThat(api.get("/v1/webhooks/" + hook).get("tls").isNull()).isTrue();
        assertThat(browser.cspRefusals()).isEmpty();
    }

    /**
     * A read-only portal link shows a webhook's receiver access masked and offers no form to change it;
     * at phone width the create form's open sections fit without sideways scrolling.
     */
    @Test
    void aReadOnlyPortalShowsAccessMaskedAndThePhoneFormFits() throws Exception {
        String app = PortalTest.application("Access Co");
        String secret = "cs-" + UUID.randomUUID();
        HttpResponse<String> made = api.post("/v1/applications/" + app + "/webhooks", "{\"url\":\"" + receiver.url("/ro")
                + "\",\"events\":[\"*\"],\"name\":\"Guarded\",\"auth\":{\"type\":\"oauth2_client_credentials\",\"token_url\":\""
                + receiver.url("/token") + "\",\"client_id\":\"ro-client\",\"client_secret\":\"" + secret + "\"}}");
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        String hook = ApiCalls.json(made).get("id").asText();
        browser.driver.get(PortalTest.link(app, "{\"read_only\":true}").get("url").asText());
        browser.waitText(By.id("portal-app"), "Access Co");
        browser.driver.get(url("/ui/portal#/webhooks/" + hook));
        WebElement view = browser.waitVisible(By.cssSelector("[data-access-view='auth']"));
        assertThat(view.getText()).contains("ro-client", "****");
        assertThat(pageHolds(secret)).isFalse();
        assertThat(browser.driver.findElements(By.cssSelector("details.access-edit"))).isEmpty();

        // The operator's create form at 375 px, both sections open.
        browser.driver.get(url("/ui/"));
        browser.js("sessionStorage.clear()");
        browser.driver.navigate().refresh();
        signIn(HeraldApp.KEY);
        browser.waitText(By.tagName("h1"), "Webhooks");
        browser.driver.manage().window().setSize(new org.openqa.selenium.Dimension(375, 800));
        open("tls");
        open("auth");
        assertThat((Boolean) browser.js("return document.documentElement.scrollWidth <= window.innerWidth"))
                .as("page width %s", browser.js("return document.documentElement.scrollWidth")).isTrue();
        WebElement secretField = browser.byId("wh-auth-secret");
        assertThat(secretField.getRect().getX() + secretField.getRect().getWidth()).isLessThanOrEqualTo(375);
    }

    /**
     * A certificate that is not PEM: the API's own refusal beside the field.
     */
    @Test
    void aBadPemShowsTheApisErrorBesideTheField() throws Exception {
        KeytoolPem client = KeytoolPem.generate("herald-forms-bad");
        String bad = "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----";
        HttpResponse<String> probe = api.post("/v1/webhooks", "{\"url\":\"" + receiver.url("/probe").replace("http://", "https://") + "\",\"events\":[\"*\"],"
                + "\"tls\":{\"client_certificate\":" + ApiCalls.JSON.writeValueAsString(bad) + ",\"client_key\":"
                + ApiCalls.JSON.writeValueAsString(client.key()) + "}}");
        // The API's own refusal, which the page must show beside the field it names.
        assertThat(probe.statusCode()).as(probe.body()).isEqualTo(400);
        String field = ApiCalls.json(probe).get("error").get("field").asText();
        signIn(HeraldApp.KEY);
        browser.waitText(By.tagName("h1"), "Webhooks");
        browser.type("wh-url", receiver.url("/bad-pem").replace("http://", "https://"));
        browser.type("wh-events", "*");
        open("tls");
        browser.type("wh-tls-cert", bad);
        browser.type("wh-tls-key", client.key());
        browser.byId("wh-url").submit();
        String id = switch (field) {
            case "tls.client_key" -> "wh-tls-key";
            case "tls.ca_certificate" -> "wh-tls-ca";
            default -> "wh-tls-cert";
        };
        WebElement note = browser.waitVisible(By.cssSelector("#" + id + " + .field-error"));
        assertThat(note.getAttribute("data-field")).isEqualTo(field);
        assertThat(note.getText()).isEqualTo(ApiCalls.json(probe).get("error").get("message").asText());
        assertThat(browser.byId(id).getAttribute("aria-invalid")).isEqualTo("true");
    }
}
