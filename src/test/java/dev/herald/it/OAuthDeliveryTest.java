package dev.herald.it;

import static dev.herald.it.OAuthCalls.auth;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;
import java.util.Map;

/**
 * Deliveries to receivers that want an OAuth2 bearer token (webhook {@code auth}): real token
 * servers and receivers on loopback, one Herald for the class; each test has its own token server,
 * receiver and event types.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OAuthDeliveryTest {

    private HeraldApp herald;
    private OAuthCalls calls;

    @BeforeAll
    void start() throws Exception {
        herald = new HeraldApp(Map.of());
        calls = new OAuthCalls(herald);
    }

    @AfterAll
    void stop() throws Exception {
        herald.close();
    }

    @Test
    void oneTokenServesEveryDeliveryUntilItExpiresThenANewOneIsFetched() throws Exception {
        try (TokenServer tokens = new TokenServer().client("herald", "s3cret-one", "client_secret_basic", "hooks:write",
                     "https://receiver.example");
             BearerReceiver receiver = new BearerReceiver(tokens)) {
            tokens.expiresIn = 2;
            // The deliveries below all need the token while its one request is under way.
            tokens.delayMillis = 300;
            // Two webhooks with the same credentials share the token.
            for (int i = 0; i < 2; i++) {
                calls.hook(receiver.url("/a" + i), "[\"cache.*\"]", auth(tokens.url(), "herald", "s3cret-one",
                        "hooks:write", "https://receiver.example", null));
            }
            List<String> first = calls.send("cache.batch", 3);
            assertThat(first).hasSize(6);
            for (String id : first) {
                assertThat(calls.finished(id).get("status").asText()).isEqualTo("success");
            }
            assertThat(tokens.calls.get()).as("token requests for six deliveries at once").isEqualTo(1);
            assertThat(receiver.requests).hasSize(6).allSatisfy(r -> {
                assertThat(r.authorization()).isEqualTo("Bearer herald-1");
                assertThat(r.answered()).isEqualTo(200);
            });

            // Past expires_in (2 s, counted from the request): the next delivery asks for a new token.
            tokens.delayMillis = 0;
            Thread.sleep(2_100);
            String later = calls.send("cache.later", 1).get(0);
            assertThat(calls.finished(later).get("status").asText()).isEqualTo("success");
            assertThat(tokens.calls.get()).isEqualTo(2);
            assertThat(receiver.requests.get(receiver.requests.size() - 1).authorization()).isEqualTo("Bearer herald-2");
        }
    }

    @Test
    void a401ToACachedTokenFetchesANewOneAndTheSameAttemptSucceeds() throws Exception {
        try (TokenServer tokens = new TokenServer().client("rotating", "s3cret-two", "client_secret_basic", null, null);
             BearerReceiver receiver = new BearerReceiver(tokens)) {
            calls.hook(receiver.url("/r"), "[\"revoke.*\"]", auth(tokens.url(), "rotating", "s3cret-two", null, null, null));
            assertThat(calls.finished(calls.sendOne("revoke.first")).get("status").asText()).isEqualTo("success");
            assertThat(tokens.calls.get()).isEqualTo(1);

            // The receiver's side revokes the token Herald holds (still within its hour).
            tokens.revoked.add("rotating-1");
            String id = calls.sendOne("revoke.second");
            JsonNode d = calls.finished(id);
            assertThat(d.get("status").asText()).isEqualTo("success");
            assertThat(d.get("attempts")).hasSize(1);
            assertThat(d.get("attempts").get(0).get("response").get("status_code").asInt()).isEqualTo(200);
            assertThat(tokens.calls.get()).as("one more token request").isEqualTo(2);
            String eventId = eventOf(d);
            assertThat(receiver.forEvent(eventId)).extracting(BearerReceiver.Request::authorization,
                    BearerReceiver.Request::answered).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("Bearer rotating-1", 401),
                    org.assertj.core.groups.Tuple.tuple("Bearer rotating-2", 200));

            // A receiver that refuses a token fresh from the server too: the second 401 is the attempt's answer.
            tokens.revoked.add("rotating-2");
            tokens.revoked.add("rotating-3");
            JsonNode refused = calls.finished(calls.sendOne("revoke.third"));
            assertThat(refused.get("status").asText()).isEqualTo("failed");
            assertThat(refused.get("attempts")).hasSize(1);
            assertThat(refused.get("attempts").get(0).get("error").asText()).isEqualTo("HTTP 401");
            assertThat(tokens.calls.get()).isEqualTo(3);
            assertThat(receiver.forEvent(eventOf(refused))).hasSize(2);
        }
    }

    @Test
    void aTokenServerThatFailsFailsTheAttemptAndNothingIsSent() throws Exception {
        try (TokenServer tokens = new TokenServer();
             BearerReceiver receiver = new BearerReceiver(tokens)) {
            String[] problems = {"down", "http500", "html", "empty"};
            for (String p : problems) {
                tokens.client(p, "s3cret-" + p, "client_secret_basic", null, null);
                calls.hook(receiver.url("/" + p), "[\"fail." + p + "\"]", auth(tokens.url(), p, "s3cret-" + p, null, null, null));
            }
            String at = "token request to " + tokens.url() + " failed: ";
            Map<String, String> deliveries = new java.util.LinkedHashMap<>();

            tokens.stop();
            deliveries.put("down", assertFailed(calls.sendOne("fail.down"), at + "connection refused"));
            tokens.restart();
            tokens.failStatus = 500;
            tokens.reply = "{\"error\":\"server_error\"}";
            deliveries.put("http500", assertFailed(calls.sendOne("fail.http500"), at + "HTTP 500 (server_error)"));
            tokens.failStatus = 200;
            tokens.reply = "<html>hello</html>";
            deliveries.put("html", assertFailed(calls.sendOne("fail.html"), "token server at " + tokens.url()
                    + " answered HTTP 200 without a JSON object"));
            tokens.reply = "{\"token_type\":\"Bearer\",\"expires_in\":60}";
            deliveries.put("empty", assertFailed(calls.sendOne("fail.empty"), "token server at " + tokens.url()
                    + " answered no access_token"));
            assertThat(receiver.requests).as("requests the receiver got").isEmpty();

            // Fixed: each delivery's retry gets a token and succeeds.
            tokens.failStatus = 0;
            for (Map.Entry<String, String> e : deliveries.entrySet()) {
                JsonNode d = calls.retried(e.getValue());
                assertThat(d.get("status").asText()).as(e.getKey()).isEqualTo("success");
                assertThat(d.get("attempts")).hasSize(2);
            }
            assertThat(receiver.requests).hasSize(4).allSatisfy(r -> assertThat(r.answered()).isEqualTo(200));
        }
    }

    /** The delivery failed after one attempt with {@code error}, nothing sent to the receiver; its id. */
    private String assertFailed(String deliveryId, String error) throws Exception {
        JsonNode d = calls.finished(deliveryId);
        assertThat(d.get("status").asText()).isEqualTo("failed");
        JsonNode attempt = d.get("attempts").get(0);
        assertThat(attempt.get("error").asText()).startsWith(error).doesNotContain("Exception").doesNotContain("s3cret");
        assertThat(attempt.get("response").isNull()).as("no response: nothing was sent").isTrue();
        assertThat(attempt.get("request").get("headers").has("Authorization")).isFalse();
        return deliveryId;
    }

    private static String eventOf(JsonNode delivery) {
        return delivery.get("event_id").asText();
    }
}
