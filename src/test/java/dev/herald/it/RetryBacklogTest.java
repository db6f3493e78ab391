package dev.herald.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.herald.it.HeraldApp.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 26, "retries do not starve first attempts": with the shipped defaults, 100,000 retries
 * due to 10 receivers that answer 500 at once do not delay first attempts to a healthy
 * receiver by more than a second beyond what they take without that backlog.
 *
 * <p>The backlog is written into the database beside Herald (same JVM, same H2 file): the events
 * through the API, then per failing webhook one delivery per event, in the state a failed first
 * attempt leaves (pending, attempts 1, status 500, lease free, next attempt and due time now).
 * Through the API alone the rows would not be retries: after 20 failures a receiver's breaker
 * opens and its other deliveries wait without an attempt. What is written here is what Herald
 * holds after a restart (breakers start closed) with that many retries come due, or with the
 * breaker off (herald.delivery.breaker.failures=0).
 */
class RetryBacklogTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final int FAILING = 10;
    static final int EVENTS = 10_000; // times FAILING webhooks: 100,000 due retries
    static final int BATCH = 1000;

    @Test
    void dueRetriesToFailingReceiversDoNotDelayFirstAttemptsToAHealthyOne() throws Exception {
        scenario("shipped defaults", Map.of(), true);
    }

    /**
     * The same with the circuit breaker off: every retry is then attempted (with the breaker on,
     * 20 failures open it and the rest wait without an attempt), some 2,500 failing attempts a
     * second. Nothing may be lost; the figures are printed, the bound is not asserted: the issue
     * states it for the shipped defaults, and here the healthy receiver's delay is the CPU those
     * attempts take on a small machine (docs/operations.md, "Scheduling"), not its place in a queue.
     */
    @Test
    void sameWithTheBreakerOff() throws Exception {
        scenario("breaker off", Map.of("herald.delivery.breaker.failures", "0"), false);
    }

    void scenario(String name, Map<String, String> settings, boolean bound) throws Exception {
        Map<String, String> shipped = new HashMap<>(settings);
        // The harness's shorter timings are dropped: the shipped defaults apply.
        shipped.put("herald.delivery.timeout", null);
        shipped.put("herald.delivery.lease", null);
        shipped.put("herald.delivery.poll-interval", null);
        List<Receiver> failing = new ArrayList<>();
        try (HeraldApp herald = new HeraldApp(shipped); Receiver healthy = new Receiver()) {
            for (int i = 0; i < FAILING; i++) {
                Receiver r = new Receiver();
                r.status.set(500);
                failing.add(r);
            }
            hook(herald, healthy, "backlog.first", "[\"0s\",\"1m\"]");

            Map<String, Long> quiet = firstAttempts(herald, healthy, "quiet", 5_000);
            Latency without = Latency.of(quiet.values());

            // The events of the backlog, with no subscriber yet: no delivery is made for them here.
            for (int b = 0; b < EVENTS / BATCH; b++) {
                StringBuilder body = new StringBuilder("[");
                for (int i = 0; i < BATCH; i++) {
                    body.append(i == 0 ? "" : ",").append("{\"type\":\"backlog.retry\",\"data\":{\"n\":").append(b * BATCH + i).append("}}");
                }
                HttpResponse<String> r = herald.call("POST", "/v1/events", body.append("]").toString());
                assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            }
            List<String> failingHooks = new ArrayList<>();
            for (Receiver r : failing) {
                failingHooks.add(hook(herald, r, "backlog.retry", "[\"0s\",\"20s\",\"1h\",\"1h\"]"));
            }
            long seeded = seedDueRetries(herald, failingHooks);
            System.out.printf("retry-backlog: %,d due retries written at %tT%n", seeded, System.currentTimeMillis());
            assertThat(seeded).isEqualTo((long) FAILING * EVENTS);

            Map<String, Long> busy = firstAttempts(herald, healthy, "busy", 15_000);
            Latency with = Latency.of(busy.values());
            long backlogAttempts = failing.stream().mapToLong(r -> r.requests.size()).sum();
            System.out.printf("retry-backlog (" + name + "): healthy receiver, ms from 202 to arrival: without backlog %s;"
                    + " with %,d due retries to %d failing receivers %s; %,d retry attempts made meanwhile%n",
                    without, seeded, FAILING, with, backlogAttempts);

            // Nothing lost: every first attempt arrived once; every retry is still pending (its next
            // attempt an hour away) or was attempted as the table says.
            assertThat(healthy.requests).hasSize(quiet.size() + busy.size());
            assertThat(pendingRetries(herald, failingHooks)).isEqualTo(seeded);
            assertThat(backlogAttempts).as("the backlog was worked on meanwhile").isPositive();

            if (!bound) {
                return;
            }
            assertThat(with.p99).as("p99 ms with the backlog, against %s without", without).isLessThanOrEqualTo(without.p99 + 1000);
            assertThat(with.max).as("max ms with the backlog, against %s without", without).isLessThanOrEqualTo(without.max + 1000);
        } finally {
            failing.forEach(Receiver::close);
        }
    }

    static String hook(HeraldApp herald, Receiver r, String type, String schedule) throws Exception {
        HttpResponse<String> created = herald.call("POST", "/v1/webhooks", "{\"url\":\"" + r.url("/in")
                + "\",\"events\":[\"" + type + "\"],\"retry_schedule\":" + schedule + "}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return JSON.readTree(created.body()).get("id").asText();
    }

    /**
     * Events to the healthy receiver, 20 a second for {@code millis}; each one's time from the 202
     * to its arrival (0 when it arrived before the 202 reached this client).
     */
    static Map<String, Long> firstAttempts(HeraldApp herald, Receiver healthy, String tag, long millis) throws Exception {
        Map<String, Long> accepted = new LinkedHashMap<>();
        long end = System.currentTimeMillis() + millis;
        int n = 0;
        while (System.currentTimeMillis() < end) {
            HttpResponse<String> r = herald.call("POST", "/v1/events",
                    "{\"type\":\"backlog.first\",\"data\":{\"tag\":\"" + tag + "\",\"n\":" + n++ + "}}");
            long at = System.currentTimeMillis();
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            JsonNode reply = JSON.readTree(r.body());
            accepted.put(reply.get("id").asText(), at);
            Thread.sleep(50);
        }
        waitUntil(Duration.ofSeconds(60), () -> healthy.okIds().containsAll(accepted.keySet()));
        Map<String, Long> delays = new LinkedHashMap<>();
        for (Receiver.Request q : healthy.requests) {
            Long at = accepted.get(q.header("X-Webhook-Id"));
            if (at != null) {
                delays.put(q.header("X-Webhook-Id"), Math.max(0, q.at() - at));
            }
        }
        return delays;
    }

    static Connection db(HeraldApp herald) throws Exception {
        return DriverManager.getConnection("jdbc:h2:file:" + herald.dataDir.resolve("herald") + ";DB_CLOSE_ON_EXIT=FALSE", "sa", "");
    }

    /** Per failing webhook, one delivery per backlog event, as a failed first attempt leaves it, due now. */
    static long seedDueRetries(HeraldApp herald, List<String> hooks) throws Exception {
        long now = System.currentTimeMillis();
        long rows = 0;
        try (Connection c = db(herald); PreparedStatement ps = c.prepareStatement("INSERT INTO delivery (id, event_id, webhook_id,"
                + " status, attempts, status_code, error, next_attempt_at, lease_token, lease_until, due_at, created_at, updated_at)"
                + " SELECT 'del_' || SUBSTRING(REPLACE(CAST(RANDOM_UUID() AS VARCHAR), '-', ''), 1, 26), e.id, ?, 'pending', 1,"
                + " 500, 'HTTP 500', ?, NULL, NULL, ?, e.received_at, ? FROM event e WHERE e.type = 'backlog.retry'")) {
            for (String hook : hooks) {
                ps.setString(1, hook);
                ps.setLong(2, now);
                ps.setLong(3, now);
                ps.setLong(4, now);
                rows += ps.executeUpdate();
            }
        }
        return rows;
    }

    static long pendingRetries(HeraldApp herald, List<String> hooks) throws Exception {
        try (Connection c = db(herald); PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM delivery"
                + " WHERE webhook_id IN (" + String.join(",", java.util.Collections.nCopies(hooks.size(), "?")) + ")"
                + " AND status = 'pending' AND attempts >= 1")) {
            for (int i = 0; i < hooks.size(); i++) {
                ps.setString(i + 1, hooks.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Milliseconds: median, 99th percentile, largest, of {@code n} deliveries. */
    record Latency(int n, long p50, long p99, long max) {
        static Latency of(java.util.Collection<Long> values) {
            List<Long> sorted = values.stream().sorted().toList();
            return new Latency(sorted.size(), at(sorted, 0.50), at(sorted, 0.99), sorted.get(sorted.size() - 1));
        }

        static long at(List<Long> sorted, double q) {
            return sorted.get((int) Math.ceil(q * sorted.size()) - 1);
        }

        @Override
        public String toString() {
            return "p50 " + p50 + " / p99 " + p99 + " / max " + max + " (n=" + n + ")";
        }
    }
}
