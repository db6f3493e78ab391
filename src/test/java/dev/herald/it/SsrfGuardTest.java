package dev.herald.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static dev.herald.it.HeraldApp.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Herald on its default egress policy: nothing inside its own network is called. Only loopback
 * is used here (a receiver listens on 127.0.0.1 and must never be reached); the other refused
 * ranges are covered as functions in AddressPolicyTest, without connecting anywhere.
 */
class SsrfGuardTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static HeraldApp herald;
    private static Receiver receiver;

    @BeforeAll
    static void start() throws Exception {
        receiver = new Receiver();
        herald = new HeraldApp(Map.of("herald.delivery.allowed-networks", ""));
    }

    @AfterAll
    static void stop() throws Exception {
        herald.close();
        receiver.close();
    }

    private static HttpResponse<String> create(String url, String extra) throws Exception {
        return herald.call("POST", "/v1/webhooks", "{\"url\":\"" + url + "\",\"events\":[\"ssrf.*\"]" + extra + "}");
    }

    @Test
    void loopbackLiteralsAreRefusedAtCreateAndPatch() throws Exception {
        int port = receiver.port();
        for (String url : new String[] {"http://127.0.0.1:" + port + "/a", "http://127.0.0.2:" + port + "/a",
                "http://[::1]:" + port + "/a", "http://[::ffff:127.0.0.1]:" + port + "/a",
                "http://0x7f000001:" + port + "/a", "http://2130706433:" + port + "/a", "http://0.0.0.0:" + port + "/a"}) {
            HttpResponse<String> r = create(url, "");
            assertThat(r.statusCode()).as(url + " -> " + r.body()).isEqualTo(400);
            JsonNode error = JSON.readTree(r.body()).get("error");
            assertThat(error.get("code").asText()).as(url).isEqualTo("url_not_allowed");
            assertThat(error.get("field").asText()).isEqualTo("url");
        }
        // 127.1 is not even a host name to java.net.URI; refused either way.
        assertThat(create("http://127.1:" + port + "/a", "").statusCode()).isEqualTo(400);

        HttpResponse<String> created = create("http://localhost:" + port + "/a", "");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = JSON.readTree(created.body()).get("id").asText();
        HttpResponse<String> patched = herald.call("PATCH", "/v1/webhooks/" + id,
                "{\"url\":\"http://127.0.0.1:" + port + "/b\"}");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(400);
        assertThat(JSON.readTree(patched.body()).get("error").get("code").asText()).isEqualTo("url_not_allowed");
        assertThat(receiver.requests).isEmpty();
    }

    @Test
    void aNameThatResolvesToLoopbackIsNeverCalledAndFollowsTheRetryTable() throws Exception {
        HttpResponse<String> created = herald.call("POST", "/v1/webhooks", "{\"url\":\"http://localhost:"
                + receiver.port() + "/by-name\",\"events\":[\"probe.by-name\"],\"retry_schedule\":[\"0s\",\"1s\"]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        HttpResponse<String> accepted = herald.call("POST", "/v1/events",
                "{\"type\":\"probe.by-name\",\"data\":{\"n\":1}}");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String delivery = JSON.readTree(accepted.body()).get("deliveries").get(0).asText();

        JsonNode[] last = new JsonNode[1];
        waitUntil(Duration.ofSeconds(20), () -> {
            try {
                last[0] = JSON.readTree(herald.call("GET", "/v1/deliveries/" + delivery, null).body());
                return last[0].get("status").asText().equals("failed");
            } catch (Exception e) {
                return false;
            }
        });
        // Read again: the answer that first said failed may have read the attempts just before the last one's.
        JsonNode attempts = JSON.readTree(herald.call("GET", "/v1/deliveries/" + delivery, null).body()).get("attempts");
        assertThat(attempts).hasSize(2);
        for (JsonNode a : attempts) {
            assertThat(a.get("error").asText()).contains("address not allowed").contains("localhost")
                    .contains("loopback").contains("herald.delivery.allowed-networks");
            assertThat(a.get("response").isNull()).isTrue();
        }
        assertThat(receiver.requests).as("no request left Herald").isEmpty();
    }
}
