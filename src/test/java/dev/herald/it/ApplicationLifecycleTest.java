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
import java.util.UUID;
import java.util.function.Predicate;

import static dev.herald.it.HeraldApp.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Herald's own events and replay with applications (issue 27), to real receivers on loopback: an
 * operational event about an application's webhook reaches that application's subscribers and the
 * operator's, an endpoint's only the operator's; a replay sends a webhook only its application's events.
 */
class ApplicationLifecycleTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String ACME = "app_01ACMEACMEACMEACMEACMEACME";
    static final String GLOBEX = "app_01GLOBEXGLOBEXGLOBEXGLOBEX";

    static HeraldApp herald;
    static Receiver receiver;
    static Receiver failing;
    static String globexHook;

    @BeforeAll
    static void start() throws Exception {
        receiver = new Receiver();
        failing = new Receiver();
        failing.status.set(500);
        herald = new HeraldApp(Map.of("herald.delivery.breaker.failures", "2"));
        sql("INSERT INTO application (id, uid, name, created_at, updated_at) VALUES (?, ?, ?, 0, 0)", ACME, "acme", "Acme");
        sql("INSERT INTO application (id, uid, name, created_at, updated_at) VALUES (?, ?, ?, 0, 0)", GLOBEX, null, "Globex");
        hook(null, receiver.url("/op"), "[\"*\"]", null);
        hook(ACME, receiver.url("/acme"), "[\"*\"]", null);
        globexHook = hook(GLOBEX, receiver.url("/globex"), "[\"order.*\"]", null);
    }

    @AfterAll
    static void stop() throws Exception {
        herald.close();
        receiver.close();
        failing.close();
    }

    @Test
    void operationalEventsAboutAnApplicationsWebhookReachItAndTheOperator() throws Exception {
        String acmeOps = hook(ACME, receiver.url("/acme-ops"), "[\"herald.*\"]", null);
        hook(GLOBEX, receiver.url("/globex-ops"), "[\"herald.*\"]", null);
        hook(null, receiver.url("/op-ops"), "[\"herald.*\"]", null);
        String broken = hook(ACME, failing.url("/broken"), "[\"broken.*\"]", "[\"0s\"]");
        assertThat(acmeOps).isNotNull();

        for (int i = 0; i < 2; i++) {
            assertThat(herald.call("POST", "/v1/applications/acme/events", "{\"type\":\"broken.thing\",\"data\":{}}")
                    .statusCode()).isEqualTo(202);
        }
        Predicate<JsonNode> aboutBroken = e -> e.get("type").asText().equals("herald.delivery.exhausted")
                && broken.equals(e.get("data").get("webhook_id").asText());
        waitUntil(Duration.ofSeconds(30), () -> envelopes("/acme-ops").stream().filter(aboutBroken).count() == 2
                && envelopes("/op-ops").stream().filter(aboutBroken).count() == 2);
        assertThat(envelopes("/acme-ops").stream().filter(aboutBroken))
                .allSatisfy(e -> assertThat(e.get("data").get("application_id").asText()).isEqualTo(ACME));
        // The breaker of the failing receiver opened: news for the operator's webhooks alone.
        waitUntil(Duration.ofSeconds(30), () -> envelopes("/op-ops").stream()
                .anyMatch(e -> e.get("type").asText().equals("herald.endpoint.opened")));
        Thread.sleep(500);
        assertThat(envelopes("/acme-ops")).noneMatch(e -> e.get("type").asText().startsWith("herald.endpoint."));
        assertThat(envelopes("/globex-ops")).isEmpty();
        // The application's ordinary catch-all gets no operational event ("*" does not match herald.*).
        assertThat(envelopes("/acme")).noneMatch(e -> e.get("type").asText().startsWith("herald."));
        // The application sees its operational events in its own event list.
        JsonNode acmeEvents = JSON.readTree(herald.call("GET", "/v1/events?application=acme&type=herald.delivery.exhausted",
                null).body());
        assertThat(acmeEvents.get("events")).hasSize(2);
    }

    @Test
    void replayingAnApplicationsWebhookSendsOnlyThatApplicationsEvents() throws Exception {
        String since = java.time.Instant.now().minusSeconds(3600).toString();
        String mine = "replay-" + UUID.randomUUID();
        assertThat(herald.call("POST", "/v1/applications/" + GLOBEX + "/events",
                "{\"id\":\"" + mine + "\",\"type\":\"order.replayed\",\"data\":{}}").statusCode()).isEqualTo(202);
        assertThat(herald.call("POST", "/v1/applications/acme/events", "{\"type\":\"order.replayed\",\"data\":{}}")
                .statusCode()).isEqualTo(202);
        assertThat(herald.call("POST", "/v1/events", "{\"type\":\"order.replayed\",\"data\":{}}").statusCode()).isEqualTo(202);

        // Its webhook has a delivery of every event of its application: the others' order.* events are not its.
        HttpResponse<String> r = herald.call("POST", "/v1/webhooks/" + globexHook + "/replay", "{\"since\":\"" + since + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        assertThat(JSON.readTree(r.body()).get("replayed").asInt()).isZero();

        // A new webhook of the application gets its application's past events, and only those.
        String late = hook(GLOBEX, receiver.url("/globex-late"), "[\"order.*\"]", null);
        r = herald.call("POST", "/v1/webhooks/" + late + "/replay", "{\"since\":\"" + since + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        int replayed = JSON.readTree(r.body()).get("replayed").asInt();
        assertThat(replayed).isPositive();
        waitUntil(Duration.ofSeconds(20), () -> envelopes("/globex-late").size() == replayed);
        java.util.Set<String> globexIds = new java.util.HashSet<>();
        JSON.readTree(herald.call("GET", "/v1/events?application=" + GLOBEX + "&limit=250", null).body()).get("events")
                .forEach(e -> globexIds.add(e.get("id").asText()));
        assertThat(envelopes("/globex-late")).extracting(e -> e.get("id").asText()).contains(mine)
                .allSatisfy(id -> assertThat(globexIds).contains(id));
    }

    static String hook(String application, String url, String events, String schedule) throws Exception {
        return TenantCalls.hook(herald, application, url, events, schedule);
    }

    static void sql(String statement, Object... params) throws Exception {
        TenantCalls.sql(herald, statement, params);
    }

    static List<JsonNode> envelopes(String path) {
        return TenantCalls.envelopes(receiver, path);
    }
}
