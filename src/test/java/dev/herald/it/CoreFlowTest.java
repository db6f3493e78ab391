package dev.herald.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import static dev.herald.it.HeraldApp.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/** Herald end to end: webhooks over the API, events in, signed POSTs out to a real receiver, the delivery log. */
class CoreFlowTest {

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

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    static String createWebhook(String path, String events, String extra) throws Exception {
        HttpResponse<String> r = herald.call("POST", "/v1/webhooks", "{\"url\":\"" + receiver.url(path)
                + "\",\"events\":" + events + ",\"secret\":\"s3cret\"" + extra + "}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return json(r).get("id").asText();
    }

    static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().substring(0, 8);
    }

    static String hmacHex(String secret, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body));
    }

    @Test
    void eventArrivesSignedAndIsLogged() throws Exception {
        String path = "/" + unique("signed");
        String hook = createWebhook(path, "[\"project.created\"]", "");
        String eventId = unique("evt_");
        HttpResponse<String> accepted = herald.call("POST", "/v1/events", "{\"id\":\"" + eventId
                + "\",\"type\":\"project.created\",\"created_at\":\"2026-03-01T12:00:00Z\","
                + "\"data\":{\"id\":\"proj_1\",\"name\":\"Caf\u00e9 \\\"</script>\",\"n\":null,\"i\":42,\"o\":{\"x\":[1,2]}}}");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String deliveryId = json(accepted).get("deliveries").get(0).asText();

        waitUntil(Duration.ofSeconds(10), () -> receiver.to(path).size() == 1);
        Receiver.Request got = receiver.to(path).get(0);
        String expected = "{\"id\":\"" + eventId + "\",\"type\":\"project.created\",\"created_at\":\"2026-03-01T12:00:00Z\","
                + "\"data\":{\"id\":\"proj_1\",\"name\":\"Caf\u00e9 \\\"</script>\",\"n\":null,\"i\":42,\"o\":{\"x\":[1,2]}}}";
        assertThat(new String(got.body(), StandardCharsets.UTF_8)).isEqualTo(expected);
        assertThat(got.header("Content-Type")).startsWith("application/json");
        assertThat(got.header("User-Agent")).startsWith("Herald/");
        assertThat(got.header("X-Webhook-Id")).isEqualTo(eventId);
        assertThat(got.header("X-Webhook-Event")).isEqualTo("project.created");
        assertThat(got.header("X-Webhook-Delivery")).isEqualTo(deliveryId);
        assertThat(got.header("X-Webhook-Attempt")).isEqualTo("1");
        assertThat(got.header("X-Webhook-Signature")).isEqualTo(hmacHex("s3cret", got.body()));
        assertThat(got.header("Authorization")).isNull();

        waitUntil(Duration.ofSeconds(10), () -> status(deliveryId).equals("success"));
        JsonNode delivery = json(herald.call("GET", "/v1/deliveries/" + deliveryId, null));
        assertThat(delivery.get("status_code").asInt()).isEqualTo(200);
        assertThat(delivery.get("webhook_id").asText()).isEqualTo(hook);
        JsonNode attempt = delivery.get("attempts").get(0);
        assertThat(attempt.get("attempt").asInt()).isEqualTo(1);
        assertThat(attempt.get("request").get("body").asText()).isEqualTo(expected);
        assertThat(attempt.get("request").get("headers").get("X-Webhook-Signature").asText())
                .isEqualTo(got.header("X-Webhook-Signature"));
        assertThat(attempt.get("response").get("status_code").asInt()).isEqualTo(200);
        assertThat(attempt.get("response").get("body").asText()).startsWith("{\"received\":");
        assertThat(attempt.get("duration_ms").asLong()).isGreaterThanOrEqualTo(0);

        JsonNode log = json(herald.call("GET", "/v1/webhooks/" + hook + "/deliveries", null));
        assertThat(log.get("deliveries").get(0).get("id").asText()).isEqualTo(deliveryId);
        assertThat(log.get("deliveries").get(0).get("delivered_at").isNull()).isFalse();
    }

    @Test
    void fanOutReachesExactlyTheMatchingActiveWebhooks() throws Exception {
        String type = unique("fan") + ".created";
        String prefix = type.substring(0, type.indexOf('.'));
        createWebhook("/fan-exact-" + prefix, "[\"" + type + "\"]", "");
        createWebhook("/fan-prefix-" + prefix, "[\"" + prefix + ".*\"]", "");
        createWebhook("/fan-other-" + prefix, "[\"" + prefix + ".deleted\"]", "");
        createWebhook("/fan-inactive-" + prefix, "[\"" + type + "\"]", ",\"active\":false");
        String paused = createWebhook("/fan-paused-" + prefix, "[\"" + type + "\"]", "");
        assertThat(herald.call("PATCH", "/v1/webhooks/" + paused, "{\"active\":false}").statusCode()).isEqualTo(200);

        HttpResponse<String> r = herald.call("POST", "/v1/events", "[{\"type\":\"" + type + "\",\"data\":{}},"
                + "{\"type\":\"" + prefix + ".updated\",\"data\":{}}]");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        JsonNode results = json(r).get("data");
        assertThat(results.get(0).get("deliveries").size()).isEqualTo(2);
        assertThat(results.get(1).get("deliveries").size()).isEqualTo(1);

        waitUntil(Duration.ofSeconds(10), () -> receiver.to("/fan-exact-" + prefix).size() == 1
                && receiver.to("/fan-prefix-" + prefix).size() == 2);
        Thread.sleep(300); // a stray delivery would arrive about as fast as the expected ones
        assertThat(receiver.to("/fan-other-" + prefix)).isEmpty();
        assertThat(receiver.to("/fan-inactive-" + prefix)).isEmpty();
        assertThat(receiver.to("/fan-paused-" + prefix)).isEmpty();
    }

    @Test
    void reIngestingAnIdCreatesNoNewDeliveries() throws Exception {
        String path = "/" + unique("idem");
        String type = unique("idem") + ".happened";
        createWebhook(path, "[\"" + type + "\"]", "");
        String event = "{\"id\":\"order-77-" + type + "\",\"type\":\"" + type + "\",\"data\":{\"n\":1}}";
        assertThat(herald.call("POST", "/v1/events", event).statusCode()).isEqualTo(202);
        HttpResponse<String> again = herald.call("POST", "/v1/events", event);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(json(again).get("duplicate").asBoolean()).isTrue();
        assertThat(json(again).get("deliveries").size()).isZero();
        waitUntil(Duration.ofSeconds(10), () -> receiver.to(path).size() == 1);
        Thread.sleep(300);
        assertThat(receiver.to(path)).hasSize(1);
        JsonNode stored = json(herald.call("GET", "/v1/events/order-77-" + type, null));
        assertThat(stored.get("deliveries").size()).isEqualTo(1);
    }

    @Test
    void generatedIdsAreTimeOrderedEventIds() throws Exception {
        HttpResponse<String> r = herald.call("POST", "/v1/events", "{\"type\":\"nobody.listens\",\"data\":{}}");
        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(json(r).get("id").asText()).matches("evt_[0-9A-Z]{26}");
    }

    @Test
    void badInputGetsAClearErrorAndHeraldKeepsServing() throws Exception {
        assertError(herald.call("POST", "/v1/events", "{\"type\": \"a.b\", \"data\": {"), 400, "invalid_json", null);
        assertError(herald.call("POST", "/v1/events", "{not json}"), 400, "invalid_json", null);
        assertError(herald.call("POST", "/v1/events", "\"just a string\""), 400, "invalid_request", null);
        assertError(herald.call("POST", "/v1/events", "{\"data\":{}}"), 400, "invalid_request", "type");
        assertError(herald.call("POST", "/v1/events", "{\"type\":\"has space\",\"data\":{}}"), 400, "invalid_request", "type");
        assertError(herald.call("POST", "/v1/events", "{\"type\":7,\"data\":{}}"), 400, "invalid_request", "type");
        assertError(herald.call("POST", "/v1/events", "{\"type\":\"a.b\",\"data\":[1]}"), 400, "invalid_request", "data");
        assertError(herald.call("POST", "/v1/events", "[{\"type\":\"a.b\",\"data\":{}},{\"type\":\"a.b\",\"data\":\"x\"}]"),
                400, "invalid_request", "[1].data");
        String big = "x".repeat(300_000);
        assertError(herald.call("POST", "/v1/events", "{\"type\":\"a.b\",\"data\":{\"s\":\"" + big + "\"}}"),
                413, "payload_too_large", null);

        assertError(herald.call("POST", "/v1/webhooks", "{\"url\":\"ftp://x/y\",\"events\":[\"a\"]}"), 400, "invalid_request", "url");
        assertError(herald.call("POST", "/v1/webhooks", "{\"url\":\"/relative\",\"events\":[\"a\"]}"), 400, "invalid_request", "url");
        assertError(herald.call("POST", "/v1/webhooks", "{\"url\":\"http://x/y\"}"), 400, "invalid_request", "events");
        assertError(herald.call("POST", "/v1/webhooks", "{\"url\":\"http://x/y\",\"events\":\"a.b\"}"), 400, "invalid_request", "events");
        assertError(herald.call("POST", "/v1/webhooks", "{\"url\":\"http://x/y\",\"events\":[1]}"), 400, "invalid_request", "events[0]");
        assertError(herald.call("POST", "/v1/webhooks", "{\"url\":\"http://x/y\",\"events\":[\"a\"],\"retry_schedule\":[\"0s\",\"25h\"]}"),
                400, "invalid_request", "retry_schedule[1]");
        assertError(herald.call("GET", "/v1/webhooks/hook_nope", null), 404, "not_found", null);
        assertError(herald.call("GET", "/v1/deliveries/del_nope", null), 404, "not_found", null);
        assertError(herald.call("GET", "/v1/events/evt_nope", null), 404, "not_found", null);
        assertError(herald.call("GET", "/v1/webhooks", null, null), 401, "unauthorized", null);
        assertError(herald.call("GET", "/v1/webhooks", null, "wrong"), 401, "unauthorized", null);
        assertError(herald.call("POST", "/v1/events", "{\"type\":\"a.b\",\"data\":{}}", "wrong"), 401, "unauthorized", null);

        assertThat(herald.call("POST", "/v1/events", "{\"type\":\"still.serving\",\"data\":{}}").statusCode()).isEqualTo(202);
    }

    @Test
    void failedAttemptsFollowTheScheduleThenManualRetryContinuesNumbering() throws Exception {
        Receiver failing = new Receiver();
        try {
            failing.status.set(500);
            String type = unique("fail") + ".now";
            HttpResponse<String> created = herald.call("POST", "/v1/webhooks", "{\"url\":\"" + failing.url("/f")
                    + "\",\"events\":[\"" + type + "\"],\"retry_schedule\":[\"0s\",\"1s\"]}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            String secret = json(created).get("secret").asText();
            assertThat(secret).startsWith("whsec_");
            String deliveryId = json(herald.call("POST", "/v1/events", "{\"type\":\"" + type + "\",\"data\":{}}"))
                    .get("deliveries").get(0).asText();
            waitUntil(Duration.ofSeconds(15), () -> status(deliveryId).equals("failed"));
            assertThat(failing.requests).hasSize(2);
            long gap = failing.requests.get(1).at() - failing.requests.get(0).at();
            assertThat(gap).isBetween(900L, 2500L);
            JsonNode d = json(herald.call("GET", "/v1/deliveries/" + deliveryId, null));
            assertThat(d.get("status_code").asInt()).as(d.toString()).isEqualTo(500);
            assertThat(d.get("error").asText()).isEqualTo("HTTP 500");
            assertThat(d.get("attempts").size()).isEqualTo(2);

            failing.status.set(200);
            assertThat(herald.call("POST", "/v1/deliveries/" + deliveryId + "/retry", null).statusCode()).isEqualTo(202);
            waitUntil(Duration.ofSeconds(10), () -> status(deliveryId).equals("success"));
            assertThat(failing.requests.get(2).header("X-Webhook-Attempt")).isEqualTo("3");
            JsonNode after = json(herald.call("GET", "/v1/deliveries/" + deliveryId, null));
            assertThat(after.get("attempts").get(2).get("trigger").asText()).isEqualTo("manual");
        } finally {
            failing.close();
        }
    }

    @Test
    void redirectsAreNotFollowed() throws Exception {
        Receiver redirecting = new Receiver();
        try {
            redirecting.status.set(302);
            redirecting.location = receiver.url("/elsewhere");
            String type = unique("redir") + ".x";
            herald.call("POST", "/v1/webhooks", "{\"url\":\"" + redirecting.url("/r") + "\",\"events\":[\"" + type
                    + "\"],\"retry_schedule\":[\"0s\"]}");
            String deliveryId = json(herald.call("POST", "/v1/events", "{\"type\":\"" + type + "\",\"data\":{}}"))
                    .get("deliveries").get(0).asText();
            waitUntil(Duration.ofSeconds(10), () -> status(deliveryId).equals("failed"));
            JsonNode d = json(herald.call("GET", "/v1/deliveries/" + deliveryId, null));
            assertThat(d.get("status_code").asInt()).isEqualTo(302);
            assertThat(d.get("error").asText()).contains("redirect");
            assertThat(receiver.to("/elsewhere")).isEmpty();
        } finally {
            redirecting.close();
        }
    }

    @Test
    void unreachableReceiverIsAFailedAttemptWithAReason() throws Exception {
        String type = unique("down") + ".x";
        herald.call("POST", "/v1/webhooks", "{\"url\":\"http://127.0.0.1:" + HeraldApp.freePort() + "/gone\",\"events\":[\""
                + type + "\"],\"retry_schedule\":[\"0s\"]}");
        String deliveryId = json(herald.call("POST", "/v1/events", "{\"type\":\"" + type + "\",\"data\":{}}"))
                .get("deliveries").get(0).asText();
        waitUntil(Duration.ofSeconds(10), () -> status(deliveryId).equals("failed"));
        JsonNode d = json(herald.call("GET", "/v1/deliveries/" + deliveryId, null));
        assertThat(d.get("error").asText()).contains("connection refused");
        assertThat(d.get("status_code").isNull()).isTrue();
    }

    @Test
    void webhooksAreListedWithCursorsAndMaskedSecrets() throws Exception {
        for (int i = 0; i < 3; i++) {
            createWebhook("/list" + i, "[\"list.x\"]", "");
        }
        JsonNode first = json(herald.call("GET", "/v1/webhooks?limit=2", null));
        assertThat(first.get("data").size()).isEqualTo(2);
        assertThat(first.get("has_more").asBoolean()).isTrue();
        assertThat(first.get("data").get(0).get("secret").asText()).doesNotContain("s3cret");
        JsonNode second = json(herald.call("GET", "/v1/webhooks?limit=2&cursor=" + first.get("next_cursor").asText(), null));
        assertThat(second.get("data").get(0).get("id").asText()).isGreaterThan(first.get("data").get(1).get("id").asText());
        String id = first.get("data").get(0).get("id").asText();
        assertThat(json(herald.call("GET", "/v1/webhooks/" + id + "?include_secret=true", null)).get("secret").asText())
                .isNotBlank();
        assertThat(herald.call("DELETE", "/v1/webhooks/" + id, null).statusCode()).isEqualTo(204);
        assertThat(herald.call("GET", "/v1/webhooks/" + id, null).statusCode()).isEqualTo(404);
    }

    @Test
    void testEndpointDeliversATestEventToThatWebhookOnly() throws Exception {
        String path = "/" + unique("test");
        String hook = createWebhook(path, "[\"never.sent\"]", "");
        HttpResponse<String> r = herald.call("POST", "/v1/webhooks/" + hook + "/test", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        waitUntil(Duration.ofSeconds(10), () -> receiver.to(path).size() == 1);
        JsonNode body = JSON.readTree(receiver.to(path).get(0).body());
        assertThat(body.get("type").asText()).isEqualTo("test");
        assertThat(body.get("id").asText()).isEqualTo(json(r).get("event_id").asText());
    }

    static String status(String deliveryId) {
        try {
            return json(herald.call("GET", "/v1/deliveries/" + deliveryId, null)).get("status").asText();
        } catch (Exception e) {
            return "unknown";
        }
    }

    static void assertError(HttpResponse<String> r, int status, String code, String field) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode error = json(r).get("error");
        assertThat(error.get("code").asText()).isEqualTo(code);
        assertThat(error.get("message").asText()).isNotBlank().doesNotContain("Exception").doesNotContain("at dev.");
        if (field != null) {
            assertThat(error.get("field").asText()).isEqualTo(field);
        }
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    }
}
