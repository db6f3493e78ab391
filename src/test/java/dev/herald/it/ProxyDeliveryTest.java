package dev.herald.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.herald.it.HeraldApp.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Herald with herald.delivery.proxy set to a loopback proxy that asks for Basic credentials:
 * deliveries go through its CONNECT tunnels, no-proxy names go direct, and a proxy that refuses
 * or is down fails the attempts without counting against the receiver.
 */
class ProxyDeliveryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestProxy proxy;
    private static LogCapture log;
    private static HeraldApp herald;

    @BeforeAll
    static void start() throws Exception {
        proxy = new TestProxy("herald", "p@ss:s3cr3t-pr0xy");
        log = new LogCapture();
        herald = new HeraldApp(Map.of(
                "herald.delivery.proxy", "http://herald:p%40ss%3As3cr3t-pr0xy@127.0.0.1:" + proxy.port(),
                "herald.delivery.no-proxy", "localhost, *.example.invalid",
                "herald.delivery.breaker.failures", "3",
                "herald.webhook.disable-after", "1s"));
    }

    @AfterAll
    static void stop() throws Exception {
        herald.close();
        log.close();
        proxy.close();
    }

    private static String webhook(String url, String type, String extra) throws Exception {
        HttpResponse<String> r = herald.call("POST", "/v1/webhooks",
                "{\"url\":\"" + url + "\",\"events\":[\"" + type + "\"]" + extra + "}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return JSON.readTree(r.body()).get("id").asText();
    }

    private static String send(String type, int n) throws Exception {
        HttpResponse<String> r = herald.call("POST", "/v1/events", "{\"type\":\"" + type + "\",\"data\":{\"n\":" + n + "}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return JSON.readTree(r.body()).get("deliveries").get(0).asText();
    }

    private static JsonNode get(String path) throws Exception {
        HttpResponse<String> r = herald.call("GET", path, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static List<String> errors(JsonNode delivery) {
        List<String> out = new ArrayList<>();
        delivery.get("attempts").forEach(a -> out.add(a.get("error").isNull() ? null : a.get("error").asText()));
        return out;
    }

    @Test
    void deliveriesGoThroughTheProxysTunnelsWithItsCredentials() throws Exception {
        try (Receiver receiver = new Receiver()) {
            webhook(receiver.url("/through"), "proxy.through", "");
            long before = proxy.bytesToTargets.get();
            for (int i = 0; i < 5; i++) {
                send("proxy.through", i);
            }
            waitUntil(Duration.ofSeconds(20), () -> receiver.requests.size() == 5);

            long bodies = 0;
            for (Receiver.Request r : receiver.requests) {
                String body = new String(r.body(), StandardCharsets.UTF_8);
                assertThat(body).contains("\"type\":\"proxy.through\"");
                assertThat(r.header("X-Webhook-Id")).startsWith("evt_");
                assertThat(r.header("Host")).isEqualTo("127.0.0.1:" + receiver.port());
                bodies += r.body().length;
            }
            String target = "127.0.0.1:" + receiver.port();
            assertThat(proxy.tunnels).as("tunnels to the receiver").contains(target);
            // The first CONNECT gets 407; Herald sends its credentials on the next.
            assertThat(proxy.asked.stream().filter(target::equals).count())
                    .isGreaterThan(proxy.tunnels.stream().filter(target::equals).count());
            // Every request's bytes (head and body) went through the proxy's tunnels.
            assertThat(proxy.bytesToTargets.get() - before).isGreaterThan(bodies);
            assertThat(proxy.others).as("no forward-proxy requests").isEmpty();
        }
        String startup = log.text();
        assertThat(startup).contains("through the proxy http://****@127.0.0.1:" + proxy.port());
        assertThat(startup).doesNotContain("p@ss").doesNotContain("p%40ss").doesNotContain("s3cr3t-pr0xy");
    }

    @Test
    void anHttpsReceiversCertificateIsJudgedInsideTheTunnelAsTheReceiversOwn() throws Exception {
        try (SelfSignedHttps receiver = new SelfSignedHttps()) {
            String hook = webhook("https://127.0.0.1:" + receiver.port() + "/tls", "proxy.tls",
                    ",\"retry_schedule\":[\"0s\"]");
            String delivery = send("proxy.tls", 1);
            waitUntil(Duration.ofSeconds(20), () -> status(delivery).equals("failed"));
            List<String> errors = errors(get("/v1/deliveries/" + delivery));
            // Through CONNECT to the receiver's TLS, which nobody trusts: its failure, not the proxy's.
            assertThat(errors).hasSize(1);
            assertThat(errors.get(0)).startsWith("TLS error: ").doesNotContain("proxy error");
            assertThat(proxy.tunnels).contains("127.0.0.1:" + receiver.port());
            assertThat(receiver.requests.get()).isZero();
            JsonNode w = get("/v1/webhooks/" + hook);
            assertThat(w.get("endpoint_failing").get("attempts").asInt()).as(w.toString()).isEqualTo(1);
        }
    }

    @Test
    void aReceiverThatHangsBehindTheTunnelTimesOutAsTheReceiver() throws Exception {
        // Accepts the proxy's connection and never says a word: no TLS handshake, no answer.
        try (java.net.ServerSocket hung = new java.net.ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
            List<java.net.Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(hung.accept());
                    }
                } catch (java.io.IOException e) {
                    // closed
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            String hook = webhook("https://127.0.0.1:" + hung.getLocalPort() + "/hung", "proxy.hung",
                    ",\"retry_schedule\":[\"0s\"]");
            String delivery = send("proxy.hung", 1);
            waitUntil(Duration.ofSeconds(20), () -> status(delivery).equals("failed"));
            assertThat(errors(get("/v1/deliveries/" + delivery))).singleElement().asString().startsWith("timeout: ");
            assertThat(proxy.tunnels).contains("127.0.0.1:" + hung.getLocalPort());
            JsonNode w = get("/v1/webhooks/" + hook);
            assertThat(w.get("endpoint_failing").get("attempts").asInt()).as(w.toString()).isEqualTo(1);
            for (java.net.Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void aReceiverNamedInNoProxyIsReachedDirectly() throws Exception {
        try (Receiver receiver = new Receiver()) {
            webhook("http://localhost:" + receiver.port() + "/direct", "proxy.direct", "");
            send("proxy.direct", 1);
            send("proxy.direct", 2);
            waitUntil(Duration.ofSeconds(20), () -> receiver.requests.size() == 2);
            assertThat(receiver.requests.get(0).header("Host")).isEqualTo("localhost:" + receiver.port());
            assertThat(proxy.asked).noneMatch(t -> t.endsWith(":" + receiver.port()));
        }
    }

    @Test
    void aProxyThatRefusesOrIsDownFailsAttemptsWithoutCountingAgainstTheReceiver() throws Exception {
        try (Receiver receiver = new Receiver()) {
            // Ten attempts a second apart: more failures than the breaker's 3.
            String hook = webhook(receiver.url("/outage"), "proxy.outage",
                    ",\"retry_schedule\":[\"0s\",\"1s\",\"1s\",\"1s\",\"1s\",\"1s\",\"1s\",\"1s\",\"1s\",\"1s\"]");
            // Three attempts: exhausted while the proxy is away, past disable-after (1s).
            String exhausting = webhook(receiver.url("/exhausted"), "proxy.exhausted",
                    ",\"retry_schedule\":[\"0s\",\"1s\",\"1s\"]");

            proxy.refuse = true;
            String delivery = send("proxy.outage", 1);
            waitUntil(Duration.ofSeconds(20), () -> attempts(delivery) >= 2);
            assertThat(errors(get("/v1/deliveries/" + delivery)))
                    .allMatch(e -> e.equals("proxy error: the proxy answered 403 Forbidden to CONNECT"));

            proxy.refuse = false;
            proxy.dropTunnels = true;
            waitUntil(Duration.ofSeconds(20), () -> {
                try {
                    return errors(get("/v1/deliveries/" + delivery)).stream().anyMatch(e ->
                            e.startsWith("proxy error: the tunnel through the proxy broke before the receiver answered"));
                } catch (Exception e) {
                    return false;
                }
            });

            proxy.dropTunnels = false;
            proxy.stop();
            String exhausted = send("proxy.exhausted", 2);
            waitUntil(Duration.ofSeconds(20), () -> attempts(delivery) >= 6 && status(exhausted).equals("failed"));
            List<String> errors = errors(get("/v1/deliveries/" + delivery));
            assertThat(errors.get(errors.size() - 1)).startsWith("proxy error: no tunnel through the proxy");
            assertThat(errors).allMatch(e -> e.startsWith("proxy error: ") && !e.contains(String.valueOf(proxy.port())));
            assertThat(errors(get("/v1/deliveries/" + exhausted))).hasSize(3).allMatch(e -> e.startsWith("proxy error: "));

            for (String id : List.of(hook, exhausting)) {
                JsonNode w = get("/v1/webhooks/" + id);
                assertThat(w.get("endpoint_state").asText()).as(w.toString()).isEqualTo("closed");
                assertThat(w.get("endpoint_failing").isNull()).as(w.toString()).isTrue();
                assertThat(w.get("active").asBoolean()).as(w.toString()).isTrue();
                assertThat(w.get("disabled_reason").isNull()).as(w.toString()).isTrue();
            }
            assertThat(receiver.requests).isEmpty();
            // Counted apart in the metrics: herald_delivery_attempts_total{outcome="egress"}.
            assertThat(MetricsTest.counter(MetricsTest.scrape(herald), "herald_delivery_attempts_total", "outcome=\"egress\""))
                    .isGreaterThanOrEqualTo(errors.size() + 3);

            proxy.start();
            waitUntil(Duration.ofSeconds(20), () -> status(delivery).equals("success"));
            assertThat(receiver.to("/outage")).hasSize(1);
            JsonNode done = get("/v1/deliveries/" + delivery);
            assertThat(errors(done).get(errors(done).size() - 1)).isNull();
        } finally {
            proxy.refuse = false;
            proxy.dropTunnels = false;
        }
    }

    @Test
    void aTokenRequestTheProxyRefusesIsTheProxysFailureNotTheReceivers() throws Exception {
        try (Receiver receiver = new Receiver();
             TokenServer tokens = new TokenServer().client("via-proxy", "s3cret-via-proxy", "client_secret_basic", null, null)) {
            String hook = webhook(receiver.url("/token-via-proxy"), "proxy.token",
                    ",\"retry_schedule\":[\"0s\",\"1s\",\"1s\",\"1s\",\"1s\",\"1s\",\"1s\"],\"auth\":{\"type\":"
                            + "\"oauth2_client_credentials\",\"token_url\":\"" + tokens.url() + "\",\"client_id\":\"via-proxy\","
                            + "\"client_secret\":\"s3cret-via-proxy\"}");
            proxy.refuse = true;
            String delivery = send("proxy.token", 1);
            // More failed token requests than the breaker's 3.
            waitUntil(Duration.ofSeconds(20), () -> attempts(delivery) >= 4);
            assertThat(errors(get("/v1/deliveries/" + delivery))).allMatch(e -> e.startsWith("token request to ")
                    && e.contains("proxy error: the proxy answered 403 Forbidden to CONNECT"));
            JsonNode w = get("/v1/webhooks/" + hook);
            assertThat(w.get("endpoint_state").asText()).as(w.toString()).isEqualTo("closed");
            assertThat(w.get("endpoint_failing").isNull()).as(w.toString()).isTrue();
            assertThat(tokens.calls.get()).isZero();

            proxy.refuse = false;
            waitUntil(Duration.ofSeconds(20), () -> status(delivery).equals("success"));
            assertThat(receiver.to("/token-via-proxy")).hasSize(1);
            assertThat(tokens.calls.get()).isEqualTo(1);
        } finally {
            proxy.refuse = false;
        }
    }

    private static int attempts(String delivery) {
        try {
            return get("/v1/deliveries/" + delivery).get("attempts").size();
        } catch (Exception e) {
            return 0;
        }
    }

    private static String status(String delivery) {
        try {
            return get("/v1/deliveries/" + delivery).get("status").asText();
        } catch (Exception e) {
            return "";
        }
    }
}
