package dev.herald.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.herald.store.TestDatabase;
import dev.herald.store.TestPostgres;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.herald.it.HeraldApp.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A webhook's rate limit measured at a loopback receiver, with Herald in JVMs of its own (so a pause
 * of the receiver's JVM is not a pause of Herald's): first one instance, where a burst goes out
 * evenly at the limit; then two sharing one PostgreSQL database and both taking the webhook's
 * events, where the limit holds for the webhook as a whole. No 1-second window at the receiver sees
 * more than 110% of the limit, and every event arrives exactly once, with one attempt.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RateLimitInstancesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String KEY = "rate-key-1";
    private static final int INSTANCES = 2;

    private static String schema;
    private static Path work;
    private static Receiver receiver;
    private static final int[] ports = new int[INSTANCES];
    private static final int[] management = new int[INSTANCES];
    private static final Process[] heralds = new Process[INSTANCES];

    @BeforeAll
    static void start() throws Exception {
        schema = TestDatabase.createPostgresSchema();
        work = Files.createTempDirectory("herald-rate");
        receiver = new Receiver();
        startInstance(0);
    }

    private static void startInstance(int i) throws Exception {
        if (heralds[i] == null) {
            ports[i] = HeraldApp.freePort();
            management[i] = HeraldApp.freePort();
            Map<String, String> s = new LinkedHashMap<>();
            s.put("herald.db.url", TestPostgres.url(schema));
            s.put("herald.db.user", TestDatabase.PG_USER);
            s.put("herald.db.password", "");
            s.put("herald.db.pool-size", "6");
            s.put("herald.api.keys", KEY);
            s.put("herald.jms.enabled", "false");
            s.put("herald.inbox.enabled", "false");
            s.put("herald.delivery.allowed-networks", "127.0.0.0/8");
            s.put("herald.http.port", Integer.toString(ports[i]));
            s.put("herald.data.dir", work.resolve("herald-" + i).toString());
            s.put("herald.routes.dir", work.resolve("herald-" + i).resolve("routes").toString());
            s.put("herald.delivery.poll-interval", "200ms");
            heralds[i] = HeraldProcess.herald(management[i], s, work.resolve("herald-" + i + ".log"));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            for (Process p : heralds) {
                if (p != null) {
                    HeraldProcess.stop(p);
                }
            }
        } finally {
            if (receiver != null) {
                receiver.close();
            }
            if (schema != null) {
                TestDatabase.dropPostgresSchema(schema);
            }
        }
    }

    private static HttpResponse<String> call(int instance, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports[instance] + path))
                .header("Authorization", "Bearer " + KEY).timeout(Duration.ofSeconds(30));
        b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                : b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Attempts instance {@code i} made so far (herald_delivery_attempts_total, every kind). */
    private static double attempts(int i) throws Exception {
        String text = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + management[i]
                + "/observe/metrics")).timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString()).body();
        double sum = 0;
        for (String line : text.split("\n")) {
            if (line.startsWith("herald_delivery_attempts_total")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    /**
     * One instance, 200 events at once to a webhook limited to 20/s: they arrive one about every
     * 50 ms (not 20 at the start of each second), each exactly once, none using more than its one
     * attempt while it waited.
     */
    @Test
    @Order(1)
    void oneInstanceSendsABurstEvenlyAtTheLimitEachOnceWithOneAttempt() throws Exception {
        int limit = 20;
        int events = 200;
        HttpResponse<String> hook = call(0, "POST", "/v1/webhooks", "{\"url\":\"" + receiver.url("/one")
                + "\",\"events\":[\"rate.one\"],\"rate_limit\":" + limit + "}");
        assertThat(hook.statusCode()).as(hook.body()).isEqualTo(201);
        String id = JSON.readTree(hook.body()).get("id").asText();
        HttpResponse<String> sent = call(0, "POST", "/v1/events", RateWindows.batch("rate.one", events));
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
        long accepted = System.currentTimeMillis();

        waitUntil(Duration.ofSeconds(60), () -> receiver.to("/one").size() >= events);
        Thread.sleep(1_000); // anything sent twice would come now
        List<Receiver.Request> got = receiver.to("/one");
        List<Long> arrivals = got.stream().map(Receiver.Request::at).toList();
        List<Long> gaps = RateWindows.gaps(arrivals);
        int mostPerSecond = RateWindows.most(arrivals, 1_000);
        int mostPer200ms = RateWindows.most(arrivals, 200);
        long span = arrivals.stream().mapToLong(Long::longValue).max().orElseThrow() - accepted;
        System.out.printf("one instance, rate_limit %d/s, %d events: last arrival %d ms after acceptance (%.1f/s);"
                        + " most in 1 s: %d (bound %d); most in 200 ms: %d; gaps p10 %d ms, p50 %d ms, p90 %d ms, max %d ms%n",
                limit, events, span, events * 1000.0 / span, mostPerSecond, limit * 11 / 10, mostPer200ms,
                RateWindows.percentile(gaps, 0.1), RateWindows.percentile(gaps, 0.5), RateWindows.percentile(gaps, 0.9),
                gaps.get(gaps.size() - 1));

        assertThat(got).hasSize(events);
        assertThat(RateWindows.repeated(got.stream().map(r -> r.header("X-Webhook-Id")).toList())).isEmpty();
        assertThat(mostPerSecond).as("most arrivals in any 1 s window").isLessThanOrEqualTo(limit * 11 / 10);
        // Evenly: 200 ms hold 4 at 20/s (jitter makes a few more); a burst at each second's start would put 20 there.
        assertThat(mostPer200ms).as("most arrivals in any 200 ms window").isLessThanOrEqualTo(8);
        assertThat(RateWindows.percentile(gaps, 0.5)).as("median gap (50 ms at 20/s)").isBetween(35L, 70L);
        List<JsonNode> rows = RateWindows.deliveries(path -> call(0, "GET", path, null).body(), id);
        assertThat(rows).hasSize(events);
        rows.forEach(d -> {
            assertThat(d.get("status").asText()).as(d.toString()).isEqualTo("success");
            assertThat(d.get("attempts").asInt()).as("waiting used no attempt: " + d).isEqualTo(1);
        });
    }

    @Test
    @Order(2)
    void twoInstancesTogetherKeepToTheLimitAndLoseNothing() throws Exception {
        startInstance(1);
        int limit = 40;
        int events = 480;
        HttpResponse<String> hook = call(0, "POST", "/v1/webhooks", "{\"url\":\"" + receiver.url("/two")
                + "\",\"events\":[\"rate.two\"],\"rate_limit\":" + limit + "}");
        assertThat(hook.statusCode()).as(hook.body()).isEqualTo(201);
        String id = JSON.readTree(hook.body()).get("id").asText();
        waitUntil(Duration.ofSeconds(5), () -> {
            try {
                return call(1, "GET", "/v1/webhooks/" + id, null).statusCode() == 200;
            } catch (Exception e) {
                return false;
            }
        });
        double[] before = {attempts(0), attempts(1)};
        // Half the events through each instance, in batches of 40 at once, so both hold deliveries to send.
        for (int b = 0; b < events / 40; b++) {
            HttpResponse<String> r = call(b % INSTANCES, "POST", "/v1/events", RateWindows.batch("rate.two", 40));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        }
        long accepted = System.currentTimeMillis();

        waitUntil(Duration.ofSeconds(90), () -> receiver.to("/two").size() >= events);
        Thread.sleep(1_500); // anything sent twice would come now
        List<Receiver.Request> got = receiver.to("/two");
        List<Long> arrivals = got.stream().map(Receiver.Request::at).toList();
        List<Long> gaps = RateWindows.gaps(arrivals);
        int mostPerSecond = RateWindows.most(arrivals, 1_000);
        long span = arrivals.stream().mapToLong(Long::longValue).max().orElseThrow() - accepted;
        double[] sent = {attempts(0) - before[0], attempts(1) - before[1]};
        System.out.printf("two instances, rate_limit %d/s, %d events: last arrival %d ms after acceptance (%.1f/s);"
                        + " most in 1 s: %d (bound %d); gaps p10 %d ms, p50 %d ms, p90 %d ms; attempts by instance: %.0f, %.0f%n",
                limit, events, span, events * 1000.0 / span, mostPerSecond, limit * 11 / 10,
                RateWindows.percentile(gaps, 0.1), RateWindows.percentile(gaps, 0.5), RateWindows.percentile(gaps, 0.9),
                sent[0], sent[1]);

        assertThat(got).hasSize(events);
        assertThat(RateWindows.repeated(got.stream().map(r -> r.header("X-Webhook-Id")).toList())).isEmpty();
        assertThat(mostPerSecond).as("most arrivals in any 1 s window").isLessThanOrEqualTo(limit * 11 / 10);
        assertThat(sent[0]).as("both instances sent").isGreaterThan(0);
        assertThat(sent[1]).as("both instances sent").isGreaterThan(0);
        List<JsonNode> rows = RateWindows.deliveries(path -> call(0, "GET", path, null).body(), id);
        assertThat(rows).hasSize(events);
        rows.forEach(d -> {
            assertThat(d.get("status").asText()).as(d.toString()).isEqualTo("success");
            assertThat(d.get("attempts").asInt()).as("waiting used no attempt: " + d).isEqualTo(1);
        });
    }
}
