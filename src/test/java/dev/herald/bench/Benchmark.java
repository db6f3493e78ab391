package dev.herald.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Herald's benchmark (not a test): Herald in its own JVM on a fresh embedded database with
 * the default configuration, a fast receiver in another, and this driver. Phases:
 * throughput over HTTP batches, throughput over JMS, latency at a fixed rate, the raw
 * HttpClient 5 baseline on the same receiver, and a backlog that piles up while the
 * endpoint is down and drains when it comes back, and a healthy receiver's latency beside a backlog of
 * due retries ({@link RetryBacklogPhase}). Prints a table and writes JSON to
 * bench/results/. Settings are -Dbench.* system properties (see {@link #main}).
 */
public final class Benchmark {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String KEY = "bench-key";
    // The embedded broker's TCP login (anonymous TCP clients are refused).
    static final String JMS_USER = "bench";
    static final String JMS_PASSWORD = "bench-" + java.util.UUID.randomUUID();
    static final String SECRET = "whsec_benchmark_secret";

    final int events = Integer.getInteger("bench.events", 200_000);
    final int jmsEvents = Integer.getInteger("bench.jms-events", 50_000);
    final int batch = Integer.getInteger("bench.batch", 100);
    final int ingestThreads = Integer.getInteger("bench.ingest-threads", 4);
    final int sustainedRate = Integer.getInteger("bench.sustained-rate", 3000);
    final int sustainedSeconds = Integer.getInteger("bench.sustained-seconds", 60);
    final int latencyRate = Integer.getInteger("bench.latency-rate", 500);
    final int latencySeconds = Integer.getInteger("bench.latency-seconds", 30);
    final int baselineSeconds = Integer.getInteger("bench.baseline-seconds", 20);
    /**
     * Connections to the one endpoint, the same for Herald (herald.delivery.per-endpoint-concurrency,
     * default 8) and for the baseline: "same concurrency".
     */
    final int concurrency = Integer.getInteger("bench.concurrency", 8);
    /** Herald instances on one database (more than one needs PostgreSQL): HTTP ingest goes round robin. */
    final int instances = Integer.getInteger("bench.instances", 1);
    final int baselineThreads = Integer.getInteger("bench.baseline-threads", concurrency);
    final int backlog = Integer.getInteger("bench.backlog", 1_000_000);
    /** The backlog webhook's table: rows fail while the endpoint is down and come due again on it. */
    final String backlogSchedule = System.getProperty("bench.backlog-schedule", "0s,2m,5m,10m,30m");
    final int bodyBytes = Integer.getInteger("bench.body-bytes", 1024);
    // Warm-up floods like the measured one, until the JIT is done (see warmUp()): at most this many events.
    final int warmup = Integer.getInteger("bench.warmup", 2_000_000);
    /** Warm-up ends after a flood in which the JIT compiler threads took less than this share of Herald's CPU. */
    final double warmupJitShare = Double.parseDouble(System.getProperty("bench.warmup-jit-share", "0.05"));
    final String heap = System.getProperty("bench.heap", "1g");
    final Path out = Path.of(System.getProperty("bench.out", "bench/results"));
    final boolean smoke = Boolean.getBoolean("bench.smoke");
    /** Phases to run (all by default); one phase alone is handy under a profiler. */
    final Set<String> phases = Set.of(System.getProperty("bench.phases",
            "http,sustained,jms,latency,baseline,hung,tenants,retry-backlog,backlog").split(","));

    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    final Map<String, Object> results = new LinkedHashMap<>();
    final List<String[]> table = new ArrayList<>();
    Path work;
    int heraldPort;
    int jmsPort;
    int receiverPort;
    /** The first instance: the API, JMS and the backlog phase use it. */
    Process herald;
    final List<Process> heralds = new ArrayList<>();
    final List<Integer> ingestPorts = new ArrayList<>();
    final AtomicLong nextIngest = new AtomicLong();
    Process receiver;
    final AtomicLong heapPeak = new AtomicLong();
    long heapPeakBeforeBacklog;

    public static void main(String[] args) throws Exception {
        Benchmark b = new Benchmark();
        try {
            b.run();
        } finally {
            b.stopAll();
        }
    }

    /** Runs every phase; returns the results (also written as JSON). */
    Map<String, Object> run() throws Exception {
        work = Files.createTempDirectory("herald-bench");
        receiverPort = freePort();
        heraldPort = freePort();
        jmsPort = freePort();
        results.put("machine", machine());
        results.put("settings", settings());
        receiver = startReceiver(receiverPort);
        herald = startHerald(work.resolve("data"));
        heralds.add(herald);
        ingestPorts.add(heraldPort);
        for (int i = 1; i < instances; i++) {
            int port = freePort();
            heralds.add(startHerald(work.resolve("data-" + i), port, freePort(), "herald-" + i + ".log"));
            ingestPorts.add(port);
        }
        Thread sampler = heapSampler();

        createWebhook(receiverUrl("/hook"), "bench.*", null);
        if (warmup > 0) {
            warmUp();
        }
        if (phases.contains("http")) {
            throughputHttp();
        }
        if (phases.contains("sustained")) {
            sustained();
        }
        if (phases.contains("jms")) {
            throughputJms();
        }
        if (phases.contains("latency")) {
            latency();
        }
        if (phases.contains("baseline")) {
            baseline();
        }
        if (phases.contains("hung")) {
            new HungPhase(this).run();
        }
        // Issue 27: fan-out over many applications against one (TenantsPhase).
        if (phases.contains("tenants")) {
            new TenantsPhase(this).run();
        }
        // Issue 26: first attempts to a healthy receiver beside 100,000 due retries (RetryBacklogPhase).
        if (phases.contains("retry-backlog") && System.getProperty("bench.db-url") == null && instances == 1) {
            new RetryBacklogPhase(this).run();
        }
        heapPeakBeforeBacklog = heapPeak.get();
        // The backlog phase reads the claim query's plan from the H2 file: embedded database only.
        if (backlog > 0 && phases.contains("backlog") && System.getProperty("bench.db-url") == null && instances == 1) {
            backlog();
        }
        sampler.interrupt();
        results.put("herald_heap_peak_mb_before_backlog", heapPeakBeforeBacklog / (1024 * 1024));
        results.put("herald_max_heap", heap);
        print();
        write();
        return results;
    }

    // --- phases ----------------------------------------------------------------------------

    void throughputHttp() throws Exception {
        reset();
        double cpu0 = heraldCpu();
        double db0 = ProcessCpu.postgres();
        double receiver0 = ProcessCpu.seconds(receiver.pid());
        Map<String, Double> threads0 = ProcessCpu.threads(heralds);
        long t0 = System.nanoTime();
        ingestHttp(events, "bench.throughput");
        double ingestSeconds = (System.nanoTime() - t0) / 1e9;
        JsonNode s = awaitCount(events, Duration.ofMinutes(30));
        double cpu = heraldCpu() - cpu0;
        double dbCpu = ProcessCpu.postgres() - db0;
        double receiverCpu = ProcessCpu.seconds(receiver.pid()) - receiver0;
        Map<String, Object> shares = ProcessCpu.shares(threads0, ProcessCpu.threads(heralds), events);
        double window = (s.get("last_ms").asLong() - s.get("first_ms").asLong()) / 1000.0;
        double totalSeconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("events", events);
        r.put("delivered", s.get("count").asLong());
        r.put("batch", batch);
        r.put("ingest_events_per_s", round(events / ingestSeconds));
        r.put("deliveries_per_s", round(events / Math.max(window, 0.001)));
        r.put("delivery_window_s", round(window));
        r.put("total_s", round(totalSeconds));
        r.put("herald_cpu_s", round(cpu));
        r.put("deliveries_per_cpu_s", round(events / Math.max(cpu, 0.001)));
        r.put("instances", instances);
        r.put("herald_cpu_us_per_delivery", round(cpu * 1e6 / events));
        r.put("postgresql_cpu_us_per_delivery", round(dbCpu * 1e6 / events));
        r.put("receiver_cpu_us_per_delivery", round(receiverCpu * 1e6 / events));
        r.put("latency_p50_ms", ms(s, "p50_us"));
        r.put("latency_p99_ms", ms(s, "p99_us"));
        r.put("cpu_us_per_delivery_by_thread", shares);
        results.put("http_throughput", r);
        row("HTTP ingest (batches of " + batch + ")", r.get("ingest_events_per_s") + " events/s", events + " events");
        row("Delivery rate (HTTP run)", r.get("deliveries_per_s") + " deliveries/s", "over " + r.get("delivery_window_s") + " s");
        row("Herald CPU (HTTP run)", r.get("herald_cpu_s") + " s", r.get("deliveries_per_cpu_s") + " deliveries per CPU-second");
        row("CPU per delivery: Herald / PostgreSQL / receiver", r.get("herald_cpu_us_per_delivery") + " / "
                + r.get("postgresql_cpu_us_per_delivery") + " / " + r.get("receiver_cpu_us_per_delivery") + " us",
                instances + " instance(s); PostgreSQL: every postgres process of this machine");
        shares.entrySet().stream().limit(8).forEach(e ->
                row("  CPU per delivery: " + e.getKey(), e.getValue() + " us", "thread group"));
    }

    /**
     * Events offered at a fixed rate (batches of 50 on a schedule) for a fixed time: does
     * delivery keep up, and how late is an event at the end?
     */
    void sustained() throws Exception {
        if (sustainedSeconds <= 0) {
            return;
        }
        reset();
        int chunk = 50;
        int total = sustainedRate * sustainedSeconds;
        long periodNanos = 1_000_000_000L * chunk / sustainedRate;
        double cpu0 = ProcessCpu.seconds(herald.pid());
        long start = System.nanoTime();
        paced((total + chunk - 1) / chunk, periodNanos, 8,
                i -> postEvents(batchJson(Math.min(chunk, total - i * chunk), "bench.sustained")));
        double offeredSeconds = (System.nanoTime() - start) / 1e9;
        JsonNode s = awaitCount(total, Duration.ofMinutes(30));
        double drainedSeconds = (System.nanoTime() - start) / 1e9;
        double cpu = ProcessCpu.seconds(herald.pid()) - cpu0;
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("offered_per_s", sustainedRate);
        r.put("seconds", sustainedSeconds);
        r.put("ingest_kept_up", offeredSeconds < sustainedSeconds * 1.05);
        r.put("deliveries_per_s", round(total / drainedSeconds));
        r.put("all_delivered_after_s", round(drainedSeconds));
        r.put("latency_p50_ms", ms(s, "p50_us"));
        r.put("latency_p99_ms", ms(s, "p99_us"));
        r.put("herald_cpu_s", round(cpu));
        results.put("sustained", r);
        row("Sustained: " + sustainedRate + " events/s offered for " + sustainedSeconds + " s", r.get("deliveries_per_s")
                + " deliveries/s", "all delivered after " + r.get("all_delivered_after_s") + " s; p50 "
                + r.get("latency_p50_ms") + " ms, p99 " + r.get("latency_p99_ms") + " ms");
    }

    void throughputJms() throws Exception {
        if (jmsEvents <= 0) {
            return;
        }
        reset();
        double cpu0 = ProcessCpu.seconds(herald.pid());
        long t0 = System.nanoTime();
        var factory = new org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory("tcp://127.0.0.1:" + jmsPort,
                JMS_USER, JMS_PASSWORD);
        try (jakarta.jms.Connection c = factory.createConnection()) {
            jakarta.jms.Session session = c.createSession(false, jakarta.jms.Session.AUTO_ACKNOWLEDGE);
            jakarta.jms.MessageProducer producer = session.createProducer(session.createQueue("herald.events"));
            for (int sent = 0; sent < jmsEvents; sent += batch) {
                producer.send(session.createTextMessage(batchJson(Math.min(batch, jmsEvents - sent), "bench.jms")));
            }
        }
        double sendSeconds = (System.nanoTime() - t0) / 1e9;
        JsonNode s = awaitCount(jmsEvents, Duration.ofMinutes(30));
        double total = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("events", jmsEvents);
        r.put("delivered", s.get("count").asLong());
        r.put("messages_of", batch);
        r.put("send_s", round(sendSeconds));
        r.put("events_delivered_per_s", round(jmsEvents / total));
        r.put("herald_cpu_s", round(ProcessCpu.seconds(herald.pid()) - cpu0));
        r.put("latency_p99_ms", ms(s, "p99_us"));
        results.put("jms_throughput", r);
        row("JMS in to delivered (messages of " + batch + ")", r.get("events_delivered_per_s") + " events/s", jmsEvents + " events");
    }

    void latency() throws Exception {
        reset();
        int total = latencyRate * latencySeconds;
        long periodNanos = 1_000_000_000L / latencyRate;
        long[] acceptNanos = new long[total];
        paced(total, periodNanos, 16, i -> {
            long sent = System.nanoTime();
            postEvents(event("bench.latency"));
            acceptNanos[i] = System.nanoTime() - sent;
        });
        java.util.Arrays.sort(acceptNanos);
        JsonNode s = awaitCount(total, Duration.ofMinutes(5));
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("rate_per_s", latencyRate);
        r.put("seconds", latencySeconds);
        r.put("p50_ms", ms(s, "p50_us"));
        r.put("p95_ms", ms(s, "p95_us"));
        r.put("p99_ms", ms(s, "p99_us"));
        r.put("max_ms", ms(s, "max_us"));
        r.put("ingest_202_p50_ms", round(acceptNanos[total / 2] / 1e6));
        r.put("ingest_202_p99_ms", round(acceptNanos[(int) (total * 0.99)] / 1e6));
        r.put("measured", "from the moment the driver sends the event to Herald to the moment the receiver reads the delivery");
        results.put("latency", r);
        row("Latency at " + latencyRate + " events/s, p50 / p95 / p99",
                r.get("p50_ms") + " / " + r.get("p95_ms") + " / " + r.get("p99_ms") + " ms", "max " + r.get("max_ms")
                + " ms; the 202 itself: p50 " + r.get("ingest_202_p50_ms") + " ms, p99 " + r.get("ingest_202_p99_ms") + " ms");
    }

    /** The raw limit: HttpClient 5 classic, same receiver, same concurrency, same body size, each body signed. */
    void baseline() throws Exception {
        reset();
        var cm = PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnTotal(baselineThreads).setMaxConnPerRoute(baselineThreads).build();
        AtomicLong done = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(baselineThreads);
        try (CloseableHttpClient http = HttpClients.custom().setConnectionManager(cm).disableAutomaticRetries().build()) {
            long t0 = System.nanoTime();
            for (int t = 0; t < baselineThreads; t++) {
                pool.submit(() -> {
                    Mac mac = Mac.getInstance("HmacSHA256");
                    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
                    while (!stop.get()) {
                        byte[] body = event("bench.baseline").getBytes(StandardCharsets.UTF_8);
                        HttpPost p = new HttpPost(receiverUrl("/baseline"));
                        p.setHeader("X-Webhook-Signature", HexFormat.of().formatHex(mac.doFinal(body)));
                        p.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_JSON));
                        http.execute(p, response -> {
                            EntityUtils.consume(response.getEntity());
                            return response.getCode();
                        });
                        done.incrementAndGet();
                    }
                    return null;
                });
            }
            Thread.sleep(baselineSeconds * 1000L);
            stop.set(true);
            pool.shutdown();
            pool.awaitTermination(30, TimeUnit.SECONDS);
            double seconds = (System.nanoTime() - t0) / 1e9;
            double rate = done.get() / seconds;
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("threads", baselineThreads);
            r.put("requests_per_s", round(rate));
            results.put("baseline", r);
            @SuppressWarnings("unchecked")
            Map<String, Object> run = (Map<String, Object>) results.getOrDefault("http_throughput", Map.of("deliveries_per_s", 0));
            double herald = ((Number) run.get("deliveries_per_s")).doubleValue();
            results.put("herald_to_baseline", Math.round(herald / rate * 1000) / 1000.0);
            row("Baseline: HttpClient 5, " + baselineThreads + " threads, signed", r.get("requests_per_s") + " requests/s", "same receiver and body");
            row("Herald / baseline", String.valueOf(results.get("herald_to_baseline")), "target >= 0.25, goal 0.65");
        }
    }

    /**
     * N deliveries pile up while their endpoint is down (each fails once and waits for its
     * retry in the database); the endpoint comes back and the backlog drains.
     */
    void backlog() throws Exception {
        int downPort = freePort();
        createWebhook("http://127.0.0.1:" + downPort + "/backlog", "backlog.*",
                "[\"" + String.join("\",\"", backlogSchedule.split(",")) + "\"]");
        heapPeak.set(0);
        long t0 = System.nanoTime();
        // A tenth first, then the rest: the claim query's plan and cost at both sizes (Herald stopped
        // cleanly each time so the driver can open the database).
        int first = backlog / 10;
        ingestHttp(first, "backlog.item");
        stopHerald();
        Map<String, Object> planSmall = claimQueryPlan(work.resolve("data"));
        herald = startHerald(work.resolve("data"));
        heralds.set(0, herald);
        ingestHttp(backlog - first, "backlog.item");
        double ingestSeconds = (System.nanoTime() - t0) / 1e9;
        stopHerald();
        Map<String, Object> plan = claimQueryPlan(work.resolve("data"));
        herald = startHerald(work.resolve("data"));
        heralds.set(0, herald);
        Process second = startReceiver(downPort);
        long up = System.nanoTime();
        double cpu0 = ProcessCpu.seconds(herald.pid());
        long inFirstMinute = -1;
        while (System.nanoTime() - up < 60_000_000_000L) {
            if (stats(downPort).get("count").asLong() >= backlog) {
                break;
            }
            Thread.sleep(250);
        }
        if (System.nanoTime() - up >= 60_000_000_000L) {
            inFirstMinute = stats(downPort).get("count").asLong();
        }
        JsonNode s = awaitCount(second, downPort, backlog, Duration.ofHours(2));
        double drain = (System.nanoTime() - up) / 1e9;
        double window = (s.get("last_ms").asLong() - s.get("first_ms").asLong()) / 1000.0;
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("deliveries", backlog);
        r.put("delivered", s.get("count").asLong());
        r.put("ingest_s", round(ingestSeconds));
        r.put("endpoint_up_to_all_delivered_s", round(drain));
        r.put("first_to_last_delivery_s", round(window));
        r.put("drain_deliveries_per_s", round(backlog / Math.max(window, 0.001)));
        r.put("delivered_in_first_60_s", inFirstMinute < 0 ? backlog : inFirstMinute);
        r.put("herald_cpu_s", round(ProcessCpu.seconds(herald.pid()) - cpu0));
        r.put("herald_heap_peak_mb", heapPeak.get() / (1024 * 1024));
        r.put("claim_query_at_tenth", planSmall);
        r.put("claim_query_at_full", plan);
        r.put("schedule", backlogSchedule);
        r.put("note", "rows fail while the endpoint is down and come due again on the schedule; the endpoint"
                + " comes back when the last is ingested, so the drain follows both Herald's rate and the due times");
        results.put("backlog", r);
        second.destroy();
        row("Backlog of " + backlog + " after the endpoint is back", r.get("delivered_in_first_60_s")
                + " in the first 60 s", "all delivered " + r.get("endpoint_up_to_all_delivered_s") + " s after it came back");
        row("Herald peak heap during the backlog", r.get("herald_heap_peak_mb") + " MB", "-Xmx" + heap);
        row("Claim query (500 due rows)", planSmall.get("median_ms") + " ms at " + planSmall.get("pending_rows")
                + " pending, " + plan.get("median_ms") + " ms at " + plan.get("pending_rows"), "index: " + plan.get("index"));
    }

    // --- Herald and the receiver --------------------------------------------------------------

    Process startHerald(Path data) throws Exception {
        return startHerald(data, heraldPort, jmsPort, "herald.log");
    }

    /** All instances share bench.db-url (their own H2 file without it); each has its own ports and log. */
    Process startHerald(Path data, int httpPort, int brokerPort, String log) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        int managementPort = freePort();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx" + heap));
        for (String extra : System.getProperty("bench.herald-args", "").split(" ")) {
            if (!extra.isBlank()) {
                command.add(extra);
            }
        }
        command.addAll(List.of(
                "-Dherald.http.port=" + httpPort,
                "-Dherald.management.port=" + managementPort,
                "-Dherald.delivery.per-endpoint-concurrency=" + concurrency,
                "-Dherald.data.dir=" + data,
                "-Dherald.db.url=" + System.getProperty("bench.db-url",
                        "jdbc:h2:file:" + data.resolve("herald") + ";DB_CLOSE_ON_EXIT=FALSE" + System.getProperty("bench.db-options", "")),
                "-Dherald.api.keys=" + KEY,
                "-Dherald.delivery.allowed-networks=127.0.0.0/8",
                "-Dherald.jms.embedded.port=" + brokerPort,
                "-Dherald.jms.embedded.user=" + JMS_USER,
                "-Dherald.jms.embedded.password=" + JMS_PASSWORD,
                "-Dherald.routes.dir=" + work.resolve("routes"),
                "-cp", classpath(), "dev.herald.Herald"));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve(log).toFile()));
        Process p = pb.start();
        long end = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            try {
                // Readiness: every route started (the API answers 503 "starting" while routes are still added).
                if (client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/observe/health/ready"))
                        .build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return p;
                }
            } catch (IOException e) {
                // not up yet
            }
            if (System.nanoTime() > end || !p.isAlive()) {
                throw new IllegalStateException("Herald did not start; see " + work.resolve(log));
            }
            Thread.sleep(100);
        }
    }

    /** The test classpath: given by the bench profile (exec:java runs inside Maven), else this JVM's. */
    static String classpath() {
        String dirs = System.getProperty("bench.classpath");
        if (dirs == null) {
            return System.getProperty("java.class.path");
        }
        try {
            return dirs + java.io.File.pathSeparator + Files.readString(Path.of(System.getProperty("bench.classpath-file"))).trim();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    void stopHerald() throws InterruptedException {
        herald.destroy();
        herald.waitFor(60, TimeUnit.SECONDS);
    }

    Process startReceiver(int port) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx2g", "-cp", classpath(),
                BenchReceiver.class.getName(), Integer.toString(port));
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve("receiver-" + port + ".log").toFile()));
        Process p = pb.start();
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                stats(port);
                return p;
            } catch (IOException e) {
                if (System.nanoTime() > end) {
                    throw new IllegalStateException("receiver did not start", e);
                }
                Thread.sleep(100);
            }
        }
    }

    void stopAll() {
        List<Process> all = new ArrayList<>(heralds);
        if (heralds.isEmpty()) {
            all.add(herald);
        }
        all.add(receiver);
        for (Process p : all) {
            if (p != null) {
                p.destroy();
                try {
                    p.waitFor(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        // A run leaves about 4 GB of H2 file behind otherwise; a few runs filled the disk (and a
        // nearly full disk blocks Artemis producers in the tests).
        if (work != null) {
            try (java.util.stream.Stream<Path> files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (java.io.IOException | RuntimeException e) {
                System.err.println("[bench] could not delete " + work + ": " + e.getMessage());
            }
        }
    }

    void createWebhook(String url, String pattern, String schedule) throws Exception {
        String body = "{\"url\":\"" + url + "\",\"events\":[\"" + pattern + "\"],\"secret\":\"" + SECRET + "\""
                + (schedule == null ? "" : ",\"retry_schedule\":" + schedule) + "}";
        HttpResponse<String> r = client.send(post("/v1/webhooks", body), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("webhook not created: " + r.body());
        }
    }

    /** Ingests n events over HTTP in batches from several threads. */
    void ingestHttp(int n, String type) throws Exception {
        paced((n + batch - 1) / batch, 0, ingestThreads,
                i -> postEvents(batchJson(Math.min(batch, n - i * batch), type)));
    }

    interface Slot {
        void send(int slot) throws Exception;
    }

    /**
     * Sends slots 0..n-1 from a pool of threads on kept-alive connections: slot i leaves at
     * start + i * periodNanos (0: as fast as the threads go), whichever thread is free sends it.
     */
    static void paced(int n, long periodNanos, int threads, Slot slot) throws Exception {
        long start = System.nanoTime();
        AtomicLong next = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    int i;
                    while ((i = (int) next.getAndIncrement()) < n) {
                        long wait = start + i * periodNanos - System.nanoTime();
                        if (wait > 0) {
                            TimeUnit.NANOSECONDS.sleep(wait);
                        }
                        slot.send(i);
                    }
                    return null;
                }));
            }
            for (var f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** The driver's ingest client: HttpClient 5 classic, kept-alive connections (the JDK client cost more than Herald). */
    final CloseableHttpClient ingestClient = HttpClients.custom().disableAutomaticRetries()
            .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create().setMaxConnTotal(64)
                    .setMaxConnPerRoute(64).build()).build();

    void postEvents(String json) throws IOException {
        int port = ingestPorts.isEmpty() ? heraldPort
                : ingestPorts.get((int) (nextIngest.getAndIncrement() % ingestPorts.size()));
        HttpPost p = new HttpPost("http://127.0.0.1:" + port + "/v1/events");
        p.setHeader("Authorization", "Bearer " + KEY);
        p.setEntity(new ByteArrayEntity(json.getBytes(StandardCharsets.UTF_8), ContentType.APPLICATION_JSON));
        ingestClient.execute(p, response -> {
            String body = EntityUtils.toString(response.getEntity());
            if (response.getCode() != 202) {
                throw new IllegalStateException("ingest answered " + response.getCode() + ": " + body);
            }
            return null;
        });
    }

    String batchJson(int size, String type) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < size; i++) {
            b.append(i == 0 ? "" : ",").append(event(type));
        }
        return b.append(']').toString();
    }

    /** One event whose delivered envelope is about bench.body-bytes long, stamped with its send time. */
    String event(String type) {
        String head = "{\"type\":\"" + type + "\",\"data\":{\"sent_at\":" + BenchReceiver.nowMicros() + ",\"pad\":\"";
        int pad = Math.max(0, bodyBytes - head.length() - 80);
        return head + "x".repeat(pad) + "\"}}";
    }

    HttpRequest post(String path, String body) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + heraldPort + path))
                .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    HttpRequest request(String method, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + heraldPort + path))
                .header("Authorization", "Bearer " + KEY).timeout(Duration.ofSeconds(60))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
    }

    String receiverUrl(String path) {
        return "http://127.0.0.1:" + receiverPort + path;
    }

    void reset() throws Exception {
        client.send(HttpRequest.newBuilder(URI.create(receiverUrl("/reset"))).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    JsonNode stats(int port) throws IOException, InterruptedException {
        return JSON.readTree(client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/stats")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    JsonNode awaitCount(long n, Duration timeout) throws Exception {
        return awaitCount(receiver, receiverPort, n, timeout);
    }

    JsonNode awaitCount(Process p, int port, long n, Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode s = stats(port);
            if (s.get("count").asLong() >= n) {
                return s;
            }
            if (System.nanoTime() > end || !heralds.stream().allMatch(Process::isAlive) || !p.isAlive()) {
                throw new IllegalStateException("only " + s.get("count") + " of " + n + " deliveries arrived");
            }
            Thread.sleep(smoke ? 50 : 250);
        }
    }

    /** EXPLAIN ANALYZE and timing of the scheduler's claim query, on the database Herald left. */
    Map<String, Object> claimQueryPlan(Path data) throws Exception {
        String sql = dev.herald.delivery.log.DeliveryClaims.claimQuery(500);
        Map<String, Object> r = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + data.resolve("herald"), "sa", "")) {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT COUNT(*) FROM delivery WHERE status = 'pending'")) {
                rs.next();
                r.put("pending_rows", rs.getLong(1));
            }
            long now = System.currentTimeMillis() + 3_600_000;
            try (PreparedStatement ps = c.prepareStatement("EXPLAIN " + sql)) {
                ps.setLong(1, now);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    String plan = rs.getString(1);
                    r.put("plan", plan.replaceAll("\\s+", " "));
                    r.put("index", plan.contains("DELIVERY_CLAIM") ? "delivery_claim (status, due_at)" : "none");
                    r.put("index_sorted", plan.contains("index sorted"));
                }
            }
            List<Double> times = new ArrayList<>();
            for (int i = 0; i < 21; i++) {
                long t = System.nanoTime();
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setLong(1, now);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            rs.getString(1);
                        }
                    }
                }
                times.add((System.nanoTime() - t) / 1e6);
            }
            times.sort(Double::compare);
            r.put("median_ms", round(times.get(times.size() / 2)));
        }
        return r;
    }

    /**
     * Floods like the measured one until the JIT compiler has little left to do. On 2 cores the one
     * C2 thread gets little CPU during a flood, and methods called once per batch (2,000 times per
     * flood) reach C2 only after several floods: after two floods the compiler still took 25% of
     * Herald's CPU in the measured flood (44 us per delivery), after four 6%. A Herald that has run
     * for a while has compiled all of it; the figures are for that steady state.
     */
    void warmUp() throws Exception {
        int floods = 0;
        int done = 0;
        double jitShare = 1;
        while (done < warmup && jitShare >= warmupJitShare) {
            int n = Math.min(events, warmup - done);
            reset();
            double cpu0 = heraldCpu();
            double jit0 = ProcessCpu.compiler(ProcessCpu.threads(heralds));
            ingestHttp(n, "bench.warmup");
            awaitCount(n, Duration.ofMinutes(5));
            jitShare = (ProcessCpu.compiler(ProcessCpu.threads(heralds)) - jit0) / Math.max(0.01, heraldCpu() - cpu0);
            done += n;
            floods++;
            System.out.printf("[bench] Warm-up flood %d (%d events): JIT compiler threads %.0f%% of Herald's CPU%n",
                    floods, n, jitShare * 100);
            settle();
        }
        results.put("warmup_events", done);
        results.put("warmup_last_flood_jit_share", round(jitShare));
        row("Warm-up before the phases", done + " events", String.format("%d floods; JIT %.0f%% of CPU in the last",
                floods, jitShare * 100));
    }

    // --- measuring ----------------------------------------------------------------------------------

    /**
     * Waits until Herald is idle (under 5% of a core for 3 s in a row, at most 2 min). After the
     * warm-up flood the JIT compiler still has a queue of hot methods it could not get a core for
     * (jcmd Compiler.queue showed 100-180 entries during a flood on 2 cores); measured without
     * this wait, the compiler took 20-30% of Herald's CPU in the measured phase.
     */
    void settle() throws InterruptedException {
        long t0 = System.nanoTime();
        double last = heraldCpu();
        int quiet = 0;
        while (quiet < 3 && System.nanoTime() - t0 < 120_000_000_000L) {
            Thread.sleep(1000);
            double now = heraldCpu();
            quiet = now - last < 0.05 ? quiet + 1 : 0;
            last = now;
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        results.put("settle_after_warmup_s", round(seconds));
        System.out.printf("[bench] Herald idle %.1f s after the warm-up%n", seconds);
    }

    /** Samples Herald's used heap once a second with jcmd GC.heap_info. */
    Thread heapSampler() {
        Thread t = new Thread(() -> {
            String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Process p = new ProcessBuilder(jcmd, Long.toString(herald.pid()), "GC.heap_info").redirectErrorStream(true).start();
                    String text = new String(p.getInputStream().readAllBytes());
                    var m = java.util.regex.Pattern.compile("used (\\d+)K").matcher(text);
                    if (m.find()) {
                        long used = Long.parseLong(m.group(1)) * 1024;
                        heapPeak.accumulateAndGet(used, Math::max);
                    }
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    // Herald restarting: try again
                }
            }
        }, "heap-sampler");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** CPU seconds of every Herald instance together. */
    double heraldCpu() {
        return ProcessCpu.seconds(heralds);
    }

    Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("java", System.getProperty("java.version"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        try {
            String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?");
            m.put("cpu", cpu);
            String mem = Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("\\s+", " ");
            m.put("memory", mem);
        } catch (IOException e) {
            m.put("cpu", "?");
        }
        m.put("date", Instant.now().toString());
        return m;
    }

    Map<String, Object> settings() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("database", System.getProperty("bench.db-url", "embedded H2 (default configuration)"));
        s.put("concurrency", concurrency);
        s.put("webhooks", 1);
        s.put("instances", instances);
        s.put("body_bytes", bodyBytes);
        s.put("events", events);
        s.put("jms_events", jmsEvents);
        s.put("batch", batch);
        s.put("sustained_rate", sustainedRate);
        s.put("sustained_seconds", sustainedSeconds);
        s.put("ingest_threads", ingestThreads);
        s.put("backlog", backlog);
        s.put("herald_heap", heap);
        return s;
    }

    void row(String what, String value, String note) {
        table.add(new String[] {what, value, note});
        System.out.printf("[bench] %s: %s (%s)%n", what, value, note);
    }

    void print() {
        System.out.println();
        System.out.println("Herald benchmark  (" + results.get("machine") + ")");
        for (String[] r : table) {
            System.out.printf("  %-58s %22s   %s%n", r[0], r[1], r[2]);
        }
        System.out.printf("  %-58s %22s%n", "Herald peak heap used before the backlog (sampled 1/s)",
                heapPeakBeforeBacklog / (1024 * 1024) + " MB of " + heap);
        System.out.println();
    }

    void write() throws IOException {
        Files.createDirectories(out);
        Path file = out.resolve((smoke ? "smoke-" : "") + Instant.now().toString().replace(":", "") + ".json");
        ObjectNode node = JSON.valueToTree(results);
        Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n");
        System.out.println("results: " + file);
    }

    static double ms(JsonNode s, String field) {
        return Math.round(s.get(field).asLong() / 100.0) / 10.0;
    }

    static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
