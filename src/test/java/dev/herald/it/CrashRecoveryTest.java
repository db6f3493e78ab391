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
import java.util.HashSet;
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
            first.destroyForcibly().waitFor();
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
                second.destroy();
                second.waitFor();
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
                second.destroy();
                second.waitFor();
            }
        }
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

    private Process start(Path data, int port, String lease) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java,
                "-Dherald.http.port=" + port,
                "-Dherald.management.port=" + HeraldApp.freePort(),
                "-Dherald.data.dir=" + data,
                "-Dherald.db.url=jdbc:h2:file:" + data.resolve("herald") + ";DB_CLOSE_ON_EXIT=FALSE",
                "-Dherald.api.keys=" + HeraldApp.KEY,
                "-Dherald.delivery.lease=" + lease,
                "-Dherald.delivery.poll-interval-ms=200",
                "-cp", System.getProperty("java.class.path"), "dev.herald.Herald");
        pb.redirectErrorStream(true);
        pb.redirectOutput(data.resolve("herald-" + System.nanoTime() + ".log").toFile());
        Process p = pb.start();
        waitUntil(Duration.ofSeconds(60), () -> {
            try {
                return call(port, "GET", "/v1/webhooks", null).statusCode() == 200;
            } catch (Exception e) {
                return false;
            }
        });
        return p;
    }

    private HttpResponse<String> call(int port, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + HeraldApp.KEY)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
