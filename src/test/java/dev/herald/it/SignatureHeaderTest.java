package dev.herald.it;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static dev.herald.it.ApiCalls.assertError;
import static dev.herald.it.ApiCalls.json;
import static dev.herald.it.HeraldApp.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code signature.header} and {@code signature.prefix} follow the rules of every header a
 * webhook adds: a Camel*, reserved or hop-by-hop name, or a value with a line break or {@code {{},
 * is refused on create and patch; an allowed name carries the signature to a real receiver.
 */
class SignatureHeaderTest {

    private static final String SECRET = "s3cret-for-header-test";
    private static HeraldApp herald;
    private static Receiver receiver;
    private static ApiCalls api;

    @BeforeAll
    static void start() throws Exception {
        receiver = new Receiver();
        herald = new HeraldApp(Map.of());
        api = new ApiCalls(herald);
    }

    @AfterAll
    static void stop() throws Exception {
        herald.close();
        receiver.close();
    }

    /** A signature object and the field its refusal must name. */
    private static final String[][] REFUSED = {
            {"{\"scheme\":\"hmac-sha256\",\"header\":\"CamelHttpUri\",\"prefix\":\"http://127.0.0.1:9/x?sig=\"}",
                    "signature.header"},
            {"{\"header\":\"camelHttpPath\"}", "signature.header"},
            {"{\"header\":\"CAMEL-anything\"}", "signature.header"},
            {"{\"scheme\":\"timestamped\",\"header\":\"CamelHttpQuery\"}", "signature.header"},
            {"{\"header\":\"Connection\"}", "signature.header"},
            {"{\"header\":\"Upgrade\"}", "signature.header"},
            {"{\"header\":\"Keep-Alive\"}", "signature.header"},
            {"{\"header\":\"TE\"}", "signature.header"},
            {"{\"header\":\"Host\"}", "signature.header"},
            {"{\"header\":\"X-Webhook-Id\"}", "signature.header"},
            {"{\"header\":\"X-Webhook-Delivery\"}", "signature.header"},
            {"{\"header\":\"X-Webhook-Event\"}", "signature.header"},
            {"{\"header\":\"X-Sig\\r\\nX-Evil: 1\"}", "signature.header"},
            {"{\"header\":\"X-Sig{{herald.api.keys}}\"}", "signature.header"},
            {"{\"prefix\":\"{{herald.api.keys}}\"}", "signature.prefix"},
            {"{\"prefix\":\"v1={{sys:user.home}}\"}", "signature.prefix"},
            {"{\"prefix\":\"sha256=\\r\\nX-Evil: 1\"}", "signature.prefix"},
            {"{\"prefix\":\"sha256=\\u0000\"}", "signature.prefix"},
            {"{\"prefix\":\"" + "p".repeat(51) + "\"}", "signature.prefix"},
    };

    @Test
    void headerAndPrefixOutsideTheHeaderRulesAreRefusedOnCreateAndPatch() throws Exception {
        String path = "/kept";
        String hook = create(path, "{\"header\":\"X-Acme-Signature\",\"prefix\":\"sha256=\"}");
        for (String[] c : REFUSED) {
            HttpResponse<String> created = herald.call("POST", "/v1/webhooks", "{\"url\":\"" + receiver.url("/never")
                    + "\",\"events\":[\"sigheader.never\"],\"signature\":" + c[0] + "}");
            assertError(created, 400, c[1]);
            HttpResponse<String> patched = herald.call("PATCH", "/v1/webhooks/" + hook, "{\"signature\":" + c[0] + "}");
            assertError(patched, 400, c[1]);
        }
        JsonNode kept = api.get("/v1/webhooks/" + hook).get("signature");
        assertThat(kept.get("header").asText()).isEqualTo("X-Acme-Signature");
        assertThat(kept.get("prefix").asText()).isEqualTo("sha256=");

        // The webhook still signs under its own header: the refused patches changed nothing.
        api.send("sigheader.kept", null);
        waitUntil(Duration.ofSeconds(10), () -> receiver.to(path).size() == 1);
        Receiver.Request got = receiver.to(path).get(0);
        assertThat(got.header("X-Acme-Signature")).isEqualTo("sha256=" + CoreFlowTest.hmacHex(SECRET, got.body()));
        assertThat(receiver.to("/never")).isEmpty();
    }

    @Test
    void anAllowedHeaderNameCarriesTheSignatureToTheReceiver() throws Exception {
        String path = "/custom";
        String hook = create(path, "{\"scheme\":\"hmac-sha256\",\"header\":\"X-Hub-Signature-256\",\"prefix\":\"sha256=\"}");
        String event = api.send("sigheader.custom", null);
        waitUntil(Duration.ofSeconds(10), () -> receiver.to(path).size() == 1);
        Receiver.Request got = receiver.to(path).get(0);
        String expected = "sha256=" + CoreFlowTest.hmacHex(SECRET, got.body());
        assertThat(got.header("X-Hub-Signature-256")).isEqualTo(expected);
        assertThat(got.header("X-Webhook-Signature")).isNull();
        assertThat(got.header("X-Webhook-Id")).isEqualTo(event);

        // The delivery log shows the header that was really sent.
        String delivery = got.header("X-Webhook-Delivery");
        waitUntil(Duration.ofSeconds(10), () -> logged(delivery) != null);
        assertThat(logged(delivery).get("request").get("headers").get("X-Hub-Signature-256").asText()).isEqualTo(expected);

        // A patch to another allowed name takes effect on the next delivery.
        HttpResponse<String> patched = herald.call("PATCH", "/v1/webhooks/" + hook,
                "{\"signature\":{\"scheme\":\"timestamped\",\"header\":\"Acme-Signature\"}}");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        api.send("sigheader.custom", null);
        waitUntil(Duration.ofSeconds(10), () -> receiver.to(path).size() == 2);
        assertThat(receiver.to(path).get(1).header("Acme-Signature")).startsWith("t=").contains(",v1=");
        assertThat(receiver.to(path).get(1).header("X-Hub-Signature-256")).isNull();
    }

    private static String create(String path, String signature) throws Exception {
        HttpResponse<String> r = herald.call("POST", "/v1/webhooks", "{\"url\":\"" + receiver.url(path)
                + "\",\"events\":[\"sigheader" + path.replace('/', '.') + "\"],\"secret\":\"" + SECRET
                + "\",\"retry_schedule\":[\"0s\"],\"signature\":" + signature + "}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return json(r).get("id").asText();
    }

    /** The delivery's first attempt as the log shows it, null until it is written. */
    private static JsonNode logged(String delivery) {
        try {
            JsonNode attempts = api.get("/v1/deliveries/" + delivery).get("attempts");
            return attempts.isEmpty() ? null : attempts.get(0);
        } catch (Exception | AssertionError e) {
            return null;
        }
    }
}
