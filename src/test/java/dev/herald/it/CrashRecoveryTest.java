package dev.herald.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.herald.it.HeraldApp.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Herald as a separate JVM, killed with SIGKILL while retries are scheduled and
 * deliveries are in flight, then started again on the same data: every accepted event
 * still reaches the receiver.
 */
class CrashRecoveryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void everyAcceptedEventIsDeliveredAfterAKill9() throws Exception {
        Path data = Files.createTempDirectory("herald-crash");
        int port = HeraldApp.freePort();
        try (Receiver receiver = new Receiver()) {
            receiver.status.set(503);
            Process first = start(data, port);
            HttpResponse<String> created = call(port, "POST", "/v1/webhooks", "{\"url\":\"" + receiver.url("/crash")
                    + "\",\"events\":[\"crash.*\"],\"retry_schedule\":[\"0s\",\"1s\",\"3s\",\"3s\",\"3s\",\"3s\"]}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            Set<String> accepted = new HashSet<>();
            for (int batch = 0; batch < 10; batch++) {
                StringBuilder events = new StringBuilder("[");
                for (int i = 0; i < 10; i++) {
                    events.append(i == 0 ? "" : ",").append("{\"type\":\"crash.test\",\"data\":{\"n\":")
                            .append(batch * 10 + i).append("}}");
                }
                HttpResponse<String> r = call(port, "POST", "/v1/events", events.append("]").toString());
                assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
                JSON.readTree(r.body()).get("data").forEach(e -> accepted.add(e.get("id").asText()));
            }
            // Every event failed at least once: retries are now scheduled, some in memory, some in flight.
            waitUntil(Duration.ofSeconds(30), () -> idsSeen(receiver).size() == accepted.size());
            HeraldProcess.kill9(first);
            int beforeRestart = receiver.requests.size();

            receiver.status.set(200);
            Process second = start(data, port);
            try {
                waitUntil(Duration.ofSeconds(60), () -> succeeded(receiver).containsAll(accepted));
                assertThat(receiver.requests.size()).isGreaterThan(beforeRestart);
                JsonNode hooks = JSON.readTree(call(port, "GET", "/v1/webhooks", null).body());
                String hook = hooks.get("data").get(0).get("id").asText();
                waitUntil(Duration.ofSeconds(30), () -> {
                    try {
                        return JSON.readTree(call(port, "GET", "/v1/webhooks/" + hook
                                + "/deliveries?status=pending", null).body()).get("deliveries").isEmpty();
                    } catch (Exception e) {
                        return false;
                    }
                });
            } finally {
                HeraldProcess.stop(second);
            }
        }
    }

    @Test
    void sigtermExitsCleanlyAndTheNextStartTakesTheWaitingWorkAtOnce() throws Exception {
        Path data = Files.createTempDirectory("herald-term");
        int port = HeraldApp.freePort();
        try (Receiver receiver = new Receiver()) {
            receiver.status.set(503);
            // A long lease: if the stop did not hand rows back, the next start could not take them for a minute.
            Process first = start(data, port, "60s");
            call(port, "POST", "/v1/webhooks", "{\"url\":\"" + receiver.url("/t")
                    + "\",\"events\":[\"term.*\"],\"retry_schedule\":[\"0s\",\"2s\",\"2s\",\"2s\",\"2s\",\"2s\",\"2s\",\"2s\",\"2s\",\"2s\"]}");
            Set<String> accepted = new HashSet<>();
            for (int i = 0; i < 20; i++) {
                HttpResponse<String> r = call(port, "POST", "/v1/events", "{\"type\":\"term.test\",\"data\":{}}");
                accepted.add(JSON.readTree(r.body()).get("id").asText());
            }
            waitUntil(Duration.ofSeconds(30), () -> idsSeen(receiver).size() == accepted.size());
            first.destroy(); // SIGTERM
            assertThat(first.waitFor(45, java.util.concurrent.TimeUnit.SECONDS)).as("Herald stopped after SIGTERM").isTrue();
            assertThat(first.exitValue()).isZero();

            receiver.status.set(200);
            Process second = start(data, port, "60s");
            try {
                waitUntil(Duration.ofSeconds(30), () -> succeeded(receiver).containsAll(accepted));
            } finally {
                HeraldProcess.stop(second);
            }
        }
    }

