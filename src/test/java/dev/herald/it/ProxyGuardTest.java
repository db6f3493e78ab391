package dev.herald.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static dev.herald.it.HeraldApp.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The SSRF guard with a proxy: the proxy listens on 127.0.0.1, an address Herald would never
 * deliver to (only 127.0.0.2 is allowed), and still carries deliveries (the operator's choice);
 * a receiver whose name resolves to 127.0.0.1 is refused by Herald and never asked of the proxy.
 */
class ProxyGuardTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestProxy proxy;
    private static Receiver receiver;
    private static HeraldApp herald;

    @BeforeAll
    static void start() throws Exception {
        proxy = new TestProxy(null, null);
        receiver = new Receiver("127.0.0.2");
        herald = new HeraldApp(Map.of(
                "herald.delivery.allowed-networks", "127.0.0.2/32",
                "herald.delivery.proxy", "http://127.0.0.1:" + proxy.port()));
    }

    @AfterAll
    static void stop() throws Exception {
        herald.close();
        receiver.close();
        proxy.close();
    }

    private static String delivery(String url, String type) throws Exception {
        HttpResponse<String> created = herald.call("POST", "/v1/webhooks", "{\"url\":\"" + url
                + "\",\"events\":[\"" + type + "\"],\"retry_schedule\":[\"0s\",\"1s\"]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        HttpResponse<String> accepted = herald.call("POST", "/v1/events", "{\"type\":\"" + type + "\",\"data\":{}}");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        return JSON.readTree(accepted.body()).get("deliveries").get(0).asText();
    }

    private static JsonNode read(String delivery) {
        try {
            return JSON.readTree(herald.call("GET", "/v1/deliveries/" + delivery, null).body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aMalformedProxySettingStopsTheStartSayingWhichAndNotThePassword() throws Exception {
        try (LogCapture log = new LogCapture()) {
            assertThatThrownBy(() -> new HeraldApp(Map.of("herald.delivery.proxy", "https://ops:sekrit-7@127.0.0.1:3128")).close())
                    .rootCause()
                    .hasMessage("herald.delivery.proxy: only http:// proxies are supported (got https://)");
            assertThat(log.text()).doesNotContain("sekrit-7");
        }
    }

    @Test
    void anAllowedReceiverIsReachedThroughAProxyOnLoopback() throws Exception {
        String d = delivery(receiver.url("/allowed"), "guard.allowed");
        waitUntil(Duration.ofSeconds(20), () -> read(d).get("status").asText().equals("success"));
        assertThat(receiver.to("/allowed")).hasSize(1);
        assertThat(proxy.tunnels).contains("127.0.0.2:" + receiver.port());
    }

    @Test
    void aNameThatResolvesToLoopbackIsRefusedBeforeTheProxyIsAsked() throws Exception {
        int asked = proxy.asked.size();
        String d = delivery("http://localhost:" + receiver.port() + "/refused", "guard.refused");
        waitUntil(Duration.ofSeconds(20), () -> read(d).get("status").asText().equals("failed"));
        JsonNode attempts = read(d).get("attempts");
        assertThat(attempts).hasSize(2);
        for (JsonNode a : attempts) {
            assertThat(a.get("error").asText()).startsWith("address not allowed: localhost resolves to")
                    .contains("loopback").contains("herald.delivery.allowed-networks").endsWith("; nothing was sent");
            assertThat(a.get("response").isNull()).isTrue();
        }
        assertThat(receiver.to("/refused")).isEmpty();
        assertThat(proxy.asked).hasSize(asked).noneMatch(t -> t.startsWith("127.0.0.1") || t.startsWith("localhost"));
    }
}
