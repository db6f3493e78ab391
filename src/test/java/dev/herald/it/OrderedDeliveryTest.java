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
import java.util.UUID;

import static dev.herald.it.HeraldApp.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/** Ordered delivery ({@code ordering}) at a loopback receiver: order per key, skip, block, retry, and the API's checks. */
class OrderedDeliveryTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static HeraldApp herald;

    @BeforeAll
    static void start() throws Exception {
        herald = new HeraldApp(Map.of("herald.delivery.breaker.failures", "0"));
    }

    @AfterAll
    static void stop() throws Exception {
        herald.close();
    }

    static String type() {
        return "fifo" + UUID.randomUUID().toString().substring(0, 8) + ".x";
    }

    static JsonNode call(String method, String path, String body, int status) throws Exception {
        HttpResponse<String> r = herald.call(method, path, body);
        assertThat(r.statusCode()).as(method + " " + path + " " + body + ": " + r.body()).isEqualTo(status);
        return r.body().isEmpty() ? null : JSON.readTree(r.body());
    }

    static String hook(OrderReceiver r, String type, String ordering, String schedule) throws Exception {
        return call("POST", "/v1/webhooks", "{\"url\":\"" + r.url() + "\",\"events\":[\"" + type + "\"],\"ordering\":"
                + ordering + ",\"retry_schedule\":" + schedule + "}", 201).get("id").asText();
    }

    static String event(String type, String key, int n) {
        return "{\"type\":\"" + type + "\",\"data\":{\"k\":\"" + key + "\",\"n\":" + n + "}}";
    }

    /** Sends one event; its delivery id. */
    static String send(String type, String key, int n) throws Exception {
        return call("POST", "/v1/events", event(type, key, n), 202).at("/deliveries/0").asText();
    }

    static String status(String deliveryId) throws Exception {
        return call("GET", "/v1/deliveries/" + deliveryId, null, 200).get("status").asText();
    }

    static boolean is(String deliveryId, String status) {
        try {
            return status(deliveryId).equals(status);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode webhook(String id) throws Exception {
        return call("GET", "/v1/webhooks/" + id, null, 200);
    }

    /**
     * 50 events on each of three keys, sent side by side (single events and batches), the receiver failing some
     * attempts: per key exactly 1..50 at the receiver, one request of a key at a time, keys in parallel.
     */
    @Test
    void eachKeyArrivesInAcceptanceOrderThroughRetriesWhileKeysFlowInParallel() throws Exception {
        try (OrderReceiver r = new OrderReceiver()) {
            r.delayMillis = 15;
            // Every 7th event fails once, event 20 twice: the next of its key waits for the retries.
            r.fail = (a, attempt) -> (a.n() % 7 == 3 && attempt == 1) || (a.n() == 20 && attempt <= 2);
            String type = type();
            String id = hook(r, type, "{\"mode\":\"fifo\",\"key\":\"data.k\"}", "[\"0s\",\"200ms\",\"200ms\",\"200ms\"]");
            assertThat(webhook(id).get("ordering").toString())
                    .isEqualTo("{\"mode\":\"fifo\",\"key\":\"data.k\",\"on_exhausted\":\"skip\"}");
            List<String> keys = List.of("acct-a", "acct-b", "acct-c");
            List<Thread> senders = new ArrayList<>();
            List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
            for (String key : keys) {
                Thread t = new Thread(() -> {
                    try {
                        int n = 1;
                        while (n <= 50) {
                            if (n % 10 == 1 && n + 4 <= 50) {
                                // A batch of 5: array order is acceptance order.
                                StringBuilder b = new StringBuilder("[");
                                for (int i = 0; i < 5; i++) {
                                    b.append(i == 0 ? "" : ",").append(event(type, key, n + i));
                                }
                                call("POST", "/v1/events", b.append("]").toString(), 202);
                                n += 5;
                            } else {
                                send(type, key, n++);
                            }
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                });
                senders.add(t);
                t.start();
            }
            for (Thread t : senders) {
                t.join();
            }
            assertThat(failures).isEmpty();
            waitUntil(Duration.ofSeconds(90), () -> keys.stream().allMatch(k -> r.succeeded(k).size() >= 50));
            for (String key : keys) {
                r.assertInOrder(key, 50);
                assertThat(r.arrived(key)).as("retries of key %s", key).hasSizeGreaterThanOrEqualTo(50 + 7 + 2);
            }
            assertThat(r.maxInFlightPerKey.get()).as("requests of one key at once").isEqualTo(1);
            assertThat(r.maxInFlight.get()).as("requests of several keys at once").isGreaterThan(1);
            System.out.printf("ordered: 3 keys x 50 events, %d arrivals, at most %d requests at once%n",
                    r.arrivals.size(), r.maxInFlight.get());
        }
    }

    /**
     * Requests of one new key at the same moment: the first to make its line wins, the others wait for it
     * (or run again), and every event is accepted and delivered one at a time.
     */
    @Test
    void simultaneousRequestsOfANewKeyAreAllAcceptedAndSerialised() throws Exception {
        try (OrderReceiver r = new OrderReceiver()) {
            r.delayMillis = 5;
            String type = type();
            hook(r, type, "{\"mode\":\"fifo\",\"key\":\"data.k\"}", "[\"0s\",\"200ms\"]");
            int threads = 6;
            int rounds = 10;
            java.util.concurrent.CyclicBarrier barrier = new java.util.concurrent.CyclicBarrier(threads);
            List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
            List<Thread> senders = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int n = t + 1;
                Thread th = new Thread(() -> {
                    try {
                        for (int round = 0; round < rounds; round++) {
                            barrier.await();
                            send(type, "new-" + round, n);
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                });
                senders.add(th);
                th.start();
            }
            for (Thread th : senders) {
                th.join();
            }
            assertThat(failures).isEmpty();
            waitUntil(Duration.ofSeconds(60), () -> r.arrivals.stream().filter(a -> a.status() == 200).count() == threads * rounds);
            for (int round = 0; round < rounds; round++) {
                assertThat(r.succeeded("new-" + round)).hasSize(threads).doesNotHaveDuplicates();
            }
            assertThat(r.maxInFlightPerKey.get()).isEqualTo(1);
        }
    }

    /** on_exhausted skip (the default): an event that fails for good is passed over and the next goes. */
    @Test
    void aFailureForGoodIsSkippedByDefault() throws Exception {
        try (OrderReceiver r = new OrderReceiver()) {
            r.fail = (a, attempt) -> a.n() == 3;
            String type = type();
            hook(r, type, "{\"mode\":\"fifo\"}", "[\"0s\",\"100ms\"]");
            List<String> ids = new ArrayList<>();
            for (int n = 1; n <= 6; n++) {
                ids.add(send(type, "k", n));
            }
            waitUntil(Duration.ofSeconds(30), () -> r.succeeded("k").size() == 5);
            assertThat(r.arrived("k")).containsExactly(1, 2, 3, 3, 4, 5, 6);
            assertThat(status(ids.get(2))).isEqualTo("failed");
            // Skipping is for deliveries still in their line: this one left it.
            call("POST", "/v1/deliveries/" + ids.get(2) + "/skip", null, 409);
            call("POST", "/v1/deliveries/del_nosuchdelivery/skip", null, 404);
        }
    }

    /**
     * on_exhausted block: the key waits while other keys and events without the key flow; the webhook shows the
     * block; a retry tries the head again, a skip ends it and releases the key.
     */
    @Test
    void aBlockedKeyWaitsForRetryOrSkip() throws Exception {
        try (OrderReceiver r = new OrderReceiver()) {
            java.util.concurrent.atomic.AtomicBoolean healthy = new java.util.concurrent.atomic.AtomicBoolean();
            r.fail = (a, attempt) -> a.key().equals("x") && (a.n() == 3 || a.n() == 7) && !healthy.get();
            String type = type();
            String hook = hook(r, type, "{\"mode\":\"fifo\",\"key\":\"data.k\",\"on_exhausted\":\"block\"}",
                    "[\"0s\",\"100ms\"]");
            List<String> x = new ArrayList<>();
            for (int n = 1; n <= 6; n++) {
                x.add(send(type, "x", n));
                send(type, "y", n);
            }
            // No data.k: the empty key, a line of its own.
            String keyless = call("POST", "/v1/events", "{\"type\":\"" + type + "\",\"data\":{\"n\":1}}", 202)
                    .at("/deliveries/0").asText();
            waitUntil(Duration.ofSeconds(30), () -> is(x.get(2), "failed") && r.succeeded("y").size() == 6);
            waitUntil(Duration.ofSeconds(10), () -> is(keyless, "success"));
            JsonNode blocked = webhook(hook).get("ordering_blocked");
            assertThat(blocked.toString()).isEqualTo("[{\"key\":\"x\",\"delivery_id\":\"" + x.get(2) + "\"}]");
            Thread.sleep(1500);
            assertThat(r.arrived("x")).as("x waits behind its failed head").containsExactly(1, 2, 3, 3);
            assertThat(status(x.get(3))).isEqualTo("pending");
            call("POST", "/v1/deliveries/" + x.get(3) + "/retry", null, 409);

            // A retry while the receiver still fails: one more attempt, and the key is held again.
            call("POST", "/v1/deliveries/" + x.get(2) + "/retry", null, 202);
            waitUntil(Duration.ofSeconds(10), () -> r.arrived("x").size() == 5 && is(x.get(2), "failed"));
            waitUntil(Duration.ofSeconds(10), () -> {
                try {
                    return webhook(hook).get("ordering_blocked").size() == 1;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(500);
            assertThat(r.arrived("x")).containsExactly(1, 2, 3, 3, 3);

            // Skip: the head ends failed, the key goes on.
            assertThat(call("POST", "/v1/deliveries/" + x.get(2) + "/skip", null, 200).toString())
                    .isEqualTo("{\"id\":\"" + x.get(2) + "\",\"status\":\"failed\"}");
            waitUntil(Duration.ofSeconds(10), () -> r.succeeded("x").equals(List.of(1, 2, 4, 5, 6)));
            assertThat(webhook(hook).get("ordering_blocked")).isEmpty();
            assertThat(status(x.get(2))).isEqualTo("failed");

            // Blocked again at 7; a retry with the receiver well again releases it, and 8 follows.
            String seven = send(type, "x", 7);
            String eight = send(type, "x", 8);
            waitUntil(Duration.ofSeconds(10), () -> is(seven, "failed"));
            Thread.sleep(500);
            assertThat(status(eight)).isEqualTo("pending");
            healthy.set(true);
            call("POST", "/v1/deliveries/" + seven + "/retry", null, 202);
            waitUntil(Duration.ofSeconds(10), () -> is(eight, "success"));
            assertThat(r.arrived("x")).containsExactly(1, 2, 3, 3, 3, 4, 5, 6, 7, 7, 7, 8);
            assertThat(webhook(hook).get("ordering_blocked")).isEmpty();
        }
    }

    /** Replayed deliveries join their lines oldest event first, and wait behind a blocked head like any other. */
    @Test
    void replayedDeliveriesAreOrderedToo() throws Exception {
        try (OrderReceiver r = new OrderReceiver()) {
            r.fail = (a, attempt) -> a.n() == 2;
            String type = type();
            String since = java.time.Instant.now().minusSeconds(5).toString();
            for (int n = 1; n <= 4; n++) {
                send(type, "k", n); // no webhook yet: stored, delivered to none
            }
            String hook = hook(r, type, "{\"mode\":\"fifo\",\"key\":\"data.k\",\"on_exhausted\":\"block\"}", "[\"0s\"]");
            assertThat(call("POST", "/v1/webhooks/" + hook + "/replay", "{\"since\":\"" + since + "\"}", 202)
                    .get("replayed").asInt()).isEqualTo(4);
            waitUntil(Duration.ofSeconds(15), () -> {
                try {
                    return webhook(hook).get("ordering_blocked").size() == 1;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(500);
            assertThat(r.arrived("k")).containsExactly(1, 2);
            String head = webhook(hook).at("/ordering_blocked/0/delivery_id").asText();
            call("POST", "/v1/deliveries/" + head + "/skip", null, 200);
            waitUntil(Duration.ofSeconds(10), () -> r.succeeded("k").size() == 3);
            assertThat(r.arrived("k")).containsExactly(1, 2, 3, 4);
        }
    }

    /** Removing the ordering releases what waits in its lines: it goes out at once, unordered. */
    @Test
    void removingOrderingReleasesWaitingDeliveries() throws Exception {
        try (OrderReceiver r = new OrderReceiver()) {
            r.fail = (a, attempt) -> a.n() == 1;
            String type = type();
            String hook = hook(r, type, "{\"mode\":\"fifo\",\"on_exhausted\":\"block\"}", "[\"0s\"]");
            String first = send(type, "k", 1);
            String second = send(type, "k", 2);
            String third = send(type, "k", 3);
            waitUntil(Duration.ofSeconds(10), () -> is(first, "failed"));
            assertThat(webhook(hook).at("/ordering_blocked/0/key").asText()).isEmpty();
            Thread.sleep(500);
            assertThat(status(second)).isEqualTo("pending");
            JsonNode patched = call("PATCH", "/v1/webhooks/" + hook, "{\"ordering\":null}", 200);
            assertThat(patched.get("ordering").isNull()).isTrue();
            assertThat(patched.get("ordering_blocked")).isEmpty();
            waitUntil(Duration.ofSeconds(10), () -> is(second, "success") && is(third, "success"));
        }
    }

    @Test
    void badOrderingIsRefusedNamingTheField() throws Exception {
        try (OrderReceiver r = new OrderReceiver()) {
            Map<String, String> bad = new java.util.LinkedHashMap<>();
            bad.put("\"fifo\"", "ordering");
            bad.put("{}", "ordering.mode");
            bad.put("{\"mode\":\"lifo\"}", "ordering.mode");
            bad.put("{\"mode\":\"fifo\",\"key\":\"account_id\"}", "ordering.key");
            bad.put("{\"mode\":\"fifo\",\"key\":\"data..x\"}", "ordering.key");
            bad.put("{\"mode\":\"fifo\",\"key\":\"data\"}", "ordering.key");
            bad.put("{\"mode\":\"fifo\",\"key\":7}", "ordering.key");
            bad.put("{\"mode\":\"fifo\",\"key\":\"data." + "a".repeat(300) + "\"}", "ordering.key");
            bad.put("{\"mode\":\"fifo\",\"on_exhausted\":\"retry\"}", "ordering.on_exhausted");
            bad.put("{\"mode\":\"fifo\",\"partition\":\"x\"}", "ordering.partition");
            String id = call("POST", "/v1/webhooks", "{\"url\":\"" + r.url() + "\",\"events\":[\"a.b\"]}", 201).get("id").asText();
            assertThat(webhook(id).get("ordering").isNull()).isTrue();
            for (Map.Entry<String, String> b : bad.entrySet()) {
                JsonNode created = call("POST", "/v1/webhooks", "{\"url\":\"" + r.url() + "\",\"events\":[\"a.b\"],\"ordering\":"
                        + b.getKey() + "}", 400);
                assertThat(created.at("/error/field").asText()).as(b.getKey()).isEqualTo(b.getValue());
                JsonNode patched = call("PATCH", "/v1/webhooks/" + id, "{\"ordering\":" + b.getKey() + "}", 400);
                assertThat(patched.at("/error/field").asText()).as(b.getKey()).isEqualTo(b.getValue());
            }
            JsonNode ok = call("PATCH", "/v1/webhooks/" + id,
                    "{\"ordering\":{\"mode\":\"fifo\",\"key\":\"type\",\"on_exhausted\":\"block\"}}", 200);
            assertThat(ok.get("ordering").toString()).isEqualTo("{\"mode\":\"fifo\",\"key\":\"type\",\"on_exhausted\":\"block\"}");
            assertThat(webhook(id).get("ordering")).isEqualTo(ok.get("ordering"));
            assertThat(call("PATCH", "/v1/webhooks/" + id, "{\"name\":\"n\"}", 200).get("ordering")).isEqualTo(ok.get("ordering"));
            assertThat(call("PATCH", "/v1/webhooks/" + id, "{\"ordering\":null}", 200).get("ordering").isNull()).isTrue();
            call("DELETE", "/v1/webhooks/" + id, null, 204);
        }
    }
}
