package dev.herald.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.herald.it.HeraldApp.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/** The retry engine against misbehaving receivers: Retry-After, slow and hanging endpoints, huge bodies, recovery. */
class RetryEngineTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static HeraldApp herald;

    @BeforeAll
    static void start() throws Exception {
        // Few threads and a low per-endpoint bound make starvation by a slow receiver visible.
        herald = new HeraldApp(Map.of("herald.delivery.concurrency", "4", "herald.delivery.per-endpoint-concurrency", "2"));
    }

    @AfterAll
    static void stop() throws Exception {
        herald.close();
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    static String type() {
        return "retry" + UUID.randomUUID().toString().substring(0, 8) + ".x";
    }

    static String hook(Receiver r, String type, String schedule) throws Exception {
        HttpResponse<String> created = herald.call("POST", "/v1/webhooks", "{\"url\":\"" + r.url("/in")
                + "\",\"events\":[\"" + type + "\"],\"retry_schedule\":" + schedule + "}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return json(created).get("id").asText();
    }

    static String send(String type) throws Exception {
        HttpResponse<String> r = herald.call("POST", "/v1/events", "{\"type\":\"" + type + "\",\"data\":{}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return json(r).get("deliveries").get(0).asText();
    }

    static JsonNode delivery(String id) {
        try {
            return json(herald.call("GET", "/v1/deliveries/" + id, null));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void retryAfterDelaysTheNextAttempt() throws Exception {
        try (Receiver r = new Receiver()) {
            r.status.set(429);
            r.retryAfter = "2";
            String type = type();
            hook(r, type, "[\"0s\",\"1s\",\"5s\"]");
            String id = send(type);
            waitUntil(Duration.ofSeconds(10), () -> r.requests.size() == 1);
            r.retryAfter = null;
            r.status.set(200);
            waitUntil(Duration.ofSeconds(10), () -> delivery(id).get("status").asText().equals("success"));
            long gap = r.requests.get(1).at() - r.requests.get(0).at();
            assertThat(gap).isGreaterThanOrEqualTo(1900);
            assertThat(delivery(id).get("attempts").get(0).get("response").get("status_code").asInt()).as(delivery(id).toString()).isEqualTo(429);
        }
    }

    @Test
    void aHangingReceiverTimesOutAndDoesNotStarveOthers() throws Exception {
        try (Receiver slow = new Receiver(); Receiver fast = new Receiver()) {
            slow.delayMillis = 4000; // past the 2 s test timeout
            String slowType = type();
            String fastType = type();
            hook(slow, slowType, "[\"0s\"]");
            hook(fast, fastType, "[\"0s\"]");
            List<String> slowIds = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                slowIds.add(send(slowType));
            }
            waitUntil(Duration.ofSeconds(10), () -> slow.requests.size() >= 2);
            String fastId = send(fastType);
            waitUntil(Duration.ofSeconds(10), () -> fast.requests.size() == 1);
            // The fast receiver was served while the slow one still held its attempts open.
            assertThat(slowIds.stream().filter(id -> delivery(id).get("status").asText().equals("failed")).count())
                    .isZero();
            waitUntil(Duration.ofSeconds(10), () -> delivery(fastId).get("status").asText().equals("success"));
            waitUntil(Duration.ofSeconds(40), () -> slowIds.stream()
                    .allMatch(id -> delivery(id).get("status").asText().equals("failed")));
            assertThat(delivery(slowIds.get(0)).get("error").asText()).startsWith("timeout");
        }
    }

    @Test
    void aHugeResponseBodyIsCutTo16KB() throws Exception {
        try (Receiver r = new Receiver()) {
            r.replyBytes = 2_000_000;
            String type = type();
            hook(r, type, "[\"0s\"]");
            String id = send(type);
            waitUntil(Duration.ofSeconds(10), () -> delivery(id).get("status").asText().equals("success"));
            assertThat(delivery(id).get("attempts").get(0).get("response").get("body").asText()).hasSize(16384);
        }
    }

    @Test
    void recoverReArmsFailedDeliveriesSinceATime() throws Exception {
        try (Receiver r = new Receiver()) {
            r.status.set(500);
            String type = type();
            String hook = hook(r, type, "[\"0s\"]");
            String since = Instant.now().minusSeconds(1).toString();
            String a = send(type);
            String b = send(type);
            waitUntil(Duration.ofSeconds(10), () -> delivery(a).get("status").asText().equals("failed")
                    && delivery(b).get("status").asText().equals("failed"));
            r.status.set(200);
            HttpResponse<String> rec = herald.call("POST", "/v1/webhooks/" + hook + "/recover", "{\"since\":\"" + since + "\"}");
            assertThat(rec.statusCode()).as(rec.body()).isEqualTo(202);
            assertThat(json(rec).get("recovered").asInt()).isEqualTo(2);
            waitUntil(Duration.ofSeconds(10), () -> delivery(a).get("status").asText().equals("success")
                    && delivery(b).get("status").asText().equals("success"));
            assertThat(delivery(a).get("attempts").get(1).get("trigger").asText()).isEqualTo("recover");
            HttpResponse<String> pending = herald.call("POST", "/v1/webhooks/" + hook + "/recover", "{\"since\":\"yesterday\"}");
            assertThat(pending.statusCode()).isEqualTo(400);
        }
    }

    @Test
    void retryingAPendingDeliveryIsAConflict() throws Exception {
        try (Receiver r = new Receiver()) {
            r.status.set(500);
            String type = type();
            hook(r, type, "[\"0s\",\"1h\"]");
            String id = send(type);
            waitUntil(Duration.ofSeconds(10), () -> delivery(id).get("attempts").size() == 1);
            JsonNode d = delivery(id);
            assertThat(d.get("status").asText()).isEqualTo("pending");
            assertThat(d.get("next_attempt_at").asText()).isNotEmpty();
            HttpResponse<String> retry = herald.call("POST", "/v1/deliveries/" + id + "/retry", null);
            assertThat(retry.statusCode()).isEqualTo(409);
        }
    }
}
