package dev.herald.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import static dev.herald.it.HeraldApp.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/** Webhook transforms: the operator's route direct:<name> shapes what is signed and sent. */
class TransformTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static HeraldApp herald;
    static Receiver receiver;
    static Path routes;

    @BeforeAll
    static void start() throws Exception {
        receiver = new Receiver();
        routes = Files.createTempDirectory("herald-routes");
        Files.writeString(routes.resolve("transforms.yaml"), """
                - route:
                    id: transform-shape
                    from:
                      uri: direct:shape
                      steps:
                        - setBody:
                            simple: "${header.HeraldEventType}|${header.HeraldEventId}|${header.HeraldDeliveryId}|${header.HeraldWebhookId}|${header.HeraldAttempt}|${body}"
                        - setHeader:
                            name: Content-Type
                            constant: text/plain; charset=utf-8
                        # Headers a transform sets do not steer the call nor reach the receiver.
                        - setHeader:
                            name: CamelHttpUri
                            constant: http://127.0.0.1:9/elsewhere
                        - setHeader:
                            name: X-Leak
                            constant: from-the-transform
                # Ends in stop: the body it left is sent all the same (the deliver route goes on).
                - route:
                    id: transform-halts
                    routeConfigurationId: transform
                    from:
                      uri: direct:halts
                      steps:
                        - setBody:
                            constant: halted here
                        - stop: {}
                        - setBody:
                            constant: never reached
                - route:
                    id: transform-fails
                    routeConfigurationId: transform
                    from:
                      uri: direct:fails
                      steps:
                        - throwException:
                            exceptionType: java.lang.IllegalArgumentException
                            message: no shape for this event
                """);
        herald = new HeraldApp(Map.of("herald.routes.dir", routes.toString()));
    }

    @AfterAll
    static void stop() throws Exception {
        herald.close();
        receiver.close();
    }

    @Test
    void theTransformedBytesAreSignedAndSent() throws Exception {
        JsonNode hook = create("/shaped", "\"transform\":\"shape\"");
        assertThat(hook.get("transform").asText()).isEqualTo("shape");
        HttpResponse<String> r = herald.call("POST", "/v1/events",
                "{\"id\":\"evt_shape_1\",\"type\":\"shape.me\",\"created_at\":\"2026-03-01T12:00:00Z\",\"data\":{\"n\":1}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        waitUntil(Duration.ofSeconds(10), () -> receiver.to("/shaped").size() == 1);

        Receiver.Request got = receiver.to("/shaped").get(0);
        String deliveryId = got.header("X-Webhook-Delivery");
        String body = new String(got.body(), StandardCharsets.UTF_8);
        assertThat(body).isEqualTo("shape.me|evt_shape_1|" + deliveryId + "|" + hook.get("id").asText() + "|1|"
                + "{\"id\":\"evt_shape_1\",\"type\":\"shape.me\",\"created_at\":\"2026-03-01T12:00:00Z\",\"data\":{\"n\":1}}");
        assertThat(got.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
        assertThat(got.header("X-Webhook-Signature"))
                .isEqualTo(HexFormat.of().formatHex(hmac(hook.get("secret").asText(), got.body())));
        assertThat(got.header("X-Leak")).isNull();

        JsonNode delivery = JSON.readTree(herald.call("GET", "/v1/deliveries/" + deliveryId, null).body());
        waitUntil(Duration.ofSeconds(10), () -> "success".equals(status(deliveryId)));
        JsonNode attempt = JSON.readTree(herald.call("GET", "/v1/deliveries/" + deliveryId, null).body()).get("attempts").get(0);
        assertThat(attempt.get("request").get("body").asText()).isEqualTo(body);
        assertThat(attempt.get("request").get("headers").get("Content-Type").asText()).isEqualTo("text/plain; charset=utf-8");
        assertThat(delivery.get("id").asText()).isEqualTo(deliveryId);
    }

    @Test
    void aTransformThatStopsSendsTheBodyItLeft() throws Exception {
        create("/halts", "\"transform\":\"halts\"");
        HttpResponse<String> r = herald.call("POST", "/v1/events", "{\"type\":\"halt.me\",\"data\":{}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        String deliveryId = JSON.readTree(r.body()).get("deliveries").get(0).asText();
        waitUntil(Duration.ofSeconds(10), () -> "success".equals(status(deliveryId)));
        assertThat(receiver.to("/halts")).hasSize(1);
        assertThat(new String(receiver.to("/halts").get(0).body(), StandardCharsets.UTF_8)).isEqualTo("halted here");
    }

    @Test
    void aTransformThatThrowsIsAFailedAttemptRetriedOnTheTable() throws Exception {
        LogCapture log = new LogCapture();
        create("/fails", "\"transform\":\"fails\",\"retry_schedule\":[\"0s\",\"1s\"]");
        HttpResponse<String> r = herald.call("POST", "/v1/events", "{\"type\":\"fail.me\",\"data\":{}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        String deliveryId = JSON.readTree(r.body()).get("deliveries").get(0).asText();
        waitUntil(Duration.ofSeconds(15), () -> "failed".equals(status(deliveryId)));

        JsonNode d = JSON.readTree(herald.call("GET", "/v1/deliveries/" + deliveryId, null).body());
        assertThat(d.get("attempts")).hasSize(2);
        for (JsonNode a : d.get("attempts")) {
            assertThat(a.get("error").asText()).isEqualTo("transform \"fails\" failed: no shape for this event");
            assertThat(a.get("response").isNull()).as("nothing was sent, nothing answered").isTrue();
        }
        assertThat(receiver.to("/fails")).isEmpty();
        // Its route uses the transform configuration: the error is in the delivery log, not a stack trace per attempt.
        log.close();
        assertThat(log.text()).doesNotContain("Exhausted after delivery attempt").doesNotContain("no shape for this event");
    }

    @Test
    void onlyARunningOperatorRouteIsATransform() throws Exception {
        for (String name : new String[] {"missing", "ingest", "shape?block=false", "a b", ""}) {
            HttpResponse<String> r = herald.call("POST", "/v1/webhooks", "{\"url\":\"" + receiver.url("/x")
                    + "\",\"events\":[\"*\"],\"transform\":" + JSON.writeValueAsString(name) + "}");
            assertThat(r.statusCode()).as(name + ": " + r.body()).isEqualTo(400);
            assertThat(JSON.readTree(r.body()).get("error").get("field").asText()).isEqualTo("transform");
        }
        JsonNode hook = create("/patched", "\"transform\":\"shape\"");
        String path = "/v1/webhooks/" + hook.get("id").asText();
        HttpResponse<String> refused = herald.call("PATCH", path, "{\"transform\":\"missing\"}");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(JSON.readTree(refused.body()).get("error").get("field").asText()).isEqualTo("transform");

        HttpResponse<String> cleared = herald.call("PATCH", path, "{\"transform\":null}");
        assertThat(cleared.statusCode()).as(cleared.body()).isEqualTo(200);
        assertThat(JSON.readTree(cleared.body()).get("transform").isNull()).isTrue();
        herald.call("POST", "/v1/events", "{\"type\":\"after.patch\",\"data\":{\"k\":\"v\"}}");
        waitUntil(Duration.ofSeconds(10), () -> receiver.to("/patched").stream()
                .anyMatch(q -> new String(q.body(), StandardCharsets.UTF_8).contains("\"type\":\"after.patch\"")));
        Receiver.Request plain = receiver.to("/patched").stream()
                .filter(q -> new String(q.body(), StandardCharsets.UTF_8).contains("\"type\":\"after.patch\"")).findFirst().get();
        assertThat(new String(plain.body(), StandardCharsets.UTF_8)).startsWith("{\"id\":\"evt_").endsWith(",\"data\":{\"k\":\"v\"}}");
        assertThat(plain.header("Content-Type")).isEqualTo("application/json");
    }

    /** A webhook on its own path and event types (so the tests do not see each other's deliveries). */
    private static JsonNode create(String path, String extra) throws Exception {
        String events = switch (path) {
            case "/shaped" -> "shape.*";
            case "/fails" -> "fail.*";
            case "/halts" -> "halt.*";
            default -> "after.*";
        };
        HttpResponse<String> r = herald.call("POST", "/v1/webhooks", "{\"url\":\"" + receiver.url(path)
                + "\",\"events\":[\"" + events + "\"]," + extra + "}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return JSON.readTree(r.body());
    }

    private static String status(String deliveryId) {
        try {
            return JSON.readTree(herald.call("GET", "/v1/deliveries/" + deliveryId, null).body()).get("status").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(String secret, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return mac.doFinal(body);
    }
}