    /**
     * Killed while a big NDJSON file is being read and JMS messages are being consumed: on
     * restart the file is read again and unacknowledged messages come back, and the ids
     * (derived from the file and the message where the events have none) keep every event
     * to one delivery.
     */
    @Test
    void aKill9MidFileAndMidMessageLosesNothingAndDeliversNothingTwice() throws Exception {
        Path data = Files.createTempDirectory("herald-crash-sources");
        int port = HeraldApp.freePort();
        int jmsPort = HeraldApp.freePort();
        int lines = 5000;
        int messages = 300;
        String jmsPassword = java.util.UUID.randomUUID().toString();
        String[] sources = {"-Dherald.jms.embedded.port=" + jmsPort, "-Dherald.ingest.max-batch=10",
            "-Dherald.jms.embedded.user=crash-test", "-Dherald.jms.embedded.password=" + jmsPassword};
        try (Receiver receiver = new Receiver()) {
            Process first = start(data, port, "3s", sources);
            HttpResponse<String> created = call(port, "POST", "/v1/webhooks", "{\"url\":\"" + receiver.url("/src")
                    + "\",\"events\":[\"src.*\"]}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            // Messages first, persistent and acknowledged by the broker before send() returns.
            jakarta.jms.ConnectionFactory factory =
                    new org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory("tcp://127.0.0.1:" + jmsPort,
                            "crash-test", jmsPassword);
            try (jakarta.jms.Connection c = factory.createConnection()) {
                jakarta.jms.Session session = c.createSession(false, jakarta.jms.Session.AUTO_ACKNOWLEDGE);
                jakarta.jms.MessageProducer producer = session.createProducer(session.createQueue("herald.events"));
                for (int i = 0; i < messages; i++) {
                    producer.send(session.createTextMessage("{\"type\":\"src.jms\",\"data\":{\"n\":" + i + "}}"));
                }
            }
            StringBuilder ndjson = new StringBuilder();
            for (int i = 0; i < lines; i++) {
                ndjson.append("{\"type\":\"src.file\",\"data\":{\"n\":").append(i).append("}}\n");
            }
            Path inbox = data.resolve("inbox");
            Files.createDirectories(inbox);
            Files.writeString(inbox.resolve(".big.part"), ndjson);
            Files.move(inbox.resolve(".big.part"), inbox.resolve("big.ndjson"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);

            waitUntil(Duration.ofSeconds(30), () -> receiver.requests.stream()
                    .anyMatch(r -> new String(r.body()).contains("src.file")));
            HeraldProcess.kill9(first);
            assertThat(inbox.resolve("big.ndjson")).as("killed while the file was being read").exists();

            Process second = start(data, port, "3s", sources);
            try {
                waitUntil(Duration.ofSeconds(90), () -> payloads(receiver).size() == lines + messages);
                waitUntil(Duration.ofSeconds(10), () -> Files.exists(inbox.resolve(".done/big.ndjson")));
                Thread.sleep(1000);
                // Each (source, n) once as an event: a different id for the same line would be a second event.
                assertThat(payloads(receiver)).hasSize(lines + messages);
                assertThat(receiver.okIds()).hasSize(lines + messages);
            } finally {
                HeraldProcess.stop(second);
            }
        }
    }

    /**
     * An event answered 202 is in the database even when the process dies the next
     * instant (an embedded database that flushes commits in the background would lose it).
     */
    @Test
    void anEventAcknowledgedTheInstantBeforeAKill9IsKept() throws Exception {
        Path data = Files.createTempDirectory("herald-crash-ack");
        int port = HeraldApp.freePort();
        Process first = start(data, port);
        List<String> acknowledged = new ArrayList<>();
        long until = System.nanoTime() + 1_500_000_000L;
        while (System.nanoTime() < until) {
            HttpResponse<String> r = call(port, "POST", "/v1/events", "{\"type\":\"ack.test\",\"data\":{}}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            acknowledged.add(JSON.readTree(r.body()).get("id").asText());
        }
        HeraldProcess.kill9(first);

        Process second = start(data, port);
        try {
            List<String> lost = new ArrayList<>();
            for (String id : acknowledged) {
                if (call(port, "GET", "/v1/events/" + id, null).statusCode() != 200) {
                    lost.add(id);
                }
            }
            assertThat(lost).as("of " + acknowledged.size() + " acknowledged events").isEmpty();
        } finally {
            HeraldProcess.stop(second);
        }
    }

    /** Distinct event payloads ("src.file n", "src.jms n") answered with a 2xx. */
    private static Set<String> payloads(Receiver receiver) {
        Set<String> seen = new HashSet<>();
        receiver.requests.stream().filter(r -> r.answered() / 100 == 2).forEach(r -> {
            try {
                JsonNode e = JSON.readTree(r.body());
                seen.add(e.get("type").asText() + " " + e.get("data").get("n").asInt());
            } catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
        });
        return seen;
    }

    private static Set<String> idsSeen(Receiver receiver) {
        Set<String> ids = new HashSet<>();
        receiver.requests.forEach(r -> ids.add(r.header("X-Webhook-Id")));
        return ids;
    }

    private static Set<String> succeeded(Receiver receiver) {
        return receiver.okIds();
    }

    private Process start(Path data, int port) throws Exception {
        return start(data, port, "3s");
    }

    /** Herald in its own JVM ({@link HeraldProcess}); {@code extra} are further -Dkey=value settings (the last one for a key wins). */
    private Process start(Path data, int port, String lease, String... extra) throws Exception {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("herald.http.port", Integer.toString(port));
        settings.put("herald.data.dir", data.toString());
        settings.put("herald.db.url", "jdbc:h2:file:" + data.resolve("herald") + ";DB_CLOSE_ON_EXIT=FALSE");
        settings.put("herald.api.keys", HeraldApp.KEY);
        settings.put("herald.delivery.lease", lease);
        settings.put("herald.delivery.poll-interval", "200ms");
        settings.put("herald.delivery.allowed-networks", "127.0.0.0/8");
        // The receiver fails until the kill, and every event must have been attempted by then:
        // no circuit breaker holding the rest back after 20 failures.
        settings.put("herald.delivery.breaker.failures", "0");
        settings.put("herald.jms.embedded.port", "0");
        settings.put("herald.routes.dir", data.resolve("routes").toString());
        for (String e : extra) {
            String[] kv = e.substring(2).split("=", 2);
            settings.put(kv[0], kv[1]);
        }
        return HeraldProcess.herald(HeraldApp.freePort(), settings, data.resolve("herald-" + System.nanoTime() + ".log"));
    }

    private HttpResponse<String> call(int port, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + HeraldApp.KEY)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
