package dev.herald.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Benchmark phase {@code retry-backlog} (issue 26): the healthy receiver's latency, events
 * offered at a fixed rate, without and then with 100,000 retries due to 10 failing receivers.
 *
 * <p>The backlog: 10 webhooks on ports where nothing listens (each attempt fails at once, refused),
 * and 10,000 events fanned out to them through the API. Their breakers open after 20 failures
 * and hold the rest, so Herald is stopped and the driver makes every one of those rows a due
 * retry in the database (attempts at least 1, due now); Herald started again, with its breakers
 * closed, holds 100,000 due retries, as after a restart during an outage of those receivers.
 */
final class RetryBacklogPhase {

    private final Benchmark b;
    final int receivers = Integer.getInteger("bench.retry-backlog-receivers", 10);
    final int events = Integer.getInteger("bench.retry-backlog-events", 10_000);
    final int rate = Integer.getInteger("bench.retry-backlog-rate", 100);
    final int seconds = Integer.getInteger("bench.retry-backlog-seconds", 20);

    RetryBacklogPhase(Benchmark b) {
        this.b = b;
    }

    void run() throws Exception {
        JsonNode without = healthy("bench.quiet");
        for (int i = 0; i < receivers; i++) {
            b.createWebhook("http://127.0.0.1:" + Benchmark.freePort() + "/failing", "retry.backlog", "[\"0s\",\"20s\",\"1h\",\"1h\"]");
        }
        b.ingestHttp(events, "retry.backlog");
        b.stopHerald();
        long due = dueRetries();
        b.herald = b.startHerald(b.work.resolve("data"));
        b.heralds.set(0, b.herald);
        JsonNode with = healthy("bench.busy");
        removeFailing();

        Map<String, Object> r = new LinkedHashMap<>();
        r.put("due_retries", due);
        r.put("failing_receivers", receivers);
        r.put("healthy_rate_per_s", rate);
        r.put("seconds", seconds);
        r.put("without_p50_ms", Benchmark.ms(without, "p50_us"));
        r.put("without_p99_ms", Benchmark.ms(without, "p99_us"));
        r.put("with_p50_ms", Benchmark.ms(with, "p50_us"));
        r.put("with_p99_ms", Benchmark.ms(with, "p99_us"));
        r.put("with_max_ms", Benchmark.ms(with, "max_us"));
        b.results.put("retry_backlog", r);
        b.row("Healthy receiver, " + rate + " events/s: without / with " + due + " due retries", r.get("without_p50_ms")
                + " / " + r.get("with_p50_ms") + " ms p50, " + r.get("without_p99_ms") + " / " + r.get("with_p99_ms")
                + " ms p99", receivers + " failing receivers; max with " + r.get("with_max_ms") + " ms");
    }

    /** Events at {@code rate} a second for {@code seconds} to the benchmark's receiver; its latency figures. */
    private JsonNode healthy(String type) throws Exception {
        b.reset();
        int total = rate * seconds;
        Benchmark.paced(total, 1_000_000_000L / rate, 4, i -> b.postEvents(b.event(type)));
        return b.awaitCount(total, java.time.Duration.ofMinutes(5));
    }

    /** The failing webhooks go (their pending deliveries end as failed): the phases after this one do not meet them. */
    private void removeFailing() throws Exception {
        JsonNode list = Benchmark.JSON.readTree(b.client.send(request("/v1/webhooks?limit=100").GET().build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body());
        for (JsonNode w : list.path("data")) {
            if (w.path("url").asText().endsWith("/failing")) {
                b.client.send(request("/v1/webhooks/" + w.path("id").asText()).DELETE().build(),
                        java.net.http.HttpResponse.BodyHandlers.discarding());
            }
        }
    }

    private java.net.http.HttpRequest.Builder request(String path) {
        return java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + b.heraldPort + path))
                .header("Authorization", "Bearer " + Benchmark.KEY).timeout(java.time.Duration.ofSeconds(60));
    }

    /** With Herald stopped: the failing webhooks' rows become retries due now. */
    private long dueRetries() throws Exception {
        long now = System.currentTimeMillis();
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + b.work.resolve("data").resolve("herald"), "sa", "");
             PreparedStatement ps = c.prepareStatement("UPDATE delivery SET attempts = GREATEST(attempts, 1),"
                     + " status_code = 500, next_attempt_at = ?, due_at = ?, lease_token = NULL, lease_until = NULL"
                     + " WHERE status = 'pending' AND event_id IN (SELECT id FROM event WHERE type = 'retry.backlog')")) {
            ps.setLong(1, now);
            ps.setLong(2, now);
            return ps.executeUpdate();
        }
    }
}
