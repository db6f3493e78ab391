package dev.herald.it;

import com.fasterxml.jackson.databind.JsonNode;

import jakarta.jms.Connection;
import jakarta.jms.Session;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.herald.it.HeraldApp.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * /observe/metrics counts exactly what happened: events by the source that brought them (HTTP,
 * JMS, a file, an operator's route), attempts by what they came to as the receivers saw them
 * (answered 2xx, answered 500, too slow, never connected), finished deliveries; and the
 * dashboard's per-minute counts agree with them.
 */
class MetricsTest {

    @Test
    void countersMatchWhatTheSourcesSentAndTheReceiversGot() throws Exception {
        try (Receiver ok = new Receiver(); Receiver failing = new Receiver(); Receiver slow = new Receiver();
             HeraldApp herald = new HeraldApp(Map.of("herald.jms.enabled", "true", "herald.jms.embedded.port", "0",
                     "herald.delivery.timeout", "1s", "herald.metrics.pending-interval", "1s",
                     "herald.metrics.flush-interval", "1s"))) {
            failing.status.set(500);
            slow.delayMillis = 2_500;
            int closedPort = HeraldApp.freePort();
            ApiCalls api = new ApiCalls(herald);
            api.hook(ok.url("/ok"), "[\"ok.*\"]");
            api.hook(failing.url("/bad"), "[\"bad.*\"]");
            api.hook(slow.url("/slow"), "[\"slow.*\"]");
            api.hook("http://127.0.0.1:" + closedPort + "/gone", "[\"gone.*\"]");
            // A paused webhook: test sends to it are held, pending (and are no source's events).
            String paused = api.hook(ok.url("/paused"), "[\"held.*\"]");
            assertThat(herald.call("PATCH", "/v1/webhooks/" + paused, "{\"active\":false}").statusCode()).isEqualTo(200);

            // HTTP: 13 new events (a repeated id is not counted again).
            String first = api.send("ok.a", null);
            for (int i = 0; i < 4; i++) {
                api.send("ok.a", null);
            }
            HttpResponse<String> batch = herald.call("POST", "/v1/events",
                    "[{\"type\":\"ok.b\",\"data\":{}},{\"type\":\"ok.b\",\"data\":{}},{\"type\":\"ok.b\",\"data\":{}}]");
            assertThat(batch.statusCode()).as(batch.body()).isEqualTo(202);
            api.send("bad.x", null);
            api.send("bad.x", null);
            api.send("slow.x", null);
            api.send("gone.x", null);
            api.send("gone.x", null);
            for (int i = 0; i < 3; i++) {
                assertThat(api.post("/v1/webhooks/" + paused + "/test", "{}").statusCode()).isEqualTo(202);
            }
            assertThat(herald.call("POST", "/v1/events", "{\"id\":\"" + first + "\",\"type\":\"ok.a\",\"data\":{}}")
                    .statusCode()).isEqualTo(200);
            // A file of two events.
            Path inbox = herald.dataDir.resolve("inbox");
            Files.writeString(inbox.resolve("two.json.part"), "[{\"type\":\"ok.file\",\"data\":{}},{\"type\":\"ok.file\",\"data\":{}}]");
            Files.move(inbox.resolve("two.json.part"), inbox.resolve("two.json"));
            // One JMS message, in-VM.
            try (Connection c = new ActiveMQConnectionFactory("vm://0").createConnection()) {
                Session session = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                session.createProducer(session.createQueue("herald.events"))
                        .send(session.createTextMessage("{\"type\":\"ok.jms\",\"data\":{}}"));
            }
            // An operator's route: labelled by its route id.
            herald.writeRoute("feed.yaml", """
                    - route:
                        id: partner-feed
                        from:
                          uri: timer:partner-feed?repeatCount=1&delay=0
                          steps:
                            - setBody:
                                constant: '{"type":"ok.partner","data":{}}'
                            - to: direct:ingest
                    """);

            // 12 delivered, 2 answered 500, 1 timed out, 2 never connected: 17 finished.
            waitUntil(Duration.ofSeconds(30), () -> ok.requests.size() == 12
                    && counter(scrape(herald), "herald_deliveries_completed_total", "status=\"failed\"") == 5
                    && counter(scrape(herald), "herald_deliveries_completed_total", "status=\"success\"") == 12);
            String m = scrape(herald);
            assertThat(counter(m, "herald_events_ingested_total", "source=\"http\"")).isEqualTo(13);
            assertThat(counter(m, "herald_events_ingested_total", "source=\"file\"")).isEqualTo(2);
            assertThat(counter(m, "herald_events_ingested_total", "source=\"jms\"")).isEqualTo(1);
            assertThat(counter(m, "herald_events_ingested_total", "source=\"partner-feed\"")).isEqualTo(1);
            // Herald's own: one herald.delivery.exhausted per failed delivery.
            assertThat(counter(m, "herald_events_ingested_total", "source=\"herald\"")).isEqualTo(5);
            assertThat(m).doesNotContain("source=\"ingest\"");

            assertThat(failing.requests).hasSize(2);
            assertThat(slow.requests).hasSize(1);
            assertThat(counter(m, "herald_delivery_attempts_total", "outcome=\"success\"")).isEqualTo(ok.requests.size());
            assertThat(counter(m, "herald_delivery_attempts_total", "outcome=\"failure\"")).isEqualTo(failing.requests.size());
            assertThat(counter(m, "herald_delivery_attempts_total", "outcome=\"timeout\"")).isEqualTo(slow.requests.size());
            assertThat(counter(m, "herald_delivery_attempts_total", "outcome=\"refused\"")).isEqualTo(2);
            assertThat(counter(m, "herald_attempt_duration_seconds_count", "")).isEqualTo(17);
            // The slow receiver's attempt is in no bucket below the 1 s timeout, and in the 5 s one.
            assertThat(counter(m, "herald_attempt_duration_seconds_bucket", "le=\"0.5\"")).isEqualTo(16);
            assertThat(counter(m, "herald_attempt_duration_seconds_bucket", "le=\"5.0\"")).isEqualTo(17);
            assertThat(counter(m, "herald_delivery_lag_seconds_count", "")).isEqualTo(12);
            assertThat(counter(m, "herald_dispatch_queue_depth", "")).isZero();
            assertThat(counter(m, "herald_endpoints_open", "")).isZero();
            waitUntil(Duration.ofSeconds(10), () -> counter(scrape(herald), "herald_deliveries_pending", "") == 3);
            // Camel's own per-route meters beside Herald's: 17 attempts and 3 held test sends went through deliver.
            assertThat(m).containsPattern("(?m)^camel_exchanges_total\\{.*routeId=\"deliver\".*\\} 20\\.0$");

            // The dashboard's per-minute counts: the same totals, before and after they are written.
            assertStats(api, 12, 5);
            Thread.sleep(2_500);
            assertStats(api, 12, 5);
            ApiCalls.assertError(herald.call("GET", "/v1/stats/deliveries?minutes=0", null), 400, "minutes");
        }
    }

    private static void assertStats(ApiCalls api, long success, long failed) throws Exception {
        JsonNode stats = api.get("/v1/stats/deliveries?minutes=5");
        assertThat(stats.get("minutes")).hasSize(5);
        long s = 0;
        long f = 0;
        for (JsonNode minute : stats.get("minutes")) {
            s += minute.get("success").asLong();
            f += minute.get("failed").asLong();
        }
        assertThat(s).isEqualTo(success);
        assertThat(f).isEqualTo(failed);
        assertThat(stats.get("pending").asLong()).isEqualTo(3);
        assertThat(stats.get("pending_measured_at").asText()).endsWith("Z");
    }

    static String scrape(HeraldApp herald) {
        HttpResponse<String> r = HealthChecksTest.health(herald, "/observe/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    /** The value of the sample {@code name} whose labels contain {@code labels}; -1 when absent. */
    static double counter(String text, String name, String labels) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*\\})? (\\S+)$").matcher(text);
        while (m.find()) {
            if (m.group(1) == null ? labels.isEmpty() : m.group(1).contains(labels)) {
                return Double.parseDouble(m.group(2));
            }
        }
        return -1;
    }
}
