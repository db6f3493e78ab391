package dev.herald.it;

import static dev.herald.it.HeraldApp.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * herald.secrets.key: a Herald first run without a key, then restarted on the same data with
 * one. Its rows are sealed at that start (checked in the raw database rows), and it still signs
 * and sends custom headers as before.
 */
class SecretsAtRestTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String HEADER_VALUE = "Bearer tenant-token-0123456789";
    static Receiver receiver;
    static HeraldApp herald;
    static String dbUrl;
    static String signed;
    static String signedSecret;
    static String rotating;
    static String rotatingSecret;
    static String rowsAfterRestart;

    @BeforeAll
    static void startWithoutKeyThenWithOne() throws Exception {
        receiver = new Receiver();
        Path dir = Files.createTempDirectory("herald-secrets");
        dbUrl = "jdbc:h2:file:" + dir.resolve("herald") + ";DB_CLOSE_ON_EXIT=FALSE";
        Map<String, String> sameData = new HashMap<>(Map.of("herald.data.dir", dir.toString(), "herald.db.url", dbUrl));
        try (HeraldApp plain = new HeraldApp(sameData)) {
            JsonNode a = create(plain, "/signed", "sec.signed");
            signed = a.get("id").asText();
            signedSecret = a.get("secret").asText();
            JsonNode b = create(plain, "/rotating", "sec.rotating");
            rotating = b.get("id").asText();
            rotatingSecret = b.get("secret").asText();
            // Without a key the row holds them as given (what the restart below must change).
            assertThat(rawWebhookRows()).contains(signedSecret).contains(HEADER_VALUE);
        }
        sameData.put("herald.secrets.key", newKey());
        herald = new HeraldApp(sameData);
        // Before any test writes a row (a write seals it too).
        rowsAfterRestart = rawWebhookRows();
    }

    @AfterAll
    static void stop() throws Exception {
        if (herald != null) {
            herald.close();
        }
        receiver.close();
    }

    static String newKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    static JsonNode create(HeraldApp app, String path, String type) throws Exception {
        HttpResponse<String> r = app.call("POST", "/v1/webhooks", "{\"url\":\"" + receiver.url(path) + "\",\"events\":[\""
                + type + "\"],\"signature\":{\"scheme\":\"standard-webhooks\"},\"headers\":{\"X-Api-Key\":\""
                + HEADER_VALUE + "\"}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return JSON.readTree(r.body());
    }

    /** Every webhook row as the database holds it, read beside Herald (same JVM, same H2 database). */
    static String rawWebhookRows() throws Exception {
        return raw("SELECT * FROM webhook");
    }

    static String raw(String sql) throws Exception {
        StringBuilder b = new StringBuilder();
        try (Connection c = DriverManager.getConnection(dbUrl, "sa", "");
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    b.append(rs.getMetaData().getColumnName(i)).append('=').append(rs.getString(i)).append(' ');
                }
                b.append('\n');
            }
        }
        return b.toString();
    }

    static Receiver.Request deliver(String type, String path, int expected) throws Exception {
        HttpResponse<String> r = herald.call("POST", "/v1/events", "{\"type\":\"" + type + "\",\"data\":{\"n\":1}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        waitUntil(Duration.ofSeconds(10), () -> receiver.to(path).size() == expected);
        return receiver.to(path).get(expected - 1);
    }

    @Test
    void rowsWrittenWithoutAKeyAreSealedAtTheNextStartAndStillSign() throws Exception {
        assertThat(rowsAfterRestart).contains(signed).contains(rotating).contains("X-Api-Key").contains("sealed:v1:")
                .doesNotContain(signedSecret).doesNotContain(signedSecret.substring(6))
                .doesNotContain(rotatingSecret).doesNotContain(HEADER_VALUE).doesNotContain("tenant-token");

        Receiver.Request got = deliver("sec.signed", "/signed", 1);
        assertThat(got.header("webhook-signature").split(" "))
                .containsExactly(DialectsTest.standardSignature(signedSecret, got));
        assertThat(got.header("X-Api-Key")).isEqualTo(HEADER_VALUE);
    }

    @Test
    void aWebhookCreatedWithTheKeyIsStoredSealedAndItsHeaderIsNotInTheDeliveryLog() throws Exception {
        JsonNode created = create(herald, "/fresh", "sec.fresh");
        String secret = created.get("secret").asText();
        // The create answer is the one chance to read a generated secret: it shows both in full.
        assertThat(created.get("headers").get("X-Api-Key").asText()).isEqualTo(HEADER_VALUE);
        assertThat(rawWebhookRows()).doesNotContain(secret.substring(6)).doesNotContain(HEADER_VALUE);

        HttpResponse<String> event = herald.call("POST", "/v1/events", "{\"type\":\"sec.fresh\",\"data\":{}}");
        String deliveryId = JSON.readTree(event.body()).get("deliveries").get(0).asText();
        waitUntil(Duration.ofSeconds(10), () -> receiver.to("/fresh").size() == 1);
        Receiver.Request got = receiver.to("/fresh").get(0);
        assertThat(got.header("X-Api-Key")).isEqualTo(HEADER_VALUE);
        assertThat(got.header("webhook-signature")).isEqualTo(DialectsTest.standardSignature(secret, got));

        JsonNode[] attempt = new JsonNode[1];
        waitUntil(Duration.ofSeconds(10), () -> {
            try {
                JsonNode d = JSON.readTree(herald.call("GET", "/v1/deliveries/" + deliveryId, null).body());
                attempt[0] = d.get("attempts").isEmpty() ? null : d.get("attempts").get(0);
                return attempt[0] != null;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(attempt[0].get("request").get("headers").get("X-Api-Key").asText()).isEqualTo("****6789");
        assertThat(raw("SELECT request_headers FROM delivery_attempt")).doesNotContain(HEADER_VALUE);
    }

    @Test
    void headerValuesAreMaskedInListingsUnlessIncludeSecret() throws Exception {
        JsonNode one = JSON.readTree(herald.call("GET", "/v1/webhooks/" + signed, null).body());
        assertThat(one.get("headers").get("X-Api-Key").asText()).isEqualTo("****6789");
        assertThat(one.get("secret").asText()).startsWith("whsec_****").isNotEqualTo(signedSecret);
        JsonNode shown = JSON.readTree(herald.call("GET", "/v1/webhooks/" + signed + "?include_secret=true", null).body());
        assertThat(shown.get("headers").get("X-Api-Key").asText()).isEqualTo(HEADER_VALUE);
        assertThat(shown.get("secret").asText()).isEqualTo(signedSecret);

        String list = herald.call("GET", "/v1/webhooks?limit=250", null).body();
        assertThat(list).contains("****6789").doesNotContain(HEADER_VALUE);
        assertThat(herald.call("GET", "/v1/webhooks?limit=250&include_secret=true", null).body()).contains(HEADER_VALUE);

        HttpResponse<String> patched = herald.call("PATCH", "/v1/webhooks/" + signed, "{\"name\":\"renamed\"}");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        assertThat(patched.body()).doesNotContain(HEADER_VALUE).contains("****6789");
    }

    @Test
    void rotatingTwiceWithinTheGracePeriodSignsWithAllThreeSecrets() throws Exception {
        String path = "/v1/webhooks/" + rotating + "/rotate-secret";
        HttpResponse<String> first = herald.call("POST", path, "{\"grace_period\":\"1h\"}");
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        String second = JSON.readTree(first.body()).get("secret").asText();
        HttpResponse<String> again = herald.call("POST", path, "{\"grace_period\":\"2h\"}");
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        JsonNode answer = JSON.readTree(again.body());
        String third = answer.get("secret").asText();
        assertThat(answer.get("previous_secret_expires_at").asText()).endsWith("Z");

        assertThat(rawWebhookRows()).doesNotContain(rotatingSecret.substring(6)).doesNotContain(second.substring(6))
                .doesNotContain(third.substring(6));
        Receiver.Request got = deliver("sec.rotating", "/rotating", 1);
        assertThat(got.header("webhook-signature").split(" ")).containsExactly(
                DialectsTest.standardSignature(third, got), DialectsTest.standardSignature(second, got),
                DialectsTest.standardSignature(rotatingSecret, got));
        assertThat(got.header("X-Api-Key")).isEqualTo(HEADER_VALUE);
    }

    @Test
    void headersCamelActsOnOrWithPlaceholdersAreRefused() throws Exception {
        assertRefused("{\"url\":\"http://x/y\",\"events\":[\"a\"],\"headers\":{\"CamelHttpUri\":\"http://elsewhere/\"}}",
                "headers.CamelHttpUri");
        assertRefused("{\"url\":\"http://x/y\",\"events\":[\"a\"],\"headers\":{\"camelhttppath\":\"/x\"}}",
                "headers.camelhttppath");
        assertRefused("{\"url\":\"http://x/y\",\"events\":[\"a\"],\"headers\":{\"X-Token\":\"{{herald.db.password}}\"}}",
                "headers.X-Token");
        assertRefused("{\"url\":\"http://x/y\",\"events\":[\"a\"],\"event_type_header\":\"CAMELHttpQuery\"}",
                "event_type_header");
        assertRefused("{\"url\":\"http://x/y\",\"events\":[\"a\"],\"secret\":\"sealed:v1:AAAA\"}", "secret");
        HttpResponse<String> patch = herald.call("PATCH", "/v1/webhooks/" + signed, "{\"headers\":{\"CamelHttpQuery\":\"a=b\"}}");
        assertThat(patch.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(patch.body()).get("error").get("field").asText()).isEqualTo("headers.CamelHttpQuery");
    }

    static void assertRefused(String body, String field) throws Exception {
        HttpResponse<String> r = herald.call("POST", "/v1/webhooks", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        JsonNode error = JSON.readTree(r.body()).get("error");
        assertThat(error.get("field").asText()).isEqualTo(field);
        assertThat(error.get("code").asText()).isEqualTo("invalid_request");
    }
}
