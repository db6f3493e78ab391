package dev.herald.it;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;

import static dev.herald.it.ApiCalls.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A refusal quotes at most a short excerpt of the value at fault: a 100 KB value sent back
 * whole would double the traffic of every bad request (and fill the logs that carry messages).
 */
class RefusalSizeTest {

    private static final int BIG = 100_000;
    /** Jackson refuses field names over 50,000 characters before Herald sees them. */
    private static final int BIG_NAME = 40_000;
    private static HeraldApp herald;

    @BeforeAll
    static void start() throws Exception {
        herald = new HeraldApp(Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        herald.close();
    }

    @Test
    void hugeValuesInAWebhookAreNamedButNotEchoed() throws Exception {
        String hook = "{\"url\":\"https://hooks.example.invalid/a\",\"events\":[\"size.t\"]";
        assertSmall(post("/v1/webhooks", "{\"url\":\"https://hooks.example.invalid/" + "a".repeat(BIG)
                + "\",\"events\":[\"size.t\"]}"), "url");
        // Within the 2048 characters a url may have, but not a URL: once for the parser, once for the scheme.
        assertSmall(post("/v1/webhooks", "{\"url\":\"https://hooks.example.invalid/" + "a b".repeat(600)
                + "\",\"events\":[\"size.t\"]}"), "url");
        assertSmall(post("/v1/webhooks", "{\"url\":\"ftp://" + "h".repeat(2000) + "\",\"events\":[\"size.t\"]}"), "url");
        assertSmall(post("/v1/webhooks", hook + ",\"headers\":{\"" + "H".repeat(BIG_NAME) + "\":\"v\"}}"),
                "headers." + "H".repeat(150));
        assertSmall(post("/v1/webhooks", hook + ",\"headers\":{\"X " + "H".repeat(BIG_NAME) + "\":\"v\"}}"),
                "headers.X " + "H".repeat(150));
        assertSmall(post("/v1/webhooks", hook + ",\"" + "f".repeat(BIG_NAME) + "\":1}"), "f".repeat(150));
        assertSmall(post("/v1/webhooks", hook + ",\"retry_schedule\":[\"" + "9".repeat(BIG) + "\"]}"),
                "retry_schedule[0]");
        assertSmall(post("/v1/webhooks", hook + ",\"retry_schedule\":[\"x" + "s".repeat(BIG) + "\"]}"),
                "retry_schedule[0]");
        assertSmall(post("/v1/webhooks", "{\"url\":\"https://hooks.example.invalid/a\",\"events\":[{\"x\":\""
                + "e".repeat(BIG) + "\"}]}"), "events[0]");
        assertSmall(post("/v1/webhooks", hook + ",\"signature\":{\"scheme\":\"" + "s".repeat(BIG) + "\"}}"),
                "signature.scheme");
        assertSmall(post("/v1/webhooks", hook + ",\"signature\":{\"header\":\"" + "X".repeat(BIG) + "\"}}"),
                "signature.header");
        assertSmall(post("/v1/webhooks", hook + ",\"signature\":{\"encoding\":\"" + "b".repeat(BIG) + "\"}}"),
                "signature.encoding");
        assertSmall(post("/v1/webhooks", hook + ",\"signature\":{\"" + "k".repeat(BIG_NAME) + "\":1}}"),
                "signature." + "k".repeat(140));
        assertSmall(post("/v1/webhooks", hook + ",\"event_type_header\":\"" + "E".repeat(BIG) + "\"}"),
                "event_type_header");
        assertSmall(post("/v1/webhooks/hook_" + "x".repeat(3000) + "/rotate-secret", "{}"), null);
    }

    @Test
    void hugeValuesInAnEventAreNamedButNotEchoed() throws Exception {
        assertSmall(post("/v1/events", "{\"type\":\"" + "t".repeat(BIG) + "\",\"data\":{}}"), "type");
        assertSmall(post("/v1/events", "{\"type\":\"size.t\",\"" + "u".repeat(BIG_NAME) + "\":1,\"data\":{}}"),
                "u".repeat(150));
        assertSmall(post("/v1/events", "[{\"type\":\"size.t\",\"data\":{}},{\"type\":\"" + "t".repeat(BIG)
                + "\",\"data\":{}}]"), "[1].type");
        assertSmall(post("/v1/events", "{\"id\":\"" + "i".repeat(BIG) + "\",\"type\":\"size.t\",\"data\":{}}"), "id");
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return herald.call("POST", path, body);
    }

    /** A 4xx JSON refusal under 1 KB whose field is {@code field} (or starts with it when cut short). */
    private static void assertSmall(HttpResponse<String> r, String field) throws Exception {
        assertThat(r.statusCode()).as(r.body().length() > 300 ? r.body().substring(0, 300) : r.body())
                .isBetween(400, 499);
        assertThat(r.body().length()).as("reply of %s bytes: %s...", r.body().length(),
                r.body().substring(0, Math.min(300, r.body().length()))).isLessThan(1024);
        JsonNode error = json(r).get("error");
        assertThat(error.get("message").asText()).isNotBlank();
        if (field != null) {
            assertThat(error.get("field").asText()).startsWith(field);
        }
    }
}
