package dev.herald.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static dev.herald.it.HeraldApp.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a receiver can do to an attempt: trickle, never finish, flood it with headers or with
 * body. Each attempt ends by the deadline (herald.delivery.timeout, 2 s here) with what the log keeps.
 */
class AttemptLimitsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static HeraldApp herald;

    @BeforeAll
    static void start() throws Exception {
        herald = new HeraldApp(Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        herald.close();
    }

    /** One attempt (no retries) to the receiver; returns the delivery once it has ended. */
    private static JsonNode deliverOnce(RawReceiver receiver) throws Exception {
        String type = "limits.t" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> created = herald.call("POST", "/v1/webhooks", "{\"url\":\"" + receiver.url("/hook")
                + "\",\"events\":[\"" + type + "\"],\"retry_schedule\":[\"0s\"]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        HttpResponse<String> accepted = herald.call("POST", "/v1/events", "{\"type\":\"" + type + "\",\"data\":{}}");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String id = JSON.readTree(accepted.body()).get("deliveries").get(0).asText();
        JsonNode[] delivery = new JsonNode[1];
        waitUntil(Duration.ofSeconds(30), () -> {
            try {
                delivery[0] = JSON.readTree(herald.call("GET", "/v1/deliveries/" + id, null).body());
                return !delivery[0].get("status").asText().equals("pending");
            } catch (Exception e) {
                return false;
            }
        });
        assertThat(receiver.requests).hasSize(1);
        return delivery[0];
    }

    private static void trickle(OutputStream out, String text, long gapMillis) throws java.io.IOException, InterruptedException {
        for (char c : text.toCharArray()) {
            out.write(c);
            out.flush();
            Thread.sleep(gapMillis);
        }
    }

    @Test
    void aBodyTrickledAByteAtATimeIsCutAtTheDeadline() throws Exception {
        try (RawReceiver receiver = new RawReceiver(out -> {
            RawReceiver.write(out, "HTTP/1.1 200 OK\r\nContent-Length: 600\r\n\r\n");
            trickle(out, "x".repeat(600), 100); // a minute, if nothing cuts it
        })) {
            JsonNode attempt = deliverOnce(receiver).get("attempts").get(0);
            assertThat(attempt.get("error").asText()).startsWith("timeout");
            // Each read came within the socket timeout; only a deadline for the whole attempt ends it.
            assertThat(attempt.get("duration_ms").asLong()).isBetween(2_000L, 5_000L);
        }
    }

    @Test
    void headersTrickledAByteAtATimeAreCutAtTheDeadline() throws Exception {
        try (RawReceiver receiver = new RawReceiver(out -> {
            RawReceiver.write(out, "HTTP/1.1 200 OK\r\n");
            trickle(out, "X-Slow: " + "y".repeat(600) + "\r\n\r\n", 100);
        })) {
            JsonNode delivery = deliverOnce(receiver);
            JsonNode attempt = delivery.get("attempts").get(0);
            assertThat(delivery.get("status").asText()).isEqualTo("failed");
            assertThat(attempt.get("error").asText()).startsWith("timeout");
            assertThat(attempt.get("duration_ms").asLong()).isBetween(2_000L, 5_000L);
        }
    }

    @Test
    void aBodyThatNeverEndsIsKeptUpToTheCap() throws Exception {
        try (RawReceiver receiver = new RawReceiver(out -> {
            RawReceiver.write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
            String chunk = Integer.toHexString(8192) + "\r\n" + "z".repeat(8192) + "\r\n";
            while (true) {
                RawReceiver.write(out, chunk); // until Herald closes the connection
            }
        })) {
            JsonNode delivery = deliverOnce(receiver);
            JsonNode attempt = delivery.get("attempts").get(0);
            assertThat(delivery.get("status").asText()).isEqualTo("success");
            assertThat(attempt.get("error").isNull()).isTrue();
            assertThat(attempt.get("response").get("body").asText()).hasSize(16384).matches("z+");
        }
    }

    @Test
    void aFloodOfResponseHeadersFailsTheAttempt() throws Exception {
        StringBuilder head = new StringBuilder("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n");
        for (int i = 0; i < 150; i++) {
            head.append("X-Many-").append(i).append(": v\r\n");
        }
        String response = head + "\r\nok";
        try (RawReceiver receiver = new RawReceiver(out -> RawReceiver.write(out, response))) {
            JsonNode delivery = deliverOnce(receiver);
            assertThat(delivery.get("status").asText()).isEqualTo("failed");
            assertThat(delivery.get("attempts").get(0).get("error").asText()).contains("exceed Herald's limits");
        }
    }

    @Test
    void aHugeHeaderLineFailsTheAttempt() throws Exception {
        String response = "HTTP/1.1 200 OK\r\nX-Big: " + "b".repeat(20_000) + "\r\nContent-Length: 2\r\n\r\nok";
        try (RawReceiver receiver = new RawReceiver(out -> RawReceiver.write(out, response))) {
            JsonNode delivery = deliverOnce(receiver);
            assertThat(delivery.get("status").asText()).isEqualTo("failed");
            assertThat(delivery.get("attempts").get(0).get("error").asText()).contains("exceed Herald's limits");
        }
    }

    @Test
    void headersThatWouldSteerCamelAreRefused() throws Exception {
        for (String header : new String[] {"CamelHttpPath", "camelhttpuri", "CAMELRestHttpUri", "CamelHttpQuery"}) {
            HttpResponse<String> r = herald.call("POST", "/v1/webhooks", "{\"url\":\"http://127.0.0.1:1/x\","
                    + "\"events\":[\"a.b\"],\"headers\":{\"" + header + "\":\"/stolen\"}}");
            assertThat(r.statusCode()).as(header + " -> " + r.body()).isEqualTo(400);
            assertThat(JSON.readTree(r.body()).get("error").get("field").asText()).startsWith("headers");
        }
        HttpResponse<String> r = herald.call("POST", "/v1/webhooks", "{\"url\":\"http://127.0.0.1:1/x\","
                + "\"events\":[\"a.b\"],\"headers\":{\"X-Pw\":\"{{herald.db.password}}\"}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        // Camel 4.18 expands {{...}} in the URI it is handed; a URL cannot carry one.
        r = herald.call("POST", "/v1/webhooks", "{\"url\":\"http://127.0.0.1:1/x?pw={{herald.db.password}}\","
                + "\"events\":[\"a.b\"]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(JSON.readTree(r.body()).get("error").get("field").asText()).isEqualTo("url");
    }
}
