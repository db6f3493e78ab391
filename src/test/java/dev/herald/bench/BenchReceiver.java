package dev.herald.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fast receiver of the benchmark, in its own process: answers every POST 200 and,
 * for bodies carrying {@code "sent_at":<epoch micros>}, records the latency from the
 * moment the event was sent to Herald to its arrival here. {@code GET /stats} reports,
 * {@code POST /reset} starts a new phase.
 */
public final class BenchReceiver {

    private static final int MAX_SAMPLES = 4_000_000;
    private final long[] latencies = new long[MAX_SAMPLES];
    private final AtomicInteger samples = new AtomicInteger();
    private final AtomicLong count = new AtomicLong();
    private final AtomicLong first = new AtomicLong();
    private final AtomicLong last = new AtomicLong();

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        new BenchReceiver().start(port);
    }

    void start(int port) {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setPort(port).setHost("127.0.0.1")
                .setTcpNoDelay(true).setIdleTimeout(0));
        server.requestHandler(req -> {
            if (req.path().equals("/stats")) {
                req.response().putHeader("Content-Type", "application/json").end(stats());
                return;
            }
            if (req.path().equals("/reset")) {
                reset();
                req.response().end("{}");
                return;
            }
            req.body().onSuccess(body -> {
                long now = System.currentTimeMillis();
                first.compareAndSet(0, now);
                last.set(now);
                count.incrementAndGet();
                long sentAt = sentAt(body.getBytes());
                if (sentAt > 0) {
                    int i = samples.getAndIncrement();
                    if (i < MAX_SAMPLES) {
                        latencies[i] = nowMicros() - sentAt;
                    }
                }
                req.response().setStatusCode(200).end("ok");
            });
        });
        server.listen().toCompletionStage().toCompletableFuture().join();
        System.out.println("bench receiver listening on " + port);
    }

    static long nowMicros() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }

    private static long sentAt(byte[] body) {
        byte[] key = "\"sent_at\":".getBytes();
        outer:
        for (int i = 0; i + key.length < body.length; i++) {
            for (int k = 0; k < key.length; k++) {
                if (body[i + k] != key[k]) {
                    continue outer;
                }
            }
            long v = 0;
            for (int j = i + key.length; j < body.length && body[j] >= '0' && body[j] <= '9'; j++) {
                v = v * 10 + (body[j] - '0');
            }
            return v;
        }
        return 0;
    }

    private synchronized void reset() {
        samples.set(0);
        count.set(0);
        first.set(0);
        last.set(0);
    }

    private synchronized String stats() {
        int n = Math.min(samples.get(), MAX_SAMPLES);
        long[] copy = Arrays.copyOf(latencies, n);
        Arrays.sort(copy);
        return "{\"count\":" + count.get() + ",\"first_ms\":" + first.get() + ",\"last_ms\":" + last.get()
                + ",\"samples\":" + n + ",\"p50_us\":" + pct(copy, 0.50) + ",\"p95_us\":" + pct(copy, 0.95)
                + ",\"p99_us\":" + pct(copy, 0.99) + ",\"max_us\":" + (n == 0 ? 0 : copy[n - 1]) + "}";
    }

    private static long pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }
}
