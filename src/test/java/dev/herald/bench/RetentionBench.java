package dev.herald.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Does retention keep the embedded H2 file bounded? (Not a test: {@code mvn -B -Pbench verify
 * -Dbench.main=dev.herald.bench.RetentionBench}.) Herald in its own JVM with a retention of a
 * minute, run every 30 s, and the benchmark's fast receiver; 1,000,000 1 KB events posted at a
 * steady rate in batches of 100, so the database holds a few minutes of traffic at any time. The
 * size of {@code herald.mv.db} is sampled every second; printed: its largest size, its size after
 * each tenth of the events, after the last delivery and after a clean stop (and how long the stop
 * took: H2 compacts for at most herald.retention.compact-on-stop then). Settings: -Dbench.events,
 * -Dbench.rate (events/s), -Dbench.retention-period, -Dbench.retention-interval, -Dbench.heap.
 */
public final class RetentionBench {

    final int events = Integer.getInteger("bench.events", 1_000_000);
    final int rate = Integer.getInteger("bench.rate", 2_000);
    final String period = System.getProperty("bench.retention-period", "1m");
    final String interval = System.getProperty("bench.retention-interval", "30s");
    final Benchmark b = new Benchmark();
    final AtomicLong maxBytes = new AtomicLong();
    final AtomicLong accepted = new AtomicLong();

    public static void main(String[] args) throws Exception {
        RetentionBench r = new RetentionBench();
        try {
            r.run();
        } finally {
            r.b.stopAll();
        }
    }

    void run() throws Exception {
        b.work = Files.createTempDirectory("herald-retention-bench");
        b.receiverPort = Benchmark.freePort();
        b.heraldPort = Benchmark.freePort();
        b.jmsPort = Benchmark.freePort();
        Path data = b.work.resolve("data");
        Path file = data.resolve("herald.mv.db");
        // Benchmark.startHerald passes bench.herald-args on to Herald's JVM.
        System.setProperty("bench.herald-args", (System.getProperty("bench.herald-args", "")
                + " -Dherald.retention.period=" + period + " -Dherald.retention.interval=" + interval).trim());
        b.receiver = b.startReceiver(b.receiverPort);
        b.herald = b.startHerald(data);
        b.createWebhook(b.receiverUrl("/hook"), "bench.*", null);
        Thread sampler = sampler(file);

        int perRequest = b.batch;
        int requests = (events + perRequest - 1) / perRequest;
        long periodNanos = 1_000_000_000L * perRequest / rate;
        List<Map<String, Object>> curve = new ArrayList<>();
        long t0 = System.nanoTime();
        Benchmark.paced(requests, periodNanos, b.ingestThreads, i -> {
            int n = Math.min(perRequest, events - i * perRequest);
            b.postEvents(b.batchJson(n, "bench.retention"));
            long done = accepted.addAndGet(n);
            if (done % Math.max(1, events / 10) < n) {
                synchronized (curve) {
                    curve.add(point(done, file));
                }
            }
        });
        double ingestSeconds = (System.nanoTime() - t0) / 1e9;
        JsonNode delivered = b.awaitCount(events, Duration.ofMinutes(30));
        long afterLastDelivery = size(file);
        long maxRunning = maxBytes.get();
        sampler.interrupt();

        long stopStart = System.nanoTime();
        b.herald.destroy();
        boolean stopped = b.herald.waitFor(60, TimeUnit.SECONDS);
        double stopSeconds = (System.nanoTime() - stopStart) / 1e9;
        long afterStop = size(file);

        Map<String, Object> r = new LinkedHashMap<>();
        r.put("machine", b.machine());
        r.put("events", events);
        r.put("offered_per_s", rate);
        r.put("event_bytes", b.bodyBytes);
        r.put("retention_period", period);
        r.put("retention_interval", interval);
        r.put("ingest_s", Benchmark.round(ingestSeconds));
        r.put("delivered", delivered.get("count").asLong());
        // From sending an event to the receiver reading it, while retention ran beside.
        r.put("latency_p50_ms", Benchmark.ms(delivered, "p50_us"));
        r.put("latency_p99_ms", Benchmark.ms(delivered, "p99_us"));
        r.put("file_max_mb_while_running", mb(maxRunning));
        r.put("file_mb_after_last_delivery", mb(afterLastDelivery));
        r.put("clean_stop_s", stopped ? Benchmark.round(stopSeconds) : "not within 60 s");
        r.put("file_mb_after_clean_stop", mb(afterStop));
        r.put("rows_left_after_stop", rowsLeft(data));
        curve.sort((x, y) -> Long.compare((Long) x.get("events"), (Long) y.get("events")));
        r.put("file_mb_by_events_accepted", curve);
        print(r);
        Path out = Path.of(System.getProperty("bench.out", "bench/results"));
        Files.createDirectories(out);
        Path json = out.resolve("retention-" + Instant.now().toString().replace(":", "") + ".json");
        Files.writeString(json, Benchmark.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(r) + "\n");
        System.out.println("results: " + json);
    }

    /** Samples the file's size once a second; the largest is kept. */
    Thread sampler(Path file) {
        Thread t = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                maxBytes.accumulateAndGet(size(file), Math::max);
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "file-size-sampler");
        t.setDaemon(true);
        t.start();
        return t;
    }

    Map<String, Object> point(long done, Path file) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("events", done);
        p.put("file_mb", mb(size(file)));
        p.put("max_mb_so_far", mb(maxBytes.get()));
        return p;
    }

    /** Rows the database holds after the stop (opened read only, so nothing is compacted on this close). */
    static Map<String, Long> rowsLeft(Path data) {
        Map<String, Long> rows = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + data.resolve("herald") + ";ACCESS_MODE_DATA=r",
                "sa", ""); Statement st = c.createStatement()) {
            for (String table : List.of("event", "delivery", "delivery_attempt")) {
                try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
                    rs.next();
                    rows.put(table, rs.getLong(1));
                }
            }
        } catch (Exception e) {
            System.out.println("[retention] could not count the rows left: " + e);
        }
        return rows;
    }

    static long size(Path file) {
        try {
            return Files.size(file);
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    static double mb(long bytes) {
        return Benchmark.round(bytes / (1024.0 * 1024.0));
    }

    static void print(Map<String, Object> r) {
        System.out.println();
        System.out.println("Herald retention benchmark");
        r.forEach((k, v) -> {
            if (!k.equals("file_mb_by_events_accepted") && !k.equals("machine")) {
                System.out.printf("  %-28s %s%n", k, v);
            }
        });
        System.out.println("  file size by events accepted:");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> curve = (List<Map<String, Object>>) r.get("file_mb_by_events_accepted");
        curve.forEach(p -> System.out.printf("    %,9d events: %8.1f MB (largest so far %.1f MB)%n",
                p.get("events"), p.get("file_mb"), p.get("max_mb_so_far")));
        System.out.println();
    }
}
