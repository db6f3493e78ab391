package dev.herald.it;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.herald.store.TestDatabase;
import dev.herald.store.TestPostgres;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.herald.it.HeraldApp.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ordered delivery across a kill -9 (H2 file) and with two instances on one PostgreSQL: each key's
 * events reach the receiver in the order Herald accepted them, one at a time, through retries.
 */
class OrderedDeliveryProcessTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> KEYS = List.of("acct-1", "acct-2", "acct-3");
    private static final int PER_KEY = 50;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void orderHoldsAcrossAKill9() throws Exception {
        Path data = Files.createTempDirectory("herald-fifo-crash");
        int port = HeraldApp.freePort();
        Map<String, String> settings = settings(data, port);
        settings.put("herald.db.url", "jdbc:h2:file:" + data.resolve("herald") + ";DB_CLOSE_ON_EXIT=FALSE");
        try (OrderReceiver receiver = new OrderReceiver()) {
            receiver.delayMillis = 20;
            receiver.fail = (a, attempt) -> a.n() % 7 == 3 && attempt == 1;
            Process first = HeraldProcess.herald(HeraldApp.freePort(), settings, data.resolve("first.log"));
            try {
                hook(port, receiver);
                // Keys interleaved in each batch: array order is acceptance order.
                for (int from = 1; from <= PER_KEY; from += 10) {
                    StringBuilder b = new StringBuilder("[");
                    for (int n = from; n < from + 10; n++) {
                        for (String k : KEYS) {
                            b.append(b.length() == 1 ? "" : ",").append(event(k, n));
                        }
                    }
                    send(port, b.append("]").toString());
                }
                waitUntil(Duration.ofSeconds(60), () -> receiver.arrivals.size() >= 60);
            } finally {
                HeraldProcess.kill9(first);
            }
            int atKill = receiver.arrivals.size();
            Process second = HeraldProcess.herald(HeraldApp.freePort(), settings, data.resolve("second.log"));
            try {
                waitUntil(Duration.ofSeconds(120), () -> KEYS.stream().allMatch(k -> distinct(receiver.succeeded(k)) == PER_KEY));
            } finally {
                HeraldProcess.stop(second);
            }
            assertThat(atKill).as("killed in the middle").isLessThan(3 * PER_KEY);
            KEYS.forEach(k -> receiver.assertInOrder(k, PER_KEY));
            assertThat(receiver.maxInFlightPerKey.get()).isEqualTo(1);
            System.out.printf("ordered across kill -9: %d arrivals before the kill, %d in all%n", atKill, receiver.arrivals.size());
        }
    }

    @Test
    void orderHoldsWithTwoInstancesOnOnePostgres() throws Exception {
        String schema = TestDatabase.createPostgresSchema();
        Path work = Files.createTempDirectory("herald-fifo-two");
        int[] ports = {HeraldApp.freePort(), HeraldApp.freePort()};
        List<Process> heralds = new ArrayList<>();
        try (OrderReceiver receiver = new OrderReceiver()) {
            receiver.delayMillis = 10;
            receiver.fail = (a, attempt) -> (a.n() % 7 == 3 && attempt == 1) || (a.n() == 25 && attempt <= 2);
            for (int i = 0; i < 2; i++) {
                Path data = work.resolve("h" + i);
                Files.createDirectories(data);
                Map<String, String> s = settings(data, ports[i]);
                s.put("herald.db.url", TestPostgres.url(schema));
                s.put("herald.db.user", TestDatabase.PG_USER);
                s.put("herald.db.password", "");
                s.put("herald.instance.id", "fifo-" + i);
                heralds.add(HeraldProcess.herald(HeraldApp.freePort(), s, work.resolve("h" + i + ".log")));
            }
            hook(ports[0], receiver);
            // Each key's events are sent in turn to one instance and the other, each after the last was accepted.
            List<Thread> senders = new ArrayList<>();
            List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
            for (String k : KEYS) {
                Thread t = new Thread(() -> {
                    try {
                        for (int n = 1; n <= PER_KEY; n += 2) {
                            send(ports[n % 4 == 1 ? 0 : 1], "[" + event(k, n) + "," + event(k, n + 1) + "]");
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                });
                senders.add(t);
                t.start();
            }
            // And requests of one new key at the same moment on both instances: one makes the line, all are accepted.
            java.util.concurrent.CyclicBarrier barrier = new java.util.concurrent.CyclicBarrier(4);
            for (int t = 0; t < 4; t++) {
                int n = t + 1;
                Thread th = new Thread(() -> {
                    try {
                        for (int round = 0; round < 5; round++) {
                            barrier.await();
                            send(ports[n % 2], "[" + event("new-" + round, n) + "]");
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                });
                senders.add(th);
                th.start();
            }
            for (Thread t : senders) {
                t.join();
            }
            assertThat(failures).isEmpty();
            waitUntil(Duration.ofSeconds(120), () -> KEYS.stream().allMatch(k -> distinct(receiver.succeeded(k)) == PER_KEY));
            for (int round = 0; round < 5; round++) {
                String key = "new-" + round;
                waitUntil(Duration.ofSeconds(30), () -> distinct(receiver.succeeded(key)) == 4);
            }
            KEYS.forEach(k -> receiver.assertInOrder(k, PER_KEY));
            assertThat(receiver.maxInFlightPerKey.get()).isEqualTo(1);
            System.out.printf("ordered with two instances: %d arrivals, at most %d requests at once%n",
                    receiver.arrivals.size(), receiver.maxInFlight.get());
        } finally {
            for (Process p : heralds) {
                HeraldProcess.stop(p);
            }
        }
    }

    private static int distinct(List<Integer> numbers) {
        return new java.util.HashSet<>(numbers).size();
    }

    private static Map<String, String> settings(Path data, int port) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("herald.http.port", Integer.toString(port));
        s.put("herald.data.dir", data.toString());
        s.put("herald.api.keys", HeraldApp.KEY);
        s.put("herald.delivery.lease", "3s");
        s.put("herald.delivery.timeout", "2s");
        s.put("herald.delivery.poll-interval", "200ms");
        s.put("herald.delivery.allowed-networks", "127.0.0.0/8");
        s.put("herald.delivery.breaker.failures", "0");
        s.put("herald.jms.enabled", "false");
        s.put("herald.jms.embedded.port", "0");
        s.put("herald.inbox.enabled", "false");
        s.put("herald.routes.dir", data.resolve("routes").toString());
        return s;
    }

    private void hook(int port, OrderReceiver receiver) throws Exception {
        HttpResponse<String> r = call(port, "POST", "/v1/webhooks", "{\"url\":\"" + receiver.url()
                + "\",\"events\":[\"fifo.*\"],\"ordering\":{\"mode\":\"fifo\",\"key\":\"data.k\"},"
                + "\"retry_schedule\":[\"0s\",\"300ms\",\"300ms\",\"300ms\",\"300ms\"]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    private static String event(String key, int n) {
        return "{\"type\":\"fifo.test\",\"data\":{\"k\":\"" + key + "\",\"n\":" + n + "}}";
    }

    private void send(int port, String body) throws Exception {
        HttpResponse<String> r = call(port, "POST", "/v1/events", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    }

    private HttpResponse<String> call(int port, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + HeraldApp.KEY)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
