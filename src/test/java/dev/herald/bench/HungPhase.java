package dev.herald.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Phase {@code hung} (issue 26): the healthy receiver's latency, send to arrival, at a steady rate,
 * without and then while {@code bench.hung-receivers} receivers (8) accept connections and never
 * answer, each with a backlog of {@code bench.hung-backlog} events (40). Herald runs with its
 * shipped delivery settings (10 s timeout, 32 threads, 8 attempts per receiver).
 */
final class HungPhase {

    private final Benchmark b;
    private final int receivers = Integer.getInteger("bench.hung-receivers", 8);
    private final int backlog = Integer.getInteger("bench.hung-backlog", 40);
    private final int rate = Integer.getInteger("bench.hung-rate", 50);
    private final int seconds = Integer.getInteger("bench.hung-seconds", 8);

    HungPhase(Benchmark b) {
        this.b = b;
    }

    /** Accepts connections and reads; never answers. */
    static final class Hung implements AutoCloseable {
        final ServerSocket server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        final AtomicInteger open = new AtomicInteger();

        Hung() throws IOException {
            Thread t = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket s = server.accept();
                        open.incrementAndGet();
                        Thread r = new Thread(() -> {
                            try (s; InputStream in = s.getInputStream()) {
                                in.transferTo(OutputStreamNull.INSTANCE);
                            } catch (IOException ignored) {
                                // closed
                            } finally {
                                open.decrementAndGet();
                            }
                        });
                        r.setDaemon(true);
                        r.start();
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "bench-hung");
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    private static final class OutputStreamNull extends java.io.OutputStream {
        static final OutputStreamNull INSTANCE = new OutputStreamNull();

        @Override
        public void write(int c) {
        }

        @Override
        public void write(byte[] buf, int off, int len) {
        }
    }

    void run() throws Exception {
        Map<String, Object> r = new LinkedHashMap<>();
        Map<String, Object> without = healthy();
        r.put("without", without);
        List<Hung> hung = new ArrayList<>();
        List<String> hooks = new ArrayList<>();
        try {
            for (int i = 0; i < receivers; i++) {
                Hung h = new Hung();
                hung.add(h);
                hooks.add(webhook("http://127.0.0.1:" + h.server.getLocalPort() + "/hook", "hung.r" + i));
            }
            for (int n = 0; n < backlog; n++) {
                for (int i = 0; i < receivers; i++) {
                    b.postEvents(b.event("hung.r" + i));
                }
            }
            long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (hung.stream().mapToInt(h -> h.open.get()).sum() < Math.min(32, receivers * 8) && System.nanoTime() < end) {
                Thread.sleep(50);
            }
            int held = hung.stream().mapToInt(h -> h.open.get()).sum();
            Map<String, Object> with = healthy();
            with.put("connections_held_by_hung_receivers", held);
            r.put("with", with);
        } finally {
            for (String id : hooks) {
                b.client.send(b.request("DELETE", "/v1/webhooks/" + id), HttpResponse.BodyHandlers.ofString());
            }
            for (Hung h : hung) {
                h.close();
            }
        }
        r.put("receivers", receivers);
        r.put("backlog_each", backlog);
        r.put("rate_per_s", rate);
        r.put("measured", "healthy receiver, from the moment the driver sends the event to its arrival");
        b.results.put("hung", r);
        b.row("Healthy receiver p50 / p99, without / with " + receivers + " hung receivers",
                without.get("p50_ms") + " / " + without.get("p99_ms") + " ms; "
                        + ((Map<?, ?>) r.get("with")).get("p50_ms") + " / " + ((Map<?, ?>) r.get("with")).get("p99_ms") + " ms",
                rate + " events/s for " + seconds + " s; each hung receiver has " + backlog + " events waiting");
    }

    private Map<String, Object> healthy() throws Exception {
        b.reset();
        int total = rate * seconds;
        Benchmark.paced(total, 1_000_000_000L / rate, 4, i -> b.postEvents(b.event("bench.healthy")));
        JsonNode s = b.awaitCount(total, Duration.ofMinutes(10));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("p50_ms", Benchmark.ms(s, "p50_us"));
        m.put("p99_ms", Benchmark.ms(s, "p99_us"));
        m.put("max_ms", Benchmark.ms(s, "max_us"));
        return m;
    }

    private String webhook(String url, String type) throws Exception {
        HttpResponse<String> r = b.client.send(b.post("/v1/webhooks", "{\"url\":\"" + url + "\",\"events\":[\"" + type + "\"]}"),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("webhook not created: " + r.body());
        }
        return Benchmark.JSON.readTree(r.body()).get("id").asText();
    }
}
