package dev.herald.it;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A loopback receiver for several Herald instances at once: answers 200 after 0 to 3 ms (so
 * requests overlap) and keeps, per request, the delivery id ({@code X-Webhook-Delivery}, sent
 * in every signature dialect), the event id ({@code X-Webhook-Id}), the attempt number and
 * when the request was in this receiver's hands (nanoTime of this JVM: comparable with the
 * test's own instants, such as the moment of a kill).
 */
final class DeliveryLog implements AutoCloseable {

    record Hit(String deliveryId, String eventId, String attempt, long start, long end) {
    }

    private final Collection<Hit> hits = new ConcurrentLinkedQueue<>();
    private final Set<String> delivered = ConcurrentHashMap.newKeySet();
    private final HttpServer server;
    private final ExecutorService threads;

    DeliveryLog() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        // Well above what three instances send at once (per-endpoint concurrency 8 each):
        // the receiver is never what holds deliveries back.
        threads = Executors.newFixedThreadPool(64);
        server.setExecutor(threads);
        server.createContext("/", exchange -> {
            long start = System.nanoTime();
            try (InputStream in = exchange.getRequestBody()) {
                in.readAllBytes();
            }
            var h = exchange.getRequestHeaders();
            try {
                Thread.sleep(ThreadLocalRandom.current().nextInt(4));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
            String eventId = h.getFirst("X-Webhook-Id");
            hits.add(new Hit(h.getFirst("X-Webhook-Delivery"), eventId, h.getFirst("X-Webhook-Attempt"),
                    start, System.nanoTime()));
            delivered.add(eventId);
        });
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Events answered 200 at least once. */
    Set<String> deliveredEvents() {
        return delivered;
    }

    /** The requests for these events, grouped by delivery id. */
    Map<String, List<Hit>> byDelivery(Set<String> events) {
        Map<String, List<Hit>> out = new HashMap<>();
        for (Hit hit : hits) {
            if (events.contains(hit.eventId())) {
                out.computeIfAbsent(hit.deliveryId(), k -> new ArrayList<>()).add(hit);
            }
        }
        out.values().forEach(list -> list.sort(Comparator.comparingLong(Hit::start)));
        return out;
    }

    /**
     * Delivery ids with two requests in this receiver's hands at the same time. A request is in
     * Herald's hands before and after it is in ours, so an overlap here is one in Herald too.
     */
    static List<String> overlapping(Map<String, List<Hit>> byDelivery) {
        List<String> out = new ArrayList<>();
        byDelivery.forEach((id, list) -> {
            long lastEnd = Long.MIN_VALUE;
            for (Hit hit : list) {
                if (hit.start() < lastEnd) {
                    out.add(id + " " + list);
                    return;
                }
                lastEnd = Math.max(lastEnd, hit.end());
            }
        });
        return out;
    }

    /**
     * The most requests in this receiver's hands at one time: what the per-endpoint bounds of all
     * instances together let through (each instance keeps its own, docs/scale-out.md).
     */
    int mostAtOnce() {
        List<long[]> edges = new ArrayList<>();
        for (Hit hit : hits) {
            edges.add(new long[] {hit.start(), 1});
            edges.add(new long[] {hit.end(), -1});
        }
        // At one instant an end before a start: back to back is not at once.
        edges.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]));
        int now = 0;
        int most = 0;
        for (long[] e : edges) {
            now += (int) e[1];
            most = Math.max(most, now);
        }
        return most;
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
