package dev.herald.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static dev.herald.it.ApiCalls.assertError;
import static dev.herald.it.ApiCalls.json;
import static dev.herald.it.HeraldApp.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/** Searching the delivery and event logs (GET /v1/deliveries, GET /v1/events) and replaying events to a webhook. */
class SearchReplayTest {

    static HeraldApp herald;
    static ApiCalls api;
    static Receiver receiver;
    static Receiver failing;

    @BeforeAll
    static void start() throws Exception {
        receiver = new Receiver();
        failing = new Receiver();
        failing.status.set(500);
        herald = new HeraldApp(Map.of());
        api = new ApiCalls(herald);
    }

    @AfterAll
    static void stop() throws Exception {
        herald.close();
        receiver.close();
        failing.close();
    }

    @Test
    void deliveriesAcrossWebhooksNarrowByEachFilterNewestFirstAndPageExactlyOnce() throws Exception {
        String p = unique("s");
        String ok = hook(receiver, "/" + p, "[\"" + p + ".*\"]");
        String bad = hook(failing, "/" + p, "[\"" + p + ".a\"]");
        for (int i = 0; i < 3; i++) {
            send(p + ".a", null); // ok and bad
        }
        long mid = timeAfterEverythingSoFar();
        send(p + ".b", null); // ok only
        send(p + ".b", null);
        waitUntil(Duration.ofSeconds(20), () -> api.deliveries("/v1/deliveries?status=success&webhook_id=" + ok) == 5
                && api.deliveries("/v1/deliveries?status=failed&webhook_id=" + bad) == 3);

        assertThat(ids("/v1/deliveries?webhook_id=" + ok)).hasSize(5);
        assertThat(ids("/v1/deliveries?webhook_id=" + bad)).hasSize(3);
        assertThat(ids("/v1/deliveries?webhook_id=" + ok + "&status=failed")).isEmpty();
        assertThat(ids("/v1/deliveries?status=failed&event_type=" + p + ".a")).hasSize(3);
        assertThat(ids("/v1/deliveries?event_type=" + p + ".a")).hasSize(6);
        assertThat(ids("/v1/deliveries?event_type=" + p + ".b")).hasSize(2);
        assertThat(ids("/v1/deliveries?event_type=" + p + ".b&webhook_id=" + bad)).isEmpty();
        assertThat(ids("/v1/deliveries?webhook_id=" + ok + "&until=" + iso(mid))).hasSize(3);
        assertThat(ids("/v1/deliveries?webhook_id=" + ok + "&since=" + iso(mid))).hasSize(2);
        assertThat(ids("/v1/deliveries?event_type=" + p + ".a&since=" + iso(mid))).isEmpty();
        JsonNode unknown = get("/v1/deliveries?webhook_id=hook_nope");
        assertThat(unknown.get("deliveries").size()).isZero();
        assertThat(unknown.get("has_more").asBoolean()).isFalse();

        // Newest first, and the row the per-webhook log shows.
        JsonNode all = get("/v1/deliveries?event_type=" + p + ".a").get("deliveries");
        for (int i = 1; i < all.size(); i++) {
            assertThat(all.get(i).get("id").asText()).isLessThan(all.get(i - 1).get("id").asText());
            assertThat(all.get(i).get("created_at").asText()).isLessThanOrEqualTo(all.get(i - 1).get("created_at").asText());
        }
        JsonNode newest = get("/v1/deliveries?webhook_id=" + ok + "&limit=1").get("deliveries").get(0);
        assertThat(newest).isEqualTo(get("/v1/webhooks/" + ok + "/deliveries?limit=1").get("deliveries").get(0));
        assertThat(newest.get("status").asText()).isEqualTo("success");

        // Pages of 2 over the 6 rows of p.a (both webhooks): each row once, in order.
        List<String> walked = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = get("/v1/deliveries?limit=2&event_type=" + p + ".a" + (cursor == null ? "" : "&cursor=" + cursor));
            page.get("deliveries").forEach(d -> walked.add(d.get("id").asText()));
            cursor = page.get("has_more").asBoolean() ? page.get("next_cursor").asText() : null;
            pages++;
        } while (cursor != null);
        assertThat(walked).doesNotHaveDuplicates().hasSize(6).isSortedAccordingTo((a, b) -> b.compareTo(a));
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void eventsAreListedNewestFirstByReceivedTimeWithAnOpaqueCursor() throws Exception {
        String t = unique("ev") + ".x";
        // Client-chosen ids that sort against time, each request in a later millisecond, and a batch
        // received in one millisecond (ordered by id there).
        send(t, "zzz-" + t);
        timeAfterEverythingSoFar();
        send(t, "mmm-" + t);
        timeAfterEverythingSoFar();
        HttpResponse<String> batch = herald.call("POST", "/v1/events", "[{\"id\":\"b2-" + t + "\",\"type\":\"" + t
                + "\",\"data\":{}},{\"id\":\"b1-" + t + "\",\"type\":\"" + t + "\",\"data\":{}},{\"id\":\"c-" + t
                + "\",\"type\":\"other." + t + "\",\"data\":{}}]");
        assertThat(batch.statusCode()).as(batch.body()).isEqualTo(202);
        timeAfterEverythingSoFar();
        send(t, "aaa-" + t);

        List<String> expected = List.of("aaa-" + t, "b2-" + t, "b1-" + t, "mmm-" + t, "zzz-" + t);
        JsonNode events = get("/v1/events?type=" + t).get("events");
        List<String> listed = new ArrayList<>();
        events.forEach(e -> listed.add(e.get("id").asText()));
        assertThat(listed).isEqualTo(expected);
        // Each row is what GET /v1/events/{id} shows, without its deliveries.
        ObjectNode single = (ObjectNode) get("/v1/events/aaa-" + t);
        single.remove("deliveries");
        assertThat(events.get(0)).isEqualTo(single);

        List<String> walked = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = get("/v1/events?limit=2&type=" + t + (cursor == null ? "" : "&cursor=" + cursor));
            page.get("events").forEach(e -> walked.add(e.get("id").asText()));
            cursor = page.get("has_more").asBoolean() ? page.get("next_cursor").asText() : null;
        } while (cursor != null);
        assertThat(walked).isEqualTo(expected);

