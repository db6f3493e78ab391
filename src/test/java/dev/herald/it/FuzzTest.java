package dev.herald.it;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13, fuzzing: at least 10,000 mutated bodies to {@code /v1/events} and {@code /v1/webhooks}
 * (create, PATCH, rotate-secret, recover). No answer may be a 5xx or carry a stack trace; every
 * 4xx is the JSON error shape, every 2xx well-formed JSON; Herald serves normally afterwards.
 * Reproduce with {@code -Dfuzz.seed=<printed seed>}; {@code -Dfuzz.requests=N} changes the count,
 * {@code -Dfuzz.report=N} how many bad answers are printed. The cases come from {@link FuzzCases}
 * (valid bodies), {@link Mutations} and {@link WholeBodies} (damage), {@link HostileValues} (raw
 * fragments); {@link FuzzResponses} judges each answer.
 */
class FuzzTest {

    static final long DEFAULT_SEED = 0x5EED_13L;
    static final int REQUESTS = Integer.getInteger("fuzz.requests", 10_400);
    static final int CLIENT_THREADS = 4;
    static final int MAX_REPORTED = Integer.getInteger("fuzz.report", 30);

    static HeraldApp herald;
    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        herald = new HeraldApp(Map.of("herald.http.host", "127.0.0.1"));
    }

    @AfterAll
    static void stop() throws Exception {
        herald.close();
    }

    @Test
    void mutatedBodiesGetNo5xxNoStackTraceAndHeraldKeepsServing() throws Exception {
        long seed = Long.getLong("fuzz.seed", DEFAULT_SEED);
        System.out.println("FuzzTest seed " + seed + " (-Dfuzz.seed=" + seed + "), " + REQUESTS + " requests");
        FuzzCases cases = new FuzzCases(seed, fuzzTargets());
        Map<String, LongAdder> statuses = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        AtomicInteger next = new AtomicInteger();
        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENT_THREADS);
        for (int t = 0; t < CLIENT_THREADS; t++) {
            pool.execute(() -> {
                for (int i = next.getAndIncrement(); i < REQUESTS; i = next.getAndIncrement()) {
                    FuzzCases.Case c = cases.make(i);
                    long t0 = System.nanoTime();
                    String problem = send(c, statuses);
                    long ms = (System.nanoTime() - t0) / 1_000_000;
                    if (ms > 5000) {
                        // Not a failure (the machine is shared), but where a hang would show first.
                        System.out.println("slow answer, " + ms + " ms: " + describe(seed, c, "slow"));
                    }
                    if (problem != null) {
                        problems.add(describe(seed, c, problem));
                    }
                }
            });
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.MINUTES)).as("fuzz run finished").isTrue();
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        System.out.println("FuzzTest: " + REQUESTS + " requests in " + seconds + " s; by call and status: "
                + new TreeMap<>(statuses));

        List<String> shown = problems.stream().limit(MAX_REPORTED).toList();
        shown.forEach(System.out::println);
        assertThat(problems).as(problems.size() + " bad answers, seed " + seed + "; first ones:\n"
                + String.join("\n", shown)).isEmpty();
        assertThat(count(statuses, "events")).as("requests to /v1/events").isGreaterThanOrEqualTo(REQUESTS * 2 / 5);
        assertThat(count(statuses, "webhook-")).as("requests to /v1/webhooks").isGreaterThanOrEqualTo(REQUESTS * 2 / 5);
        assertStillServing();
    }

    /** The inputs behind the 5xx and leaks this fuzzer found, each now a clear 4xx in the error shape. */
    @Test
    void foundInputsGetClearErrors() throws Exception {
        String event = "{\"type\":\"fuzz.event.created\",\"data\":";
        expect(post("/v1/events", null, event + "[".repeat(10_000) + "]".repeat(10_000) + "}"), 400, "invalid_json", null,
                "nested deeper than 1000 levels");
        expect(post("/v1/events", null, event + "{\"n\":" + "9".repeat(10_000) + "}}"), 400, "invalid_json", null,
                "more than 1000 digits");
        // Was accepted and sent on as {"y":"Infinity"}.
        expect(post("/v1/events", null, event + "{\"x\":[1,{\"y\":1e999999}]}}"), 400, "invalid_request", "data.x[1].y",
                "out of range");
        // Was a 500 (ArithmeticException: the time overflows epoch milliseconds).
        expect(post("/v1/events", null, "{\"type\":\"a.b\",\"created_at\":\"+999999999-12-31T23:59:59Z\",\"data\":{}}"),
                400, "invalid_request", "created_at", "ISO-8601");
        // Accepted, and delivered as NUL or '?': overlong, surrogate and beyond-U+10FFFF bytes, unpaired \\u escapes.
        for (byte[] bad : List.of(HostileValues.bytes(0xC0, 0x80), HostileValues.bytes(0xE0, 0x80, 0x80),
                HostileValues.bytes(0xED, 0xA0, 0x80), HostileValues.bytes(0xF4, 0x90, 0x80, 0x80), HostileValues.ascii("\\ud800"),
                HostileValues.ascii("\\udc00\\ud800"))) {
            expect(post("/v1/events", null, Mutations.concat(HostileValues.ascii(event + "{\"s\":\"a"), bad,
                    HostileValues.ascii("b\"}}"))), 400, "invalid_json", null, "UTF-8");
        }
        HttpResponse<byte[]> fine = post("/v1/events", null, (event + "{\"s\":\"\\ud83d\\ude00 \\\\ud800 \u00e9\u2713\uD83D\uDE00\"}}")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(fine.statusCode()).as(new String(fine.body(), StandardCharsets.UTF_8)).isEqualTo(202);
        // Jackson's messages named com.fasterxml classes and "[Source: REDACTED ...".
        expect(post("/v1/events", null, "{}{}"), 400, "invalid_json", null, "more after the JSON value");
        expect(post("/v1/events", null, event + "{\"a\":[1,2}}"), 400, "invalid_json", null, "expected ']'");
        // Vert.x refused these before any route ran, in plain text.
        expect(post("/v1/webhooks", "application/x-www-form-urlencoded", "a=" + "x".repeat(9000)), 400, "invalid_request",
                null, "Content-Type: application/json");
        expect(post("/v1/events", null, event + "{\"s\":\"" + "x".repeat(16 * 1024 * 1024) + "\"}}"), 413,
                "payload_too_large", null, "larger than");
        // Was a 503 "database unavailable, send again" for a value only the database refused.
        String hook = "{\"url\":\"https://hooks.example.invalid/x\",\"active\":false,";
        expect(post("/v1/webhooks", null, hook + "\"events\":[\"" + "p".repeat(200) + ".*\"]}"), 400, "invalid_request",
                "events[0]", "");
        // Header values are stored in an unbounded column (sealed values are longer than plain ones).
        assertThat(post("/v1/webhooks", null, hook + "\"events\":[\"fuzz.hook.a\"],\"headers\":{\"X-A\":\""
                + "v".repeat(4096) + "\",\"X-B\":\"" + "v".repeat(4096) + "\"}}").statusCode()).isEqualTo(201);
    }

    /** Durations and times past a long, and more patterns than a row holds: each was a 500. */
    @Test
    void valuesPastWhatAFieldHoldsAre400s() throws Exception {
        String hook = "{\"url\":\"https://hooks.example.invalid/x\",\"active\":false,\"events\":[\"fuzz.hook.a\"],";
        expect(post("/v1/webhooks", null, hook + "\"retry_schedule\":[\"99999999999999999999s\"]}"), 400,
                "invalid_request", "retry_schedule[0]", "");
        expect(post("/v1/webhooks", null, hook + "\"retry_schedule\":[\"9223372036854775807d\"]}"), 400,
                "invalid_request", "retry_schedule[0]", "");
        String id = fuzzTargets().get(0);
        expect(post("/v1/webhooks/" + id + "/rotate-secret", null, "{\"grace_period\":\"99999999999999999999h\"}"), 400,
                "invalid_request", "grace_period", "");
        expect(post("/v1/webhooks/" + id + "/recover", null, "{\"since\":\"+999999999-12-31T23:59:59Z\"}"), 400,
                "invalid_request", "since", "");
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 1001; i++) {
            many.append(i == 0 ? "" : ",").append("\"fuzz.hook.t").append(i).append('"');
        }
        expect(post("/v1/webhooks", null, "{\"url\":\"https://hooks.example.invalid/x\",\"events\":[" + many + "]}"), 400,
                "invalid_request", "events", "");
    }

    private static HttpResponse<byte[]> post(String path, String contentType, String body) throws Exception {
        return post(path, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    private static HttpResponse<byte[]> post(String path, String contentType, byte[] body) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + herald.port + path))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", contentType == null ? "application/json" : contentType)
                .header("Authorization", "Bearer " + HeraldApp.KEY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void expect(HttpResponse<byte[]> r, int status, String code, String field, String messagePart) throws Exception {
        String body = new String(r.body(), StandardCharsets.UTF_8);
        assertThat(r.statusCode()).as(body).isEqualTo(status);
        assertThat(FuzzResponses.problem(r.statusCode(), r.headers().firstValue("Content-Type").orElse(null), r.body()))
                .as(body).isNull();
        JsonNode error = CoreFlowTest.JSON.readTree(body).get("error");
        assertThat(error.get("code").asText()).as(body).isEqualTo(code);
        assertThat(error.get("field").isNull() ? null : error.get("field").asText()).as(body).isEqualTo(field);
        assertThat(error.get("message").asText()).as(body).contains(messagePart).doesNotContain("Source", "`");
    }

    /** Webhooks for PATCH, rotate-secret and recover: one per dialect, inactive, never matched by fuzzed events. */
    private static List<String> fuzzTargets() throws Exception {
        List<String> ids = new ArrayList<>();
        for (String extra : List.of("", ",\"signature\":{\"scheme\":\"timestamped\"}",
                ",\"signature\":{\"scheme\":\"standard-webhooks\"},\"secret\":\"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\"",
                ",\"signature\":{\"scheme\":\"standard-webhooks-ed25519\"}")) {
            HttpResponse<String> r = herald.call("POST", "/v1/webhooks", "{\"url\":\"https://hooks.example.invalid/target\","
                    + "\"events\":[\"fuzz.hook.*\"],\"active\":false" + extra + "}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            ids.add(CoreFlowTest.JSON.readTree(r.body()).get("id").asText());
        }
        return ids;
    }

    static String send(FuzzCases.Case c, Map<String, LongAdder> statuses) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + herald.port + c.path()))
                .timeout(Duration.ofSeconds(60))
                .method(c.method(), HttpRequest.BodyPublishers.ofByteArray(c.body()));
        if (c.contentType() != null) {
            b.header("Content-Type", c.contentType());
        }
        if (c.auth() != null) {
            b.header("Authorization", c.auth());
        }
        try {
            HttpResponse<byte[]> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            statuses.computeIfAbsent(c.target() + " " + r.statusCode(), k -> new LongAdder()).increment();
            String problem = FuzzResponses.problem(r.statusCode(), r.headers().firstValue("Content-Type").orElse(null), r.body());
            return problem == null ? null : problem + "\n    answer: " + new String(r.body(), 0, Math.min(r.body().length, 300),
                    StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            statuses.computeIfAbsent(c.target() + " no answer", k -> new LongAdder()).increment();
            return "no answer: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static String describe(long seed, FuzzCases.Case c, String problem) {
        return "seed " + seed + " case " + c.index() + " " + c.method() + " " + c.path() + " (" + c.contentType()
                + ", " + c.body().length + " bytes, " + c.mutation() + "): " + problem + "\n    body: " + Mutations.preview(c.body(), 300);
    }

    private static long count(Map<String, LongAdder> statuses, String prefix) {
        return statuses.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToLong(e -> e.getValue().sum()).sum();
    }

    /** After the run: a valid create and event post still work, and readiness is 200. */
    private static void assertStillServing() throws Exception {
        HttpResponse<String> hook = herald.call("POST", "/v1/webhooks", "{\"url\":\"https://hooks.example.invalid/after\","
                + "\"events\":[\"fuzz.after.check\"],\"secret\":\"s3cret\"}");
        assertThat(hook.statusCode()).as(hook.body()).isEqualTo(201);
        HttpResponse<String> event = herald.call("POST", "/v1/events",
                "{\"type\":\"fuzz.after.other\",\"data\":{\"ok\":true}}");
        assertThat(event.statusCode()).as(event.body()).isEqualTo(202);
        assertThat(HeraldApp.ready(CLIENT, herald.managementPort)).as("GET /observe/health/ready is 200").isTrue();
    }
}
