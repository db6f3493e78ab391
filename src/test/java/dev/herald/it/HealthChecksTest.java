package dev.herald.it;

import dev.herald.ingest.EmbeddedBroker;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static dev.herald.it.HeraldApp.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * /observe/health/ready names the readiness check that is DOWN ("embedded-broker" here,
 * "database" in {@link DatabaseOutageTest}) and answers 503; /observe/health/live stays 200.
 */
class HealthChecksTest {

    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    /** A GET on the management port, e.g. "/observe/health/ready?data=true". */
    static HttpResponse<String> health(HeraldApp herald, String path) {
        try {
            return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + herald.managementPort + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void readinessIsDownWhileTheEmbeddedBrokerIsStopped() throws Exception {
        try (HeraldApp herald = new HeraldApp(Map.of("herald.jms.enabled", "true", "herald.jms.embedded.port", "0"))) {
            HttpResponse<String> ready = health(herald, "/observe/health/ready");
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).isEqualTo("{\"status\":\"UP\"}");

            EmbeddedBroker broker = herald.camelContext().hasService(EmbeddedBroker.class);
            broker.stop();
            waitUntil(Duration.ofSeconds(10), () -> health(herald, "/observe/health/ready").statusCode() == 503);
            HttpResponse<String> down = health(herald, "/observe/health/ready");
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.body()).isEqualTo("{\"status\":\"DOWN\",\"checks\":[{\"name\":\"embedded-broker\","
                    + "\"status\":\"DOWN\",\"message\":\"Embedded broker not started\"}]}");
            HttpResponse<String> live = health(herald, "/observe/health/live");
            assertThat(live.statusCode()).isEqualTo(200);
            assertThat(live.body()).isEqualTo("{\"status\":\"UP\"}");
            // The aggregate runs every check: DOWN too (so it is no liveness probe).
            assertThat(health(herald, "/observe/health").statusCode()).isEqualTo(503);

            broker.start();
            waitUntil(Duration.ofSeconds(30), () -> health(herald, "/observe/health/ready").statusCode() == 200);
        }
    }
}
