package dev.herald.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the benchmark harness from rotting: every phase on a few hundred events. It
 * asserts that every event of every phase arrived and the results were written, never a
 * time or a rate (those belong to {@code mvn -Pbench verify}).
 */
class BenchmarkSmokeTest {

    @Test
    void everyPhaseDeliversEverythingAndWritesItsResults() throws Exception {
        Path out = Files.createTempDirectory("bench-smoke");
        Map<String, String> settings = Map.ofEntries(
                Map.entry("bench.smoke", "true"),
                Map.entry("bench.events", "300"),
                // At most two warm-up floods of 300: the loop that ends the warm-up runs too.
                Map.entry("bench.warmup", "600"),
                Map.entry("bench.sustained-rate", "100"),
                Map.entry("bench.sustained-seconds", "2"),
                Map.entry("bench.jms-events", "200"),
                Map.entry("bench.latency-rate", "50"),
                Map.entry("bench.latency-seconds", "2"),
                Map.entry("bench.baseline-seconds", "1"),
                Map.entry("bench.backlog", "300"),
                // Longer than the endpoint is down (ingest, two restarts) and than in-memory waits.
                Map.entry("bench.backlog-schedule", "0s,35s,35s"),
                Map.entry("bench.hung-receivers", "2"),
                Map.entry("bench.hung-backlog", "10"),
                Map.entry("bench.hung-seconds", "2"),
                Map.entry("bench.retry-backlog-receivers", "2"),
                Map.entry("bench.retry-backlog-events", "50"),
                Map.entry("bench.retry-backlog-rate", "20"),
                Map.entry("bench.retry-backlog-seconds", "2"),
                Map.entry("bench.tenants", "20"),
                Map.entry("bench.tenant-events", "200"),
                Map.entry("bench.heap", "256m"),
                Map.entry("bench.out", out.toString()));
        settings.forEach(System::setProperty);
        Benchmark bench = new Benchmark();
        Map<String, Object> results;
        try {
            results = bench.run();
        } finally {
            bench.stopAll();
            settings.keySet().forEach(System::clearProperty);
        }
        assertThat(results).containsKeys("http_throughput", "sustained", "jms_throughput", "latency", "baseline", "hung",
                "tenants", "retry_backlog", "backlog");
        // What the receiver counted, not the settings echoed back.
        assertThat(field(results, "http_throughput", "delivered")).isEqualTo(300L);
        assertThat(results.get("warmup_events")).as("whole floods, within the cap").isIn(300, 600);
        assertThat(field(results, "jms_throughput", "delivered")).isEqualTo(200L);
        @SuppressWarnings("unchecked")
        Map<String, Object> tenants = (Map<String, Object>) results.get("tenants");
        assertThat(field(tenants, "one_application", "delivered")).as("200 events to one application's 2 webhooks").isEqualTo(400L);
        assertThat(field(tenants, "spread", "delivered")).as("200 events over 20 applications, 2 webhooks each").isEqualTo(400L);
        assertThat(field(results, "backlog", "delivered")).isEqualTo(300L);
        assertThat(field(results, "retry_backlog", "due_retries")).as("50 events to 2 failing receivers").isEqualTo(100L);
        @SuppressWarnings("unchecked")
        Map<String, Object> plan = (Map<String, Object>) ((Map<String, Object>) results.get("backlog")).get("claim_query_at_full");
        assertThat(plan.get("index")).as("the claim query uses its index").isEqualTo("delivery_claim (status, due_at)");
        assertThat(plan.get("index_sorted")).as("and reads it in order, stopping at the limit").isEqualTo(true);
        try (var files = Files.list(out)) {
            assertThat(files.filter(f -> f.getFileName().toString().startsWith("smoke-"))).hasSize(1);
        }
    }

    @SuppressWarnings("unchecked")
    private static Object field(Map<String, Object> results, String phase, String key) {
        return ((Map<String, Object>) results.get(phase)).get(key);
    }
}
