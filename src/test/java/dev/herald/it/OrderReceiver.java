package dev.herald.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiPredicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A loopback receiver of ordered deliveries: events carry {@code data.k} (their key) and {@code data.n}
 * (their number within the key). It keeps every arrival, fails the attempts {@link #fail} picks, and
 * counts how many requests of one key it holds at once (ordered delivery allows one).
 */
final class OrderReceiver implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    record Arrival(String key, int n, int status) {
    }

    final List<Arrival> arrivals = new CopyOnWriteArrayList<>();
    /** (key, n) and the attempt number at this receiver (1 for the first) → answer 500. */
    volatile BiPredicate<Arrival, Integer> fail = (a, attempt) -> false;
    volatile long delayMillis;
    final AtomicInteger maxInFlightPerKey = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final AtomicInteger allInFlight = new AtomicInteger();
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final HttpServer server;

    OrderReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            JsonNode event;
            try (InputStream in = exchange.getRequestBody()) {
                event = JSON.readTree(in.readAllBytes());
            }
            String key = event.at("/data/k").asText();
            int n = event.at("/data/n").asInt();
            AtomicInteger mine = inFlight.computeIfAbsent(key, k -> new AtomicInteger());
            maxInFlightPerKey.accumulateAndGet(mine.incrementAndGet(), Math::max);
            maxInFlight.accumulateAndGet(allInFlight.incrementAndGet(), Math::max);
            try {
                if (delayMillis > 0) {
                    Thread.sleep(delayMillis);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            int attempt = attempts.computeIfAbsent(key + "/" + n, x -> new AtomicInteger()).incrementAndGet();
            int status = fail.test(new Arrival(key, n, 0), attempt) ? 500 : 200;
            arrivals.add(new Arrival(key, n, status));
            mine.decrementAndGet();
            allInFlight.decrementAndGet();
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/ordered";
    }

    /** Numbers of the key's events answered 2xx, in arrival order. */
    List<Integer> succeeded(String key) {
        List<Integer> out = new ArrayList<>();
        arrivals.stream().filter(a -> a.key().equals(key) && a.status() == 200).forEach(a -> out.add(a.n()));
        return out;
    }

    /** Numbers of the key's events as they arrived, every attempt. */
    List<Integer> arrived(String key) {
        List<Integer> out = new ArrayList<>();
        arrivals.stream().filter(a -> a.key().equals(key)).forEach(a -> out.add(a.n()));
        return out;
    }

    /**
     * The key's arrivals are in order: never an event before one accepted earlier is done, so the
     * numbers never go down (an attempt repeated, after a failure or a crash, repeats the number),
     * and every number from 1 to {@code count} arrives.
     */
    void assertInOrder(String key, int count) {
        List<Integer> seen = arrived(key);
        for (int i = 1; i < seen.size(); i++) {
            assertThat(seen.get(i)).as("key %s arrivals %s", key, seen).isGreaterThanOrEqualTo(seen.get(i - 1));
        }
        assertThat(Set.copyOf(succeeded(key))).as("key %s successes", key).hasSize(count);
        assertThat(seen.stream().distinct().toList()).as("key %s", key)
                .isEqualTo(java.util.stream.IntStream.rangeClosed(1, count).boxed().toList());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
