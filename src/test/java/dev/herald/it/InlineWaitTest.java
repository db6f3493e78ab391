package dev.herald.it;

import static dev.herald.it.HeraldApp.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * An answer that comes within herald.delivery.inline-wait is finished on the thread that sent, a
 * later one on a worker: both are recorded alike (status, headers, body), with the wait on and off.
 */
class InlineWaitTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "inline-wait {0}")
    @ValueSource(strings = {"5ms", "0ms"})
    void fastAndSlowAnswersAreRecordedAlike(String inlineWait) throws Exception {
        try (RawReceiver fast = new RawReceiver(out -> answer(out, 201, "fast"));
             RawReceiver slow = new RawReceiver(out -> {
                 Thread.sleep(300);
                 answer(out, 202, "slow");
             });
             HeraldApp herald = new HeraldApp(Map.of("herald.delivery.inline-wait", inlineWait))) {
            Map<String, String> webhookUrl = new HashMap<>();
            for (RawReceiver r : new RawReceiver[] {fast, slow}) {
                HttpResponse<String> hook = herald.call("POST", "/v1/webhooks",
                        "{\"url\":\"" + r.url("/in") + "\",\"events\":[\"wait.*\"]}");
                assertThat(hook.statusCode()).as(hook.body()).isEqualTo(201);
                webhookUrl.put(JSON.readTree(hook.body()).get("id").asText(), r == fast ? "fast" : "slow");
            }
            HttpResponse<String> accepted = herald.call("POST", "/v1/events", "{\"type\":\"wait.one\",\"data\":{}}");
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);

            Map<String, JsonNode> answers = new HashMap<>();
            for (JsonNode id : JSON.readTree(accepted.body()).get("deliveries")) {
                waitUntil(Duration.ofSeconds(20), () -> "success".equals(delivery(herald, id.asText()).get("status").asText()));
                JsonNode d = delivery(herald, id.asText());
                assertThat(d.get("attempts").size()).isEqualTo(1);
                answers.put(webhookUrl.get(d.get("webhook_id").asText()), d.get("attempts").get(0).get("response"));
            }
            assertThat(answers.keySet()).containsExactlyInAnyOrder("fast", "slow");
            assertThat(answers.get("fast").get("status_code").asInt()).isEqualTo(201);
            assertThat(answers.get("fast").get("body").asText()).isEqualTo("fast");
            assertThat(answers.get("fast").get("headers").get("X-Answer").asText()).isEqualTo("fast");
            assertThat(answers.get("slow").get("status_code").asInt()).isEqualTo(202);
            assertThat(answers.get("slow").get("body").asText()).isEqualTo("slow");
            assertThat(answers.get("slow").get("headers").get("X-Answer").asText()).isEqualTo("slow");
            assertThat(fast.requests).hasSize(1);
            assertThat(slow.requests).hasSize(1);
        }
    }

    private static void answer(OutputStream out, int status, String body) throws java.io.IOException {
        out.write(("HTTP/1.1 " + status + " OK\r\nContent-Type: text/plain\r\nX-Answer: " + body
                + "\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body)
                .getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static JsonNode delivery(HeraldApp herald, String id) {
        try {
            HttpResponse<String> r = herald.call("GET", "/v1/deliveries/" + id, null);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            return JSON.readTree(r.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
