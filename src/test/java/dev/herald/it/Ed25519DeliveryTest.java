package dev.herald.it;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import static dev.herald.it.ApiCalls.JSON;
import static dev.herald.it.HeraldApp.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scheme standard-webhooks-ed25519 end to end: what arrives at a real receiver verifies with the
 * public key of GET /v1/webhooks/{id}/public-key, through the JDK alone and through a verifier
 * written from the Standard Webhooks specification; across a rotation and after its grace period;
 * and when PATCH switches a webhook between a shared secret and a key pair.
 */
class Ed25519DeliveryTest {

    static HeraldApp herald;
    static Receiver receiver;

    @BeforeAll
    static void start() throws Exception {
        receiver = new Receiver();
        herald = new HeraldApp(Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        herald.close();
        receiver.close();
    }

    @Test
    void everyArrivedRequestVerifiesWithThePublicKeyAlone() throws Exception {
        JsonNode hook = ok(herald.call("POST", "/v1/webhooks", "{\"url\":\"" + receiver.url("/ed") + "\",\"events\":[\"ed.*\"],"
                + "\"signature\":{\"scheme\":\"standard-webhooks-ed25519\"}}"), 201);
        assertThat(hook.get("secret").isNull()).as("the secret key is never shown").isTrue();
        String publicKey = hook.get("public_key").asText();
        assertThat(publicKey).startsWith("whpk_");
        JsonNode published = ok(herald.call("GET", "/v1/webhooks/" + hook.get("id").asText() + "/public-key", null), 200);
        assertThat(published.get("public_key").asText()).isEqualTo(publicKey);
        assertThat(published.get("previous_public_keys")).isEmpty();

        for (int i = 0; i < 3; i++) {
            ok(herald.call("POST", "/v1/events", "{\"type\":\"ed.sent\",\"data\":{\"n\":" + i + ",\"name\":\"caf\u00e9\"}}"), 202);
        }
        waitUntil(Duration.ofSeconds(15), () -> receiver.to("/ed").size() == 3);
        StandardWebhooksVerifier verifier = new StandardWebhooksVerifier(publicKey);
        for (Receiver.Request got : receiver.to("/ed")) {
            String[] signatures = got.header("webhook-signature").split(" ");
            assertThat(signatures).hasSize(1);
            assertThat(signatures[0]).startsWith("v1a,");
            assertThat(jdkVerifies(publicKey, got, signatures[0])).isTrue();
            assertThat(verifier.verify(got.header("webhook-id"), got.header("webhook-timestamp"), got.header("webhook-signature"),
                    got.body())).isTrue();
            // The verifiers can say no: another body, another id.
            byte[] tampered = new String(got.body(), StandardCharsets.UTF_8).replace("caf\u00e9", "cafe").getBytes(StandardCharsets.UTF_8);
            assertThat(verifier.verify(got.header("webhook-id"), got.header("webhook-timestamp"), got.header("webhook-signature"),
                    tampered)).isFalse();
            assertThat(verifier.verify("msg_other", got.header("webhook-timestamp"), got.header("webhook-signature"),
                    got.body())).isFalse();
        }
        // A key of another webhook does not verify this one's deliveries.
        String other = ok(herald.call("POST", "/v1/webhooks", "{\"url\":\"" + receiver.url("/other") + "\",\"events\":[\"none\"],"
                + "\"signature\":{\"scheme\":\"standard-webhooks-ed25519\"}}"), 201).get("public_key").asText();
        Receiver.Request first = receiver.to("/ed").get(0);
        assertThat(new StandardWebhooksVerifier(other).verify(first.header("webhook-id"), first.header("webhook-timestamp"),
                first.header("webhook-signature"), first.body())).isFalse();
    }

    @Test
    void aRotationSignsWithOldAndNewKeysForTheGracePeriodThenWithTheNewOneAlone() throws Exception {
        JsonNode hook = ok(herald.call("POST", "/v1/webhooks", "{\"url\":\"" + receiver.url("/rot") + "\",\"events\":[\"rot.*\"],"
                + "\"signature\":{\"scheme\":\"standard-webhooks-ed25519\"}}"), 201);
        String id = hook.get("id").asText();
        String oldKey = hook.get("public_key").asText();

        JsonNode rotated = ok(herald.call("POST", "/v1/webhooks/" + id + "/rotate-secret", "{\"grace_period\":\"1h\"}"), 200);
        assertThat(rotated.get("secret").isNull()).isTrue();
        String newKey = rotated.get("public_key").asText();
        assertThat(newKey).startsWith("whpk_").isNotEqualTo(oldKey);
        assertThat(rotated.get("previous_secret_expires_at").isNull()).isFalse();
        JsonNode published = ok(herald.call("GET", "/v1/webhooks/" + id + "/public-key", null), 200);
        assertThat(published.get("public_key").asText()).isEqualTo(newKey);
        assertThat(published.get("previous_public_keys")).hasSize(1);
        assertThat(published.at("/previous_public_keys/0/public_key").asText()).isEqualTo(oldKey);
        assertThat(published.at("/previous_public_keys/0/until").asText()).isEqualTo(rotated.get("previous_secret_expires_at").asText());

        Receiver.Request during = deliver("rot.during", "/rot", 1);
        String[] signatures = during.header("webhook-signature").split(" ");
        assertThat(signatures).hasSize(2);
        assertThat(jdkVerifies(newKey, during, signatures[0])).as("current first").isTrue();
        assertThat(jdkVerifies(oldKey, during, signatures[1])).isTrue();
        assertThat(jdkVerifies(oldKey, during, signatures[0])).isFalse();
        for (String key : new String[] {oldKey, newKey}) {
            assertThat(new StandardWebhooksVerifier(key).verify(during.header("webhook-id"), during.header("webhook-timestamp"),
                    during.header("webhook-signature"), during.body())).as(key).isTrue();
        }

        // A third key with a short grace period: both earlier keys end with it.
        String thirdKey = ok(herald.call("POST", "/v1/webhooks/" + id + "/rotate-secret", "{\"grace_period\":\"2s\"}"), 200)
                .get("public_key").asText();
        assertThat(ok(herald.call("GET", "/v1/webhooks/" + id + "/public-key", null), 200).get("previous_public_keys")).hasSize(2);
        waitUntil(Duration.ofSeconds(20), () -> previousKeys(id) == 0);
        Receiver.Request after = deliver("rot.after", "/rot", 2);
        assertThat(after.header("webhook-signature").split(" ")).hasSize(1);
        assertThat(jdkVerifies(thirdKey, after, after.header("webhook-signature"))).isTrue();
        for (String key : new String[] {oldKey, newKey}) {
            assertThat(new StandardWebhooksVerifier(key).verify(after.header("webhook-id"), after.header("webhook-timestamp"),
                    after.header("webhook-signature"), after.body())).as("ended key " + key).isFalse();
        }
        assertThat(new StandardWebhooksVerifier(thirdKey).verify(after.header("webhook-id"), after.header("webhook-timestamp"),
                after.header("webhook-signature"), after.body())).isTrue();
    }

    @Test
    void patchSwitchesBetweenASharedSecretAndAKeyPair() throws Exception {
        JsonNode hook = ok(herald.call("POST", "/v1/webhooks", "{\"url\":\"" + receiver.url("/switch") + "\",\"events\":[\"sw.*\"],"
                + "\"secret\":\"shared-secret-one\"}"), 201);
        String id = hook.get("id").asText();
        ok(herald.call("POST", "/v1/webhooks/" + id + "/rotate-secret", "{\"secret\":\"shared-secret-two\",\"grace_period\":\"1h\"}"), 200);
        HttpResponse<String> none = herald.call("GET", "/v1/webhooks/" + id + "/public-key", null);
        assertThat(none.statusCode()).as(none.body()).isEqualTo(409);
        assertThat(JSON.readTree(none.body()).at("/error/code").asText()).isEqualTo("no_public_key");

        JsonNode toPair = ok(herald.call("PATCH", "/v1/webhooks/" + id, "{\"signature\":{\"scheme\":\"standard-webhooks-ed25519\"}}"), 200);
        assertThat(toPair.get("secret").isNull()).isTrue();
        String publicKey = toPair.get("public_key").asText();
        JsonNode published = ok(herald.call("GET", "/v1/webhooks/" + id + "/public-key", null), 200);
        assertThat(published.get("public_key").asText()).isEqualTo(publicKey);
        assertThat(published.get("previous_public_keys")).as("the shared secrets cannot sign v1a").isEmpty();
        Receiver.Request signed = deliver("sw.pair", "/switch", 1);
        assertThat(signed.header("webhook-signature").split(" ")).hasSize(1);
        assertThat(new StandardWebhooksVerifier(publicKey).verify(signed.header("webhook-id"), signed.header("webhook-timestamp"),
                signed.header("webhook-signature"), signed.body())).isTrue();

        JsonNode toShared = ok(herald.call("PATCH", "/v1/webhooks/" + id, "{\"signature\":{\"scheme\":\"hmac-sha256\"}}"), 200);
        String secret = toShared.get("secret").asText();
        assertThat(secret).as("shown once, in full, as create shows it").startsWith("whsec_").doesNotContain("****");
        assertThat(toShared.get("public_key").isNull()).isTrue();
        assertThat(herald.call("GET", "/v1/webhooks/" + id + "/public-key", null).statusCode()).isEqualTo(409);
        Receiver.Request hmac = deliver("sw.shared", "/switch", 2);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        assertThat(hmac.header("X-Webhook-Signature")).isEqualTo(HexFormat.of().formatHex(mac.doFinal(hmac.body())));
        assertThat(hmac.header("webhook-signature")).isNull();
    }

    private static Receiver.Request deliver(String type, String path, int count) throws Exception {
        ok(herald.call("POST", "/v1/events", "{\"type\":\"" + type + "\",\"data\":{\"at\":\"" + type + "\"}}"), 202);
        waitUntil(Duration.ofSeconds(15), () -> receiver.to(path).size() == count);
        return receiver.to(path).get(count - 1);
    }

    private static int previousKeys(String id) {
        try {
            return ok(herald.call("GET", "/v1/webhooks/" + id + "/public-key", null), 200).get("previous_public_keys").size();
        } catch (Exception e) {
            return -1;
        }
    }

    /** With the JDK alone: the raw key wrapped in an X.509 SubjectPublicKeyInfo (RFC 8410), Signature "Ed25519". */
    static boolean jdkVerifies(String whpk, Receiver.Request got, String entry) throws Exception {
        byte[] raw = Base64.getDecoder().decode(whpk.substring("whpk_".length()));
        byte[] spki = new byte[44];
        System.arraycopy(HexFormat.of().parseHex("302a300506032b6570032100"), 0, spki, 0, 12);
        System.arraycopy(raw, 0, spki, 12, 32);
        PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
        Signature ed = Signature.getInstance("Ed25519");
        ed.initVerify(key);
        ed.update((got.header("webhook-id") + "." + got.header("webhook-timestamp") + ".").getBytes(StandardCharsets.UTF_8));
        ed.update(got.body());
        assertThat(entry).startsWith("v1a,");
        return ed.verify(Base64.getDecoder().decode(entry.substring(4)));
    }

    static JsonNode ok(HttpResponse<String> r, int status) throws Exception {
        assertThat(r.statusCode()).as(r.uri() + ": " + r.body()).isEqualTo(status);
        assertThat(r.body()).as("no answer shows a secret key").doesNotContain("whsk_");
        return JSON.readTree(r.body());
    }
}