        String batchAt = events.get(1).get("received_at").asText();
        assertThat(ids("/v1/events?type=" + t + "&since=" + batchAt, "events")).containsExactly("aaa-" + t, "b2-" + t, "b1-" + t);
        assertThat(ids("/v1/events?type=" + t + "&until=" + batchAt, "events")).containsExactly("mmm-" + t, "zzz-" + t);
        assertThat(ids("/v1/events?type=other." + t, "events")).containsExactly("c-" + t);
        // The listing and the HTTP source share the path: POST still ingests.
        assertThat(herald.call("POST", "/v1/events", "{\"type\":\"" + t + "\",\"data\":{}}").statusCode()).isEqualTo(202);
        assertThat(get("/v1/events?type=" + t).get("events").size()).isEqualTo(6);
    }

    @Test
    void badParametersGetA400NamingTheField() throws Exception {
        String long201 = "x".repeat(201);
        String[][] cases = {{"/v1/deliveries?status=sent", "status"}, {"/v1/deliveries?limit=0", "limit"},
            {"/v1/deliveries?limit=251", "limit"}, {"/v1/deliveries?limit=ten", "limit"},
            {"/v1/deliveries?since=yesterday", "since"}, {"/v1/deliveries?until=2026-13-01T00:00:00Z", "until"},
            {"/v1/deliveries?since=2026-03-02T00:00:00Z&until=2026-03-01T00:00:00Z", "until"},
            {"/v1/deliveries?cursor=garbage", "cursor"}, {"/v1/deliveries?event_type=" + long201, "event_type"},
            {"/v1/events?cursor=!!!", "cursor"}, {"/v1/events?cursor=bm9jb2xvbg", "cursor"}, // base64url of "nocolon"
            {"/v1/events?since=1700000000", "since"}, {"/v1/events?limit=0", "limit"}, {"/v1/events?type=" + long201, "type"},
            {"/v1/events?since=2026-03-02T00:00:00Z&until=2026-03-01T00:00:00Z", "until"}};
        for (String[] c : cases) {
            assertError(herald.call("GET", c[0], null), 400, c[1]);
        }
        String hook = hook(receiver, "/bad", "[\"bad.x\"]");
        String replay = "/v1/webhooks/" + hook + "/replay";
        assertError(herald.call("POST", replay, null), 400, null);
        assertError(herald.call("POST", replay, "[]"), 400, null);
        assertError(herald.call("POST", replay, "{}"), 400, "since");
        assertError(herald.call("POST", replay, "{\"since\":1700000000}"), 400, "since");
        assertError(herald.call("POST", replay, "{\"since\":\"2026-03-01\"}"), 400, "since");
        assertError(herald.call("POST", replay, "{\"since\":\"2026-03-02T00:00:00Z\",\"until\":\"2026-03-01T00:00:00Z\"}"), 400, "until");
        assertError(herald.call("POST", "/v1/webhooks/hook_nope/replay", "{\"since\":\"2026-03-01T00:00:00Z\"}"), 404, null);
        assertError(herald.call("GET", "/v1/deliveries", null, null), 401, null);
        assertError(herald.call("GET", "/v1/events", null, "wrong"), 401, null);
        // An offset whose '+' a query string turned into a space is still read.
        assertThat(herald.call("GET", "/v1/events?since=2026-03-01T12:00:00+01:00", null).statusCode()).isEqualTo(200);
    }

    @Test
    void replaySendsEachMissedMatchingEventOnceAndAgainNothing() throws Exception {
        String p = unique("r");
        long before = System.currentTimeMillis() - 1000;
        Set<String> missed = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            missed.add(send(p + ".match.created", null));
        }
        missed.add(send(p + ".match.updated", "client-chosen-" + p));
        Set<String> others = Set.of(send(p + ".other", null), send(p, null));
        String path = "/" + p;
        String hook = hook(receiver, path, "[\"" + p + ".match.*\"]");
        String live = send(p + ".match.created", null);
        waitUntil(Duration.ofSeconds(10), () -> receiver.to(path).size() == 1);

        assertReplayed(hook, "{\"since\":\"" + iso(before) + "\",\"until\":\"" + iso(before + 1) + "\"}", 0);
        assertReplayed(hook, "{\"since\":\"" + iso(before) + "\"}", 4);
        Set<String> all = new HashSet<>(missed);
        all.add(live);
        waitUntil(Duration.ofSeconds(20), () -> received(path).size() == 5);
        assertThat(new HashSet<>(received(path))).isEqualTo(all).doesNotContainAnyElementsOf(others);

        assertReplayed(hook, "{\"since\":\"" + iso(before) + "\"}", 0);
        assertThat(ids("/v1/deliveries?webhook_id=" + hook)).hasSize(5);
        // Nothing more arrives: a marker event sent now comes after anything a replay would have queued.
        String marker = send(p + ".match.created", null);
        waitUntil(Duration.ofSeconds(10), () -> received(path).contains(marker));
        assertThat(received(path)).hasSize(6).doesNotHaveDuplicates();

        // Two replays at once for another webhook: each event gets one delivery between them.
        String path2 = path + "-twice";
        String hook2 = hook(receiver, path2, "[\"" + p + ".match.*\"]");
        String body = "{\"since\":\"" + iso(before) + "\"}";
        CompletableFuture<HttpResponse<String>> a = CompletableFuture.supplyAsync(() -> replay(hook2, body));
        CompletableFuture<HttpResponse<String>> b = CompletableFuture.supplyAsync(() -> replay(hook2, body));
        int sum = json(a.get()).get("replayed").asInt() + json(b.get()).get("replayed").asInt();
        assertThat(sum).isEqualTo(6);
        waitUntil(Duration.ofSeconds(20), () -> received(path2).size() >= 6);
        assertThat(ids("/v1/deliveries?webhook_id=" + hook2)).hasSize(6);
        String marker2 = send(p + ".match.created", null);
        waitUntil(Duration.ofSeconds(10), () -> received(path2).contains(marker2));
        assertThat(received(path2)).hasSize(7).doesNotHaveDuplicates();
    }

    @Test
    void aReplayWhilePausedIsDeliveredOnceAfterResume() throws Exception {
        String p = unique("q");
        long before = System.currentTimeMillis() - 1000;
        String event = send(p + ".x", null);
        String path = "/" + p;
        String hook = hook(receiver, path, "[\"" + p + ".x\"]");
        assertThat(herald.call("PATCH", "/v1/webhooks/" + hook, "{\"active\":false}").statusCode()).isEqualTo(200);
        assertReplayed(hook, "{\"since\":\"" + iso(before) + "\"}", 1);
        assertThat(herald.call("PATCH", "/v1/webhooks/" + hook, "{\"active\":true}").statusCode()).isEqualTo(200);
        waitUntil(Duration.ofSeconds(20), () -> api.deliveries("/v1/deliveries?status=success&webhook_id=" + hook) == 1);
        assertThat(received(path)).containsExactly(event);
    }

    static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().substring(0, 8);
    }

    static String iso(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }

    /** A time after every delivery made so far and before any made next (their created_at are milliseconds of this clock). */
    static long timeAfterEverythingSoFar() throws InterruptedException {
        long mid = System.currentTimeMillis() + 1;
        waitUntil(Duration.ofSeconds(1), () -> System.currentTimeMillis() > mid);
        return mid;
    }

    static void assertReplayed(String hook, String body, int n) throws Exception {
        HttpResponse<String> r = replay(hook, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        assertThat(json(r).get("replayed").asInt()).isEqualTo(n);
    }

    /** Event ids the receiver got on {@code path}, one per request. */
    static List<String> received(String path) {
        return receiver.to(path).stream().map(r -> r.header("X-Webhook-Id")).toList();
    }

    static JsonNode get(String path) throws Exception {
        return api.get(path);
    }

    static List<String> ids(String path) throws Exception {
        return api.ids(path, "deliveries");
    }

    static List<String> ids(String path, String field) throws Exception {
        return api.ids(path, field);
    }

    static String hook(Receiver r, String path, String events) throws Exception {
        return api.hook(r.url(path), events);
    }

    static String send(String type, String id) throws Exception {
        return api.send(type, id);
    }

    static HttpResponse<String> replay(String hook, String body) {
        return api.post("/v1/webhooks/" + hook + "/replay", body);
    }
}
