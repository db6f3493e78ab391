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
                // Room for 20 new deliveries (half the queue); every retry waits in the database, so it
                // has to be claimed past the slow endpoint's rows.
                "herald.delivery.queue-size", "40",
                "herald.delivery.max-parked-per-endpoint", "4"));
    }

    @AfterAll
    static void stop() throws Exception {
        herald.close();
    }

    static void hook(Receiver r, String type) throws Exception {
        hook(r, type, "[\"0s\",\"1m\"]");
    }

    static void hook(Receiver r, String type, String schedule) throws Exception {
        HttpResponse<String> created = herald.call("POST", "/v1/webhooks", "{\"url\":\"" + r.url("/in")
                + "\",\"events\":[\"" + type + "\"],\"retry_schedule\":" + schedule + "}");
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

    @Test
    void aRetryDueForAnotherEndpointIsClaimedPastTheSlowEndpointsOlderRows() throws Exception {
        try (Receiver slow = new Receiver(); Receiver flaky = new Receiver()) {
            slow.delayMillis = 1000;
            flaky.status.set(500);
            hook(slow, "iso2.slow");
            hook(flaky, "iso2.flaky", "[\"0s\",\"2s\"]");
            List<String> slowIds = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                slowIds.add(send("iso2.slow"));
            }
            waitUntil(Duration.ofSeconds(10), () -> slow.requests.size() >= 2);
            String flakyId = send("iso2.flaky");
            waitUntil(Duration.ofSeconds(5), () -> flaky.requests.size() == 1);
            flaky.status.set(200);

            // Its second attempt comes due in the database 2 s later, behind about 50 older due rows of
            // the slow endpoint (the queue holds 20): the claim passes over those to reach it. Claimed
            // in due order, it would wait for them, 2 a second.
            waitUntil(Duration.ofSeconds(10), () -> flaky.okIds().contains(flakyId));
            long gap = flaky.requests.get(1).at() - flaky.requests.get(0).at();
            assertThat(gap).as("ms between the flaky endpoint's attempts, table says 2 s").isBetween(1900L, 5000L);
            assertThat(slow.requests.size()).as("the slow endpoint still had most of its backlog").isLessThan(20);

            waitUntil(Duration.ofSeconds(90), () -> slow.okIds().containsAll(slowIds));
            assertThat(slow.requests).hasSize(60);
        }
    }
}
