package dev.herald.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.herald.it.HeraldApp.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One slow endpoint with a backlog must not hold up the others: not by taking the threads
 * (RetryEngineTest) and not by taking the dispatch queue's room with its waiting deliveries.
 */
class EndpointIsolationTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static HeraldApp herald;

    @BeforeAll
    static void start() throws Exception {
        // A small queue, so the slow endpoint's backlog is larger than the whole room.
        herald = new HeraldApp(Map.of(
                "herald.delivery.concurrency", "4",
                "herald.delivery.per-endpoint-concurrency", "2",
                "herald.delivery.queue-size", "20",
                "herald.delivery.max-parked-per-endpoint", "4"));
    }

    @AfterAll
    static void stop() throws Exception {
        herald.close();
    }

    static void hook(Receiver r, String type) throws Exception {
        HttpResponse<String> created = herald.call("POST", "/v1/webhooks", "{\"url\":\"" + r.url("/in")
                + "\",\"events\":[\"" + type + "\"]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }

    static String send(String type) throws Exception {
        HttpResponse<String> r = herald.call("POST", "/v1/events", "{\"type\":\"" + type + "\",\"data\":{}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        JsonNode reply = JSON.readTree(r.body());
        return reply.get("id").asText();
    }

    @Test
    void aSlowEndpointsBacklogDoesNotHoldUpAnotherEndpoint() throws Exception {
        try (Receiver slow = new Receiver(); Receiver fast = new Receiver()) {
            slow.delayMillis = 1000; // answers, but two at a time and slowly: 40 take 20 s
            hook(slow, "iso.slow");
            hook(fast, "iso.fast");
            List<String> slowIds = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                slowIds.add(send("iso.slow"));
            }
            waitUntil(Duration.ofSeconds(10), () -> slow.requests.size() >= 2);

            // Before endpoint saturation existed, the slow endpoint's 38 waiting deliveries held the
            // queue's 20 places and the fast endpoint's events waited behind all of them (~20 s).
            List<String> fastIds = new ArrayList<>();
            long sent = System.currentTimeMillis();
            for (int i = 0; i < 5; i++) {
                fastIds.add(send("iso.fast"));
                Thread.sleep(100);
            }
            waitUntil(Duration.ofSeconds(5), () -> fast.okIds().containsAll(fastIds));
            long fastDone = System.currentTimeMillis() - sent;
            assertThat(slow.requests.size()).as("the slow endpoint still had most of its backlog").isLessThan(30);
            assertThat(fastDone).as("ms for the fast endpoint's five events").isLessThan(5000);

            // The slow endpoint's backlog, left in the database meanwhile, all arrives, each once.
            waitUntil(Duration.ofSeconds(60), () -> slow.okIds().containsAll(slowIds));
            assertThat(slow.requests).hasSize(40);
            assertThat(fast.requests).hasSize(5);
        }
    }
}
