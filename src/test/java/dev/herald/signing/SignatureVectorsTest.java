package dev.herald.signing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The published vectors of /work/shared/notes/signature-vectors.md, reproduced exactly. */
class SignatureVectorsTest {

    private static final String SW_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String SW_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long SW_TIMESTAMP = 1614265330L;
    private static final String SW_BODY = "{\"test\": 2432232314}";
    private static final String SW_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    @Test
    void standardWebhooksVector() {
        Map<String, String> headers = SignatureSpec.fromJson(json("{\"scheme\":\"standard-webhooks\"}"))
                .dialect()
                .sign(new SigningInput(SW_BODY.getBytes(UTF_8), SW_ID, SW_TIMESTAMP, List.of(SW_SECRET)));

        assertThat(headers).containsExactly(
                Map.entry("webhook-id", SW_ID),
                Map.entry("webhook-timestamp", "1614265330"),
                Map.entry("webhook-signature", SW_SIGNATURE));
    }

    @Test
    void standardWebhooksSecretWithoutPrefixIsDecodedWhole() {
        Map<String, String> headers = new StandardWebhooksDialect().sign(new SigningInput(
                SW_BODY.getBytes(UTF_8), SW_ID, SW_TIMESTAMP, List.of("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")));

        assertThat(headers.get("webhook-signature")).isEqualTo(SW_SIGNATURE);
    }

    @Test
    void gitHubVector() {
        SigningInput in = new SigningInput("Hello, World!".getBytes(UTF_8), "msg_1", 0,
                List.of("It's a Secret to Everybody"));
        String expected = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

        Map<String, String> viaSpec = SignatureSpec
                .fromJson(json("{\"header\":\"X-Hub-Signature-256\",\"prefix\":\"sha256=\"}"))
                .dialect().sign(in);
        Map<String, String> direct = new HmacSha256Dialect("X-Hub-Signature-256", "sha256=",
                HmacSha256Dialect.Encoding.HEX).sign(in);

        assertThat(viaSpec).containsExactly(Map.entry("X-Hub-Signature-256", expected));
        assertThat(direct).isEqualTo(viaSpec);
    }

    @Test
    void timestampedHeaderHasStripeFormat() {
        String secret = "whsec_stripe_style_secret";
        byte[] body = "{\"id\":\"evt_1\",\"type\":\"invoice.paid\"}".getBytes(UTF_8);
        Map<String, String> headers = SignatureSpec.fromJson(json("{\"scheme\":\"timestamped\"}"))
                .dialect().sign(new SigningInput(body, "msg_1", 1700000000L, List.of(secret)));

        assertThat(headers).containsOnlyKeys("X-Webhook-Signature");
        Matcher m = Pattern.compile("t=(\\d+),v1=([0-9a-f]{64})").matcher(headers.get("X-Webhook-Signature"));
        assertThat(m.matches()).isTrue();
        assertThat(m.group(1)).isEqualTo("1700000000");
        // Key = the secret string's bytes, whsec_ included; message = "<t>.<body>".
        assertThat(m.group(2)).isEqualTo(hex(hmac(secret.getBytes(UTF_8), concat("1700000000.", body))));
    }

    @Test
    void timestampedHeaderNameIsConfigurable() {
        Map<String, String> headers = SignatureSpec
                .fromJson(json("{\"scheme\":\"timestamped\",\"header\":\"Stripe-Signature\"}"))
                .dialect().sign(new SigningInput(new byte[0], "m", 5, List.of("s")));

        assertThat(headers).containsOnlyKeys("Stripe-Signature");
    }

    @Test
    void standardWebhooksRotationSignsWithEverySecretCurrentFirst() {
        String current = Secrets.generate();
        byte[] body = "{\"a\":1}".getBytes(UTF_8);
        Map<String, String> headers = new StandardWebhooksDialect()
                .sign(new SigningInput(body, "msg_2", 1700000001L, List.of(current, SW_SECRET)));

        String signed = "msg_2.1700000001.";
        String expected = "v1," + b64(hmac(swKey(current), concat(signed, body)))
                + " v1," + b64(hmac(swKey(SW_SECRET), concat(signed, body)));
        assertThat(headers.get("webhook-signature")).isEqualTo(expected);
    }

    @Test
    void timestampedRotationSignsWithEverySecretCurrentFirst() {
        byte[] body = "{\"a\":1}".getBytes(UTF_8);
        Map<String, String> headers = new TimestampedDialect()
                .sign(new SigningInput(body, "msg_3", 1700000002L, List.of("new-secret", "old-secret")));

        String expected = "t=1700000002"
                + ",v1=" + hex(hmac("new-secret".getBytes(UTF_8), concat("1700000002.", body)))
                + ",v1=" + hex(hmac("old-secret".getBytes(UTF_8), concat("1700000002.", body)));
        assertThat(headers.get("X-Webhook-Signature")).isEqualTo(expected);
    }

    @Test
    void singleValueDialectSignsWithTheCurrentSecretOnly() {
        byte[] body = "Hello, World!".getBytes(UTF_8);
        Map<String, String> headers = SignatureSpec.defaults().dialect()
                .sign(new SigningInput(body, "m", 0, List.of("It's a Secret to Everybody", "old")));

        assertThat(headers).containsExactly(Map.entry("X-Webhook-Signature",
                "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"));
    }

    // Independent HMAC helpers: the test does not reuse the production code's.

    static byte[] hmac(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] swKey(String secret) {
        return Base64.getDecoder().decode(secret.substring("whsec_".length()));
    }

    private static byte[] concat(String head, byte[] body) {
        byte[] h = head.getBytes(UTF_8);
        byte[] out = new byte[h.length + body.length];
        System.arraycopy(h, 0, out, 0, h.length);
        System.arraycopy(body, 0, out, h.length, body.length);
        return out;
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    static com.fasterxml.jackson.databind.JsonNode json(String s) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(s);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
