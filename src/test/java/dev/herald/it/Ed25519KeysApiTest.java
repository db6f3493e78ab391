package dev.herald.it;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.herald.it.ApiCalls.JSON;
import static dev.herald.it.HeraldApp.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API of key-pair webhooks: no answer ever carries the whsk_ secret key (not even asked with
 * include_secret), a secret offered for the scheme is refused naming {@code secret}, and the public
 * key is read within a key's scope (an application's key and its portal token read their own; another
 * application's webhook is exactly as missing as a made-up id). The secret key is stored sealed.
 */
class Ed25519KeysApiTest {

    static HeraldApp herald;
    static Receiver receiver;

    @BeforeAll
    static void start() throws Exception {
        receiver = new Receiver();
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        herald = new HeraldApp(Map.of("herald.secrets.key", java.util.Base64.getEncoder().encodeToString(key)));
    }

    @AfterAll
    static void stop() throws Exception {
        herald.close();
        receiver.close();
    }

    @Test
    void noAnswerCarriesTheSecretKey() throws Exception {
        List<HttpResponse<String>> answers = new ArrayList<>();
        HttpResponse<String> created = herald.call("POST", "/v1/webhooks", "{\"url\":\"" + receiver.url("/secrecy")
                + "\",\"events\":[\"sec.*\"],\"signature\":{\"scheme\":\"standard-webhooks-ed25519\"}}");
        answers.add(created);
        String id = JSON.readTree(created.body()).get("id").asText();
        answers.add(herald.call("GET", "/v1/webhooks/" + id, null));
        answers.add(herald.call("GET", "/v1/webhooks/" + id + "?include_secret=true", null));
        answers.add(herald.call("GET", "/v1/webhooks?include_secret=true&limit=250", null));
        answers.add(herald.call("PATCH", "/v1/webhooks/" + id, "{\"name\":\"renamed\"}"));
        answers.add(herald.call("POST", "/v1/webhooks/" + id + "/rotate-secret", "{}"));
        answers.add(herald.call("GET", "/v1/webhooks/" + id + "/public-key", null));
        answers.add(herald.call("POST", "/v1/events", "{\"type\":\"sec.a\",\"data\":{}}"));
        waitUntil(Duration.ofSeconds(15), () -> receiver.to("/secrecy").size() == 1);
        JsonNode deliveries = JSON.readTree(herald.call("GET", "/v1/webhooks/" + id + "/deliveries", null).body());
        String delivery = deliveries.at("/deliveries/0/id").asText();
        // The attempt is recorded once the receiver has answered.
        waitUntil(Duration.ofSeconds(15), () -> status(delivery).equals("success"));
        answers.add(herald.call("GET", "/v1/deliveries/" + delivery, null));
        answers.add(herald.call("GET", "/v1/deliveries?webhook_id=" + id, null));

        for (HttpResponse<String> r : answers) {
            assertThat(r.statusCode()).as(r.uri() + ": " + r.body()).isBetween(200, 202);
            assertThat(r.body()).as(r.uri().toString()).doesNotContain("whsk_");
        }
        JsonNode full = JSON.readTree(answers.get(2).body());
        assertThat(full.get("secret").isNull()).as("null even with include_secret").isTrue();
        assertThat(full.get("public_key").asText()).startsWith("whpk_");
        // What the receiver got carries no secret either, and the delivery log shows the signature sent.
        assertThat(new String(receiver.to("/secrecy").get(0).body())).doesNotContain("whsk_");
        JsonNode attempt = JSON.readTree(answers.get(8).body()).at("/attempts/0/request/headers");
        assertThat(attempt.get("webhook-signature").asText()).isEqualTo(receiver.to("/secrecy").get(0).header("webhook-signature"));

        // It is kept, though, sealed like every secret (herald.secrets.key is set here).
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + herald.dataDir.resolve("herald")
                + ";DB_CLOSE_ON_EXIT=FALSE", "sa", "");
             PreparedStatement ps = c.prepareStatement("SELECT secret FROM webhook WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).startsWith("sealed:").doesNotContain("whsk_");
            }
        }
    }

    private static String status(String delivery) {
        try {
            return JSON.readTree(herald.call("GET", "/v1/deliveries/" + delivery, null).body()).path("status").asText();
        } catch (Exception e) {
            return "";
        }
    }

    /** The sealed secret key opens after a restart: the same public key, and deliveries it verifies. */
    @Test
    void theSealedKeySignsTheSameAfterARestart() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("herald-ed25519");
        Map<String, String> sameData = Map.of("herald.data.dir", dir.toString(),
                "herald.db.url", "jdbc:h2:file:" + dir.resolve("herald") + ";DB_CLOSE_ON_EXIT=FALSE",
                "herald.secrets.key", SecretsAtRestTest.newKey());
        String id;
        String publicKey;
        try (HeraldApp first = new HeraldApp(sameData)) {
            JsonNode hook = JSON.readTree(first.call("POST", "/v1/webhooks", "{\"url\":\"" + receiver.url("/restarted")
                    + "\",\"events\":[\"restart.a\"],\"signature\":{\"scheme\":\"standard-webhooks-ed25519\"}}").body());
            id = hook.get("id").asText();
            publicKey = hook.get("public_key").asText();
        }
        try (HeraldApp again = new HeraldApp(sameData)) {
            HttpResponse<String> published = again.call("GET", "/v1/webhooks/" + id + "/public-key", null);
            assertThat(JSON.readTree(published.body()).get("public_key").asText()).as(published.body()).isEqualTo(publicKey);
            assertThat(again.call("POST", "/v1/events", "{\"type\":\"restart.a\",\"data\":{}}").statusCode()).isEqualTo(202);
            waitUntil(Duration.ofSeconds(15), () -> receiver.to("/restarted").size() == 1);
            Receiver.Request got = receiver.to("/restarted").get(0);
            assertThat(new StandardWebhooksVerifier(publicKey).verify(got.header("webhook-id"), got.header("webhook-timestamp"),
                    got.header("webhook-signature"), got.body())).isTrue();
        }
    }

    @Test
    void aSecretOfferedForTheSchemeIsRefusedNamingTheField() throws Exception {
        String given = "whsk_VEVTVFNJR05JTkdLRVlET05PVFVTRVRISVNGT1JBTlk=";
        refused(herald.call("POST", "/v1/webhooks", "{\"url\":\"" + receiver.url("/given") + "\",\"events\":[\"g.a\"],"
                + "\"secret\":\"" + given + "\",\"signature\":{\"scheme\":\"standard-webhooks-ed25519\"}}"));
        refused(herald.call("POST", "/v1/webhooks", "{\"url\":\"" + receiver.url("/given") + "\",\"events\":[\"g.a\"],"
                + "\"secret\":\"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\",\"signature\":{\"scheme\":\"standard-webhooks-ed25519\"}}"));
        JsonNode hook = JSON.readTree(herald.call("POST", "/v1/webhooks", "{\"url\":\"" + receiver.url("/given")
                + "\",\"events\":[\"g.a\"],\"signature\":{\"scheme\":\"standard-webhooks-ed25519\"}}").body());
        String id = hook.get("id").asText();
        refused(herald.call("PATCH", "/v1/webhooks/" + id, "{\"secret\":\"" + given + "\"}"));
        refused(herald.call("POST", "/v1/webhooks/" + id + "/rotate-secret", "{\"secret\":\"" + given + "\"}"));
        // Nothing changed: the same public key.
        assertThat(JSON.readTree(herald.call("GET", "/v1/webhooks/" + id + "/public-key", null).body()).get("public_key").asText())
                .isEqualTo(hook.get("public_key").asText());
        // A shared-secret webhook switching to the scheme with a secret: refused too.
        String shared = JSON.readTree(herald.call("POST", "/v1/webhooks", "{\"url\":\"" + receiver.url("/given")
                + "\",\"events\":[\"g.a\"]}").body()).get("id").asText();
        refused(herald.call("PATCH", "/v1/webhooks/" + shared, "{\"secret\":\"" + given
                + "\",\"signature\":{\"scheme\":\"standard-webhooks-ed25519\"}}"));
    }

    private static void refused(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        JsonNode error = JSON.readTree(r.body()).get("error");
        assertThat(error.get("field").asText()).isEqualTo("secret");
        assertThat(error.get("message").asText()).contains("generated by Herald for standard-webhooks-ed25519");
        assertThat(r.body()).doesNotContain("whsk_");
    }

    @Test
    void applicationKeysAndPortalTokensReadTheirOwnPublicKeysOnly() throws Exception {
        for (String uid : List.of("ed-a", "ed-b")) {
            assertThat(herald.call("POST", "/v1/applications", "{\"uid\":\"" + uid + "\",\"name\":\"" + uid + "\"}").statusCode())
                    .isEqualTo(201);
        }
        String keyA = JSON.readTree(herald.call("POST", "/v1/applications/ed-a/keys", "{\"name\":\"a\"}").body()).get("key").asText();
        String token = JSON.readTree(herald.call("POST", "/v1/applications/ed-a/portal", "{}").body()).get("token").asText();
        String body = "{\"url\":\"" + receiver.url("/apps") + "\",\"events\":[\"app.a\"],"
                + "\"signature\":{\"scheme\":\"standard-webhooks-ed25519\"}}";
        JsonNode mine = JSON.readTree(herald.call("POST", "/v1/webhooks", body, keyA).body());
        JsonNode theirs = JSON.readTree(herald.call("POST", "/v1/applications/ed-b/webhooks", body).body());
        JsonNode operators = JSON.readTree(herald.call("POST", "/v1/webhooks", body).body());

        for (String credential : List.of(keyA, token)) {
            HttpResponse<String> own = herald.call("GET", "/v1/webhooks/" + mine.get("id").asText() + "/public-key", null, credential);
            assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
            assertThat(JSON.readTree(own.body()).get("public_key").asText()).isEqualTo(mine.get("public_key").asText());

            String ghost = "hook_" + "0".repeat(mine.get("id").asText().length() - 5);
            HttpResponse<String> missing = herald.call("GET", "/v1/webhooks/" + ghost + "/public-key", null, credential);
            assertThat(missing.statusCode()).isEqualTo(404);
            for (JsonNode foreign : List.of(theirs, operators)) {
                String id = foreign.get("id").asText();
                HttpResponse<String> r = herald.call("GET", "/v1/webhooks/" + id + "/public-key", null, credential);
                assertThat(r.statusCode()).as(r.body()).isEqualTo(404);
                assertThat(r.body()).isEqualTo(missing.body().replace(ghost, id)).doesNotContain(foreign.get("public_key").asText());
            }
        }
    }
}
