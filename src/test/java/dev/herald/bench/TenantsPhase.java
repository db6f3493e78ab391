package dev.herald.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Phase {@code tenants} (issue 27): does fan-out cost follow the application's own webhooks, not
 * all of them? {@code bench.tenants} applications (10,000) are created through the API (timed),
 * each with 2 webhooks; then the same flood ({@code bench.tenant-events} events, 2 deliveries
 * each) goes once to a single application and once spread over all of them. Both delivery rates
 * are printed, and their ratio.
 */
final class TenantsPhase {

    private static final String TYPE = "tenant.flood";

    private final Benchmark b;
    private final int tenants = Integer.getInteger("bench.tenants", 10_000);
    private final int events = Integer.getInteger("bench.tenant-events", 100_000);

    TenantsPhase(Benchmark b) {
        this.b = b;
    }

    void run() throws Exception {
        Map<String, Object> r = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        Benchmark.paced(tenants, 0, 8, i -> create("/v1/applications", "{\"uid\":\"cust-" + i + "\",\"name\":\"Customer " + i + "\"}"));
        double createSeconds = (System.nanoTime() - t0) / 1e9;
        long t1 = System.nanoTime();
        Benchmark.paced(tenants * 2, 0, 8, i -> webhook("cust-" + (i / 2)));
        double webhookSeconds = (System.nanoTime() - t1) / 1e9;
        create("/v1/applications", "{\"uid\":\"solo\",\"name\":\"One customer\"}");
        webhook("solo");
        webhook("solo");

        Map<String, Object> one = flood(i -> "solo");
        Map<String, Object> spread = flood(i -> "cust-" + (i % tenants));
        r.put("applications", tenants);
        r.put("webhooks_per_application", 2);
        r.put("applications_created_s", Benchmark.round(createSeconds));
        r.put("applications_created_per_s", Benchmark.round(tenants / createSeconds));
        r.put("webhooks_created_s", Benchmark.round(webhookSeconds));
        r.put("events", events);
        r.put("one_application", one);
        r.put("spread", spread);
        double ratio = (double) spread.get("deliveries_per_s") / (double) one.get("deliveries_per_s");
        r.put("spread_over_one", Math.round(ratio * 100) / 100.0);
        b.results.put("tenants", r);
        b.row("Create " + tenants + " applications through the API", r.get("applications_created_s") + " s",
                r.get("applications_created_per_s") + " per s, 8 threads; then " + (tenants * 2) + " webhooks in "
                        + r.get("webhooks_created_s") + " s");
        b.row("Delivery rate, all events to one application", one.get("deliveries_per_s") + " deliveries/s",
                events + " events x 2 webhooks");
        b.row("Delivery rate, events spread over " + tenants + " applications", spread.get("deliveries_per_s")
                + " deliveries/s", "spread / one: " + r.get("spread_over_one") + " (goal >= 0.90)");
    }

    private Map<String, Object> flood(java.util.function.IntFunction<String> application) throws Exception {
        b.reset();
        long t0 = System.nanoTime();
        Benchmark.paced((events + b.batch - 1) / b.batch, 0, b.ingestThreads, slot -> {
            StringBuilder json = new StringBuilder("[");
            int from = slot * b.batch;
            for (int i = from; i < Math.min(events, from + b.batch); i++) {
                String e = b.event(TYPE);
                // The event as the flood sends it, naming its application: {"type":..,"application":..,"data":..}.
                json.append(i == from ? "" : ",").append("{\"application\":\"").append(application.apply(i)).append("\",")
                        .append(e, 1, e.length());
            }
            b.postEvents(json.append(']').toString());
        });
        double ingestSeconds = (System.nanoTime() - t0) / 1e9;
        JsonNode s = b.awaitCount(events * 2L, Duration.ofMinutes(30));
        double window = (s.get("last_ms").asLong() - s.get("first_ms").asLong()) / 1000.0;
        Map<String, Object> m = new LinkedHashMap<>();
        // What the receiver counted: an event that reached other applications' webhooks would show here.
        m.put("delivered", s.get("count").asLong());
        m.put("ingest_events_per_s", Benchmark.round(events / ingestSeconds));
        m.put("deliveries_per_s", Benchmark.round(events * 2 / Math.max(window, 0.001)));
        m.put("latency_p50_ms", Benchmark.ms(s, "p50_us"));
        m.put("latency_p99_ms", Benchmark.ms(s, "p99_us"));
        return m;
    }

    private void webhook(String application) throws Exception {
        create("/v1/applications/" + application + "/webhooks", "{\"url\":\"" + b.receiverUrl("/tenant")
                + "\",\"events\":[\"tenant.*\"],\"secret\":\"" + Benchmark.SECRET + "\"}");
    }

    private void create(String path, String body) throws Exception {
        HttpResponse<String> r = b.client.send(b.post(path, body), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
        }
    }
}
