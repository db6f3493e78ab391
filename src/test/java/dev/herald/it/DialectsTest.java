package dev.herald.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import static dev.herald.it.HeraldApp.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/** Per-webhook dialects and payload shapes, checked by verifiers written from the seeds' and specs' receiver code. */
class DialectsTest {

    static final ObjectMapper JSON = new ObjectMapper();
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

    static byte[] hmac(byte[] key, String message) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
    }

    Receiver.Request deliver(String path, String webhookJson, String type) throws Exception {
        HttpResponse<String> created = herald.call("POST", "/v1/webhooks", webhookJson.replace("URL", receiver.url(path)));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        HttpResponse<String> r = herald.call("POST", "/v1/events", "{\"type\":\"" + type
                + "\",\"data\":{\"issue\":{\"key\":\"SHOP-42\",\"title\":\"Fix checkout \u00e9\"}}}");
        assertThat(r.statusCode()).isEqualTo(202);
        waitUntil(Duration.ofSeconds(10), () -> receiver.to(path).size() == 1);
        return receiver.to(path).get(0);
    }

    @Test
    void standardWebhooksReceiverAcceptsIt() throws Exception {
        HttpResponse<String> created = herald.call("POST", "/v1/webhooks",
                "{\"url\":\"" + receiver.url("/sw") + "\",\"events\":[\"sw.event\"],\"signature\":{\"scheme\":\"standard-webhooks\"}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String secret = JSON.readTree(created.body()).get("secret").asText();
        herald.call("POST", "/v1/events", "{\"type\":\"sw.event\",\"data\":{\"a\":1}}");
        waitUntil(Duration.ofSeconds(10), () -> receiver.to("/sw").size() == 1);
        Receiver.Request got = receiver.to("/sw").get(0);
        String id = got.header("webhook-id");
        String ts = got.header("webhook-timestamp");
        assertThat(Math.abs(Long.parseLong(ts) - System.currentTimeMillis() / 1000)).isLessThan(300);
        byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
        String expected = "v1," + Base64.getEncoder().encodeToString(
                hmac(key, id + "." + ts + "." + new String(got.body(), StandardCharsets.UTF_8)));
        assertThat(got.header("webhook-signature").split(" ")).contains(expected);
    }

    @Test
    void seed003AxoriaShapeHeadersAndBase64Signature() throws Exception {
        Receiver.Request got = deliver("/axoria", "{\"url\":\"URL\",\"events\":[\"status.changed\"],\"secret\":\"axo\","
                + "\"payload_format\":\"event-payload\",\"event_type_header\":\"X-Axoria-Event\","
                + "\"signature\":{\"header\":\"X-Axoria-Signature\",\"prefix\":\"sha256=\",\"encoding\":\"base64\"}}", "status.changed");
        assertThat(new String(got.body(), StandardCharsets.UTF_8))
                .isEqualTo("{\"event\":\"status.changed\",\"payload\":{\"issue\":{\"key\":\"SHOP-42\",\"title\":\"Fix checkout \u00e9\"}}}");
        assertThat(got.header("X-Axoria-Event")).isEqualTo("status.changed");
        // Seed 003's Python: "sha256=" + base64(hmac(secret, payload))
        String expected = "sha256=" + Base64.getEncoder().encodeToString(hmac("axo".getBytes(StandardCharsets.UTF_8),
                new String(got.body(), StandardCharsets.UTF_8)));
        assertThat(got.header("X-Axoria-Signature")).isEqualTo(expected);
    }

    @Test
    void seed004AryeoSignatureHeaderAndStaticHeaders() throws Exception {
        Receiver.Request got = deliver("/aryeo", "{\"url\":\"URL\",\"events\":[\"order.fulfilled\"],\"secret\":\"ary\","
                + "\"signature\":{\"header\":\"Signature\"},\"headers\":{\"X-Tenant\":\"acme\"}}", "order.fulfilled");
        // Seed 004's PHP: hash_hmac('sha256', $payloadJson, $secret)
        assertThat(got.header("Signature")).isEqualTo(HexFormat.of().formatHex(
                hmac("ary".getBytes(StandardCharsets.UTF_8), new String(got.body(), StandardCharsets.UTF_8))));
        assertThat(got.header("X-Tenant")).isEqualTo("acme");
    }

    @Test
    void timestampedStripeStyleHeader() throws Exception {
        Receiver.Request got = deliver("/stripe", "{\"url\":\"URL\",\"events\":[\"charge.ok\"],\"secret\":\"whsec_stripe\","
                + "\"signature\":{\"scheme\":\"timestamped\",\"header\":\"Stripe-Signature\"}}", "charge.ok");
        String header = got.header("Stripe-Signature");
        String t = header.substring(2, header.indexOf(','));
        String expected = "v1=" + HexFormat.of().formatHex(hmac("whsec_stripe".getBytes(StandardCharsets.UTF_8),
                t + "." + new String(got.body(), StandardCharsets.UTF_8)));
        assertThat(header).isEqualTo("t=" + t + "," + expected);
    }

    @Test
    void rotationSignsWithBothSecretsDuringTheGracePeriodOnly() throws Exception {
        HttpResponse<String> created = herald.call("POST", "/v1/webhooks",
                "{\"url\":\"" + receiver.url("/rot") + "\",\"events\":[\"rot.event\"],\"signature\":{\"scheme\":\"standard-webhooks\"}}");
        JsonNode hook = JSON.readTree(created.body());
        String oldSecret = hook.get("secret").asText();
        HttpResponse<String> rotated = herald.call("POST", "/v1/webhooks/" + hook.get("id").asText() + "/rotate-secret",
                "{\"grace_period\":\"1h\"}");
        assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);
        String newSecret = JSON.readTree(rotated.body()).get("secret").asText();
        assertThat(newSecret).startsWith("whsec_").isNotEqualTo(oldSecret);
        assertThat(herald.call("GET", "/v1/webhooks/" + hook.get("id").asText() + "?include_secret=true", null).body())
                .doesNotContain(oldSecret);

        herald.call("POST", "/v1/events", "{\"type\":\"rot.event\",\"data\":{}}");
        waitUntil(Duration.ofSeconds(10), () -> receiver.to("/rot").size() == 1);
        Receiver.Request during = receiver.to("/rot").get(0);
        assertThat(during.header("webhook-signature").split(" "))
                .containsExactly(standardSignature(newSecret, during), standardSignature(oldSecret, during));

        herald.call("POST", "/v1/webhooks/" + hook.get("id").asText() + "/rotate-secret", "{\"grace_period\":\"0s\"}");
        herald.call("POST", "/v1/events", "{\"type\":\"rot.event\",\"data\":{}}");
        waitUntil(Duration.ofSeconds(10), () -> receiver.to("/rot").size() == 2);
        assertThat(receiver.to("/rot").get(1).header("webhook-signature").split(" ")).hasSize(1);
    }

    static String standardSignature(String secret, Receiver.Request got) throws Exception {
        byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
        return "v1," + Base64.getEncoder().encodeToString(hmac(key, got.header("webhook-id") + "."
                + got.header("webhook-timestamp") + "." + new String(got.body(), StandardCharsets.UTF_8)));
    }

    @Test
    void badDialectsAreRefusedNamingTheField() throws Exception {
        assertField("{\"url\":\"http://x/y\",\"events\":[\"a\"],\"signature\":{\"scheme\":\"md5\"}}", "signature.scheme");
        assertField("{\"url\":\"http://x/y\",\"events\":[\"a\"],\"signature\":{\"encoding\":\"hex2\"}}", "signature.encoding");
        assertField("{\"url\":\"http://x/y\",\"events\":[\"a\"],\"signature\":{\"header\":\"Bad Header\"}}", "signature.header");
        assertField("{\"url\":\"http://x/y\",\"events\":[\"a\"],\"payload_format\":\"xml\"}", "payload_format");
        assertField("{\"url\":\"http://x/y\",\"events\":[\"a\"],\"headers\":{\"Content-Type\":\"text/plain\"}}", "headers.Content-Type");
        // Headers the delivery client leaves out are refused rather than silently dropped.
        assertField("{\"url\":\"http://x/y\",\"events\":[\"a\"],\"headers\":{\"Cache-Control\":\"no-cache\"}}", "headers.Cache-Control");
        assertField("{\"url\":\"http://x/y\",\"events\":[\"a\"],\"headers\":{\"Via\":\"1.1 x\"}}", "headers.Via");
        assertField("{\"url\":\"http://x/y\",\"events\":[\"a\"],\"secret\":\"not-base64!\",\"signature\":{\"scheme\":\"standard-webhooks\"}}", "secret");
    }

    static void assertField(String body, String field) throws Exception {
        HttpResponse<String> r = herald.call("POST", "/v1/webhooks", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        JsonNode error = JSON.readTree(r.body()).get("error");
        assertThat(error.get("field").asText()).isEqualTo(field);
    }
}
