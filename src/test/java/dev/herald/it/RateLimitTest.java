package dev.herald.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.herald.it.HeraldApp.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code rate_limit} on the embedded database: what the API takes and refuses, and a limited
 * webhook's backlog holding up no other webhook. Measured at a receiver, with one and two instances:
 * {@link RateLimitInstancesTest}.
 */
class RateLimitTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static HeraldApp herald;
    private static Receiver receiver;

    @BeforeAll
    static void start() throws Exception {
        herald = new HeraldApp(Map.of());
        receiver = new Receiver();
    }

    @AfterAll
    static void stop() throws Exception {
        herald.close();
        receiver.close();
    }

    private static JsonNode create(String extra) throws Exception {
        HttpResponse<String> r = herald.call("POST", "/v1/webhooks", "{\"url\":\"" + receiver.url("/api")
                + "\",\"events\":[\"rate.api\"]" + extra + "}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return JSON.readTree(r.body());
    }

    @Test
    void theApiTakesWholeNumbersFrom1To10000OrNullAndRefusesTheRestNamingTheField() throws Exception {
        for (String bad : List.of("0", "10001", "-5", "1.5", "20.0", "\"10\"", "true", "[10]", "{}", "99999999999999999999")) {
            HttpResponse<String> r = herald.call("POST", "/v1/webhooks", "{\"url\":\"" + receiver.url("/api")
                    + "\",\"events\":[\"rate.api\"],\"rate_limit\":" + bad + "}");
            assertThat(r.statusCode()).as("rate_limit " + bad + ": " + r.body()).isEqualTo(400);
            assertThat(JSON.readTree(r.body()).at("/error/field").asText()).as(bad).isEqualTo("rate_limit");
        }
        assertThat(create("").get("rate_limit").isNull()).isTrue();
        assertThat(create(",\"rate_limit\":null").get("rate_limit").isNull()).isTrue();
        assertThat(create(",\"rate_limit\":1").get("rate_limit").asInt()).isEqualTo(1);
        JsonNode hook = create(",\"rate_limit\":10000");
        String id = hook.get("id").asText();
        assertThat(hook.get("rate_limit").asInt()).isEqualTo(10000);

        HttpResponse<String> refused = herald.call("PATCH", "/v1/webhooks/" + id, "{\"rate_limit\":0}");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(refused.body()).at("/error/field").asText()).isEqualTo("rate_limit");
        assertThat(field(id, "rate_limit").asInt()).as("a refused PATCH changes nothing").isEqualTo(10000);

        assertThat(JSON.readTree(herald.call("PATCH", "/v1/webhooks/" + id, "{\"rate_limit\":50}").body())
                .get("rate_limit").asInt()).isEqualTo(50);
        assertThat(JSON.readTree(herald.call("PATCH", "/v1/webhooks/" + id, "{\"name\":\"kept\"}").body())
                .get("rate_limit").asInt()).as("a PATCH without it keeps it").isEqualTo(50);
        JsonNode listed = JSON.readTree(herald.call("GET", "/v1/webhooks?limit=100", null).body()).get("data");
        assertThat(listed.findValues("id").stream().map(JsonNode::asText).toList()).contains(id);
        listed.forEach(w -> assertThat(w.has("rate_limit")).as("every listed webhook shows rate_limit").isTrue());

        assertThat(JSON.readTree(herald.call("PATCH", "/v1/webhooks/" + id, "{\"rate_limit\":null}").body())
                .get("rate_limit").isNull()).isTrue();
        assertThat(field(id, "rate_limit").isNull()).as("PATCH with null removes the limit").isTrue();
    }

    private static JsonNode field(String id, String name) throws Exception {
        return JSON.readTree(herald.call("GET", "/v1/webhooks/" + id, null).body()).get(name);
    }

    /** Another webhook's deliveries are not held up by a limited one's backlog. */
    @Test
    void aWebhookWithoutALimitIsNotHeldBehindALimitedOnesBacklog() throws Exception {
        herald.call("POST", "/v1/webhooks", "{\"url\":\"" + receiver.url("/slow") + "\",\"events\":[\"rate.slow\"],"
                + "\"rate_limit\":2}");
        herald.call("POST", "/v1/webhooks", "{\"url\":\"" + receiver.url("/free") + "\",\"events\":[\"rate.free\"]}");
        assertThat(herald.call("POST", "/v1/events", RateWindows.batch("rate.slow", 100)).statusCode()).isEqualTo(202);
        assertThat(herald.call("POST", "/v1/events", RateWindows.batch("rate.free", 100)).statusCode()).isEqualTo(202);
        waitUntil(Duration.ofSeconds(10), () -> receiver.to("/free").size() >= 100);
        assertThat(receiver.to("/slow").size()).as("2/s: a few so far").isBetween(1, 2 * 12);
    }
}
