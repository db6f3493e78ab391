package dev.herald.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.Route;
import org.apache.camel.support.RoutePolicySupport;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API port while Herald starts and stops: every request gets either its real answer or
 * 503 starting / stopping, never the 404 of a route not started yet or already stopped, and
 * Herald answers for real only while every route runs (one switch for all paths). An
 * operator's route on the API port whose start and stop wait for its upstream system (it
 * starts first, so the others wait for it too) holds each window open until the test has
 * seen what it looks for: the test does not race Camel.
 */
class StartupReadinessTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Like a source that waits for its upstream system: its consumer is up, its start is not done. */
    private static final String SLOW_ROUTE = """
            - beans:
                - name: waitForUpstream
                  type: dev.herald.it.StartupReadinessTest$WaitForUpstream
            - route:
                id: ops-ping
                startupOrder: 1
                routePolicy: waitForUpstream
                from:
                  uri: platform-http:/ops/ping
                  steps:
                    - setBody:
                        constant: pong
            """;

    /** Requests a client sends, each with the answer it gets once Herald runs. */
    private static final List<Probe> PROBES = List.of(
            new Probe("POST", "/v1/events", "{\"type\":\"startup.probe\",\"data\":{}}", HeraldApp.KEY, 202),
            new Probe("GET", "/v1/webhooks", null, HeraldApp.KEY, 200),
            new Probe("GET", "/v1/webhooks", null, null, 401),
            new Probe("GET", "/ops/ping", null, null, 200),
            new Probe("GET", "/v1/no-such-path", null, HeraldApp.KEY, 404));

    @Test
    void apiAnswersStartingUntilEveryRouteHasStarted() throws Exception {
        WaitForUpstream.until = new CountDownLatch(1);
        try (HeraldApp herald = new HeraldApp(Map.of("herald.routes.dir", slowRoutesDir().toString()), false)) {
            List<Answer> answers = new ArrayList<>();
            List<String> broken = new ArrayList<>();
            // A bound for a start that never ends, not a timing: a loaded machine takes a minute to boot.
            long deadline = System.nanoTime() + 180_000_000_000L;
            boolean accepted = false;
            while (!accepted) {
                assertThat(System.nanoTime()).as("POST /v1/events answered 202 within 3 minutes").isLessThan(deadline);
                for (Probe p : PROBES) {
                    try {
                        Answer a = p.send(herald);
                        answers.add(a);
                        accepted |= p == PROBES.get(0) && a.status() == 202;
                    } catch (IOException e) {
                        // Refused until the port opens; once it has answered, it must keep answering.
                        if (!answers.isEmpty()) {
                            broken.add(p + " -> " + e);
                        }
                    }
                }
                if (eachProbeGot(answers, "starting")) {
                    WaitForUpstream.until.countDown();
                }
                Thread.sleep(25);
            }

            assertThat(broken).as("connections failing after the API port answered").isEmpty();
            assertOneSwitch(answers, "starting");
            assertThat(eachProbeGot(answers, "starting")).as("503 starting for every request, any path or key").isTrue();
            for (Probe p : PROBES) {
                assertThat(p.send(herald).status()).as(p + " once started").isEqualTo(p.realStatus());
            }
        }
    }

    @Test
    void apiAnswersStoppingWhileRoutesStop() throws Exception {
        WaitForUpstream.until = new CountDownLatch(0);
        HeraldApp herald = new HeraldApp(Map.of("herald.routes.dir", slowRoutesDir().toString()));
        WaitForUpstream.until = new CountDownLatch(1);
        Thread stopper = new Thread(() -> {
            try {
                herald.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "herald-stopper");
        List<Answer> answers = new ArrayList<>();
        try {
            for (Probe p : PROBES) {
                answers.add(p.send(herald));
            }
            stopper.start();
            // Until the server closes its port: then a request fails to connect (or is cut off).
            poll:
            while (true) {
                for (Probe p : PROBES) {
                    try {
                        answers.add(p.send(herald));
                    } catch (IOException e) {
                        break poll;
                    }
                }
                if (eachProbeGot(answers, "stopping")) {
                    WaitForUpstream.until.countDown();
                }
            }
        } finally {
            WaitForUpstream.until.countDown();
            if (!stopper.isAlive()) {
                herald.close();
            }
            stopper.join(150_000);
        }
        assertOneSwitch(answers, "stopping");
        assertThat(eachProbeGot(answers, "stopping")).as("503 stopping for every request, any path or key").isTrue();
    }

    private static boolean eachProbeGot(List<Answer> answers, String code) {
        return PROBES.stream().allMatch(p -> answers.stream().anyMatch(a -> a.probe() == p && a.is(code)));
    }

    /**
     * Each answer is the real one or 503 with that code, and the answers switch once, all
     * paths together: starting, then real answers only; real answers, then stopping only.
     */
    private static void assertOneSwitch(List<Answer> answers, String code) {
        assertThat(answers).filteredOn(a -> a.status() != a.probe().realStatus() && !a.is(code))
                .as("answers neither real nor 503 " + code).isEmpty();
        boolean refusedFirst = code.equals("starting");
        int cut = 0;
        while (cut < answers.size() && answers.get(cut).is(code) == refusedFirst) {
            cut++;
        }
        assertThat(answers.subList(cut, answers.size())).as("real answers and 503 %s interleaved", code)
                .noneMatch(a -> a.is(code) == refusedFirst);
    }

    private static Path slowRoutesDir() throws IOException {
        Path dir = Files.createTempDirectory("herald-routes");
        Files.writeString(dir.resolve("ops-ping.yaml"), SLOW_ROUTE);
        return dir;
    }

    private record Probe(String method, String path, String body, String key, int realStatus) {

        Answer send(HeraldApp herald) throws IOException, InterruptedException {
            HttpResponse<String> r = herald.call(method, path, body, key);
            return new Answer(this, r.statusCode(), r.body(), r.headers().firstValue("Retry-After").orElse(null),
                    r.headers().firstValue("Content-Type").orElse(""));
        }

        @Override
        public String toString() {
            return method + " " + path + (key == null ? " (no key)" : "");
        }
    }

    private record Answer(Probe probe, int status, String body, String retryAfter, String contentType) {

        /** 503 with the JSON error of that code, the message a user reads, and Retry-After: 1. */
        boolean is(String code) {
            if (status != 503 || !"1".equals(retryAfter) || !contentType.startsWith("application/json")) {
                return false;
            }
            try {
                JsonNode error = JSON.readTree(body).path("error");
                return code.equals(error.path("code").asText())
                        && error.path("message").asText().equals("Herald is " + code + "; try again in a moment");
            } catch (IOException e) {
                return false;
            }
        }

        @Override
        public String toString() {
            return probe + " -> " + status + " " + body;
        }
    }

    /** The operator's route policy: the route starts (and stops) once its upstream answers, here the test. */
    public static final class WaitForUpstream extends RoutePolicySupport {

        static volatile CountDownLatch until = new CountDownLatch(0);

        @Override
        public void onStart(Route route) {
            await();
        }

        @Override
        public void onStop(Route route) {
            await();
        }

        private static void await() {
            try {
                // Bounded: with the API guard broken the test never releases it, and then fails on what it saw.
                until.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
