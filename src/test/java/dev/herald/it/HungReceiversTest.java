package dev.herald.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

import static dev.herald.it.HeraldApp.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 26's isolation bound, with the shipped delivery settings (10 s timeout, 32 threads, 8 per
 * receiver): while 8 receivers accept connections and never answer, each with a backlog of 40
 * events, a healthy receiver's p99 from acceptance (the 202) to arrival stays within twice its p99
 * without them, or under 500 ms. Nothing is lost meanwhile: every healthy event arrives once, and
 * the hung receivers' attempts are in the log as timeouts.
 */
class HungReceiversTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int HUNG = 8;
    private static final int BACKLOG = 40;
    private static final int SAMPLES = 100;

    /** Accepts connections, reads what comes and never answers; counts the connections Herald holds open. */
    static final class HungReceiver implements AutoCloseable {
        final ServerSocket server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        final AtomicInteger open = new AtomicInteger();
        /**
         * The most connections open at once in the first 5 s (half the deadline), before Herald can have
         * cut one: a connection Herald closed at its deadline is seen closed here only when its reader
         * thread runs, and on a busy machine the next attempt's connection may be accepted first.
         */
        final AtomicInteger maxOpen = new AtomicInteger();
        final AtomicInteger accepted = new AtomicInteger();
        volatile boolean closedOne;
        private long firstAccept;

        HungReceiver() throws IOException {
            Thread t = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket s = server.accept();
                        accepted.incrementAndGet();
                        int now = open.incrementAndGet();
                        long at = System.nanoTime();
                        if (firstAccept == 0) {
                            firstAccept = at;
                        }
                        if (!closedOne && at - firstAccept < 5_000_000_000L) {
                            maxOpen.accumulateAndGet(now, Math::max);
                        }
                        Thread r = new Thread(() -> drainUntilClosed(s), "hung-conn");
                        r.setDaemon(true);
                        r.start();
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "hung-receiver");
            t.setDaemon(true);
            t.start();
        }

        private void drainUntilClosed(Socket s) {
            try (s; InputStream in = s.getInputStream()) {
                byte[] buf = new byte[4096];
                while (in.read(buf) >= 0) {
                    // the request, then nothing until Herald gives up and closes
                }
            } catch (IOException ignored) {
                // closed
            } finally {
                closedOne = true;
                open.decrementAndGet();
            }
        }

        String url() {
            return "http://127.0.0.1:" + server.getLocalPort() + "/hook";
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    /** Shipped defaults: only what the test harness must set (ports, data dir, loopback allowed). */
    private static Map<String, String> shippedDelivery() {
        Map<String, String> m = new HashMap<>();
        m.put("herald.delivery.timeout", null);
        m.put("herald.delivery.lease", null);
        m.put("herald.delivery.poll-interval", null);
        return m;
    }

    private static String hook(HeraldApp herald, String url, String type) throws Exception {
        HttpResponse<String> r = herald.call("POST", "/v1/webhooks", "{\"url\":\"" + url + "\",\"events\":[\"" + type + "\"]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return JSON.readTree(r.body()).get("id").asText();
    }

    private record Accepted(String eventId, String deliveryId, long at) {
    }

    /**
     * One event; {@code at} is when its request left, so a latency counts from a moment just before
     * acceptance (the 202 itself often comes back after the delivery has arrived).
     */
    private static Accepted send(HeraldApp herald, String type) throws Exception {
        long at = System.currentTimeMillis();
        HttpResponse<String> r = herald.call("POST", "/v1/events", "{\"type\":\"" + type + "\",\"data\":{\"n\":1}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        JsonNode reply = JSON.readTree(r.body());
        return new Accepted(reply.get("id").asText(), reply.get("deliveries").get(0).asText(), at);
    }

    /** Sends SAMPLES events to the healthy receiver, 20 ms apart; their latencies, acceptance to arrival, sorted. */
    private static long[] healthyLatencies(HeraldApp herald, Receiver healthy) throws Exception {
        List<Accepted> sent = new ArrayList<>();
        for (int i = 0; i < SAMPLES; i++) {
            sent.add(send(herald, "hung.healthy"));
            Thread.sleep(20);
        }
        waitUntil(Duration.ofSeconds(180), () -> sent.stream().allMatch(a -> arrival(healthy, a.eventId()) != null));
        long[] out = sent.stream().mapToLong(a -> Math.max(0, arrival(healthy, a.eventId()) - a.at())).sorted().toArray();
        assertThat(out).hasSize(SAMPLES);
        return out;
    }

    private static Long arrival(Receiver r, String eventId) {
        for (Receiver.Request q : r.requests) {
            if (eventId.equals(q.header("X-Webhook-Id"))) {
                return q.at();
            }
        }
        return null;
    }

    private static long percentile(long[] sorted, double p) {
        return sorted[(int) Math.ceil(p * sorted.length) - 1];
    }

    private static JsonNode delivery(HeraldApp herald, String id) {
        try {
            HttpResponse<String> r = herald.call("GET", "/v1/deliveries/" + id, null);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            return JSON.readTree(r.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void hungReceiversDoNotSlowAHealthyOne() throws Exception {
        List<HungReceiver> hung = new ArrayList<>();
        try (Receiver healthy = new Receiver(); HeraldApp herald = new HeraldApp(shippedDelivery())) {
            for (int i = 0; i < HUNG; i++) {
                hung.add(new HungReceiver());
            }
            hook(herald, healthy.url("/in"), "hung.healthy");
            // Warm up (JIT, connection pool), then the figures without hung receivers.
            healthyLatencies(herald, healthy);
            long[] without = healthyLatencies(herald, healthy);

            List<Accepted> backlog = new ArrayList<>();
            for (int i = 0; i < HUNG; i++) {
                hook(herald, hung.get(i).url(), "hung.r" + i);
            }
            for (int n = 0; n < BACKLOG; n++) {
                for (int i = 0; i < HUNG; i++) {
                    backlog.add(send(herald, "hung.r" + i));
                }
            }
            // The hung receivers hold what they can: all 64 attempts their per-endpoint bound allows, or
            // (when threads are what a waiting request holds) every one of the 32 threads.
            waitUntil(Duration.ofSeconds(30), () -> hung.stream().mapToInt(h -> h.open.get()).sum() >= 32);
            long[] with = healthyLatencies(herald, healthy);

            long p99Without = percentile(without, 0.99);
            long p99With = percentile(with, 0.99);
            System.out.printf("HungReceiversTest: healthy receiver, request to arrival: without hung receivers"
                            + " p50 %d ms p99 %d ms; with %d hung receivers (backlog %d each, %d connections held)"
                            + " p50 %d ms p99 %d ms%n", percentile(without, 0.5), p99Without, HUNG, BACKLOG,
                    hung.stream().mapToInt(h -> h.open.get()).sum(), percentile(with, 0.5), p99With);
            assertThat(p99With).as("healthy p99 with hung receivers (without: %d ms)", p99Without)
                    .isLessThanOrEqualTo(Math.max(2 * p99Without, 500));

            // Nothing lost: the hung receivers' first attempts end at the deadline and are logged as
            // timeouts; no hung delivery is anything but waiting or failed by a timeout.
            waitUntil(Duration.ofSeconds(60), () -> backlog.stream()
                    .filter(a -> delivery(herald, a.deliveryId()).get("attempts").size() > 0).count() >= HUNG * 8L);
            Map<String, Long> errors = backlog.stream()
                    .flatMap(a -> {
                        JsonNode d = delivery(herald, a.deliveryId());
                        assertThat(d.get("status").asText()).isIn("pending", "failed");
                        List<String> e = new ArrayList<>();
                        d.get("attempts").forEach(at -> e.add(at.get("error").asText().replaceAll("\\d+ ms", "N ms")));
                        return e.stream();
                    })
                    .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            assertThat(errors.keySet()).containsExactly("timeout: no complete response within N ms");
            assertThat(errors.values().iterator().next()).isGreaterThanOrEqualTo(HUNG * 8L);
            for (HungReceiver h : hung) {
                assertThat(h.maxOpen.get()).as("connections at one hung receiver at once (per-endpoint bound)").isBetween(1, 8);
            }

            // Every healthy event arrived exactly once.
            Map<String, Long> perEvent = healthy.requests.stream()
                    .collect(Collectors.groupingBy(r -> r.header("X-Webhook-Id"), Collectors.counting()));
            assertThat(perEvent).hasSize(3 * SAMPLES);
            assertThat(perEvent.values()).containsOnly(1L);
            assertThat(healthy.requests).allMatch(r -> r.path().equals("/in"));
        } finally {
            for (HungReceiver h : hung) {
                h.close();
            }
        }
    }
}
