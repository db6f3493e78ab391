package dev.herald.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static dev.herald.it.HeraldApp.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retention in a running Herald (period 2 s, a run every second): what finished goes with its
 * attempts and its event, what is pending stays with its event, and an event no webhook wanted
 * goes once it is older than the period.
 */
class RetentionTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static HeraldApp herald;
    static Receiver ok;
    static Receiver failing;

    @BeforeAll
    static void start() throws Exception {
        ok = new Receiver();
        failing = new Receiver();
        failing.status.set(500);
        herald = new HeraldApp(Map.of("herald.retention.period", "2s", "herald.retention.interval", "1s"));
    }

    @AfterAll
    static void stop() throws Exception {
        herald.close();
        ok.close();
        failing.close();
    }

    @Test
    void aDeliveredAndAFailedDeliveryGoWithTheirAttemptsAndEvents() throws Exception {
        String type = unique("ret.done");
        webhook(ok.url("/delivered"), type, "");
        webhook(failing.url("/exhausted"), type, ",\"retry_schedule\":[\"0s\"]");
        JsonNode accepted = post(type);
        String event = accepted.get("id").asText();
        assertThat(accepted.get("deliveries")).hasSize(2);

        waitUntil(Duration.ofSeconds(15), () -> ok.to("/delivered").size() == 1 && failing.to("/exhausted").size() == 1);
        for (JsonNode delivery : accepted.get("deliveries")) {
            waitUntil(Duration.ofSeconds(30), () -> status("/v1/deliveries/" + delivery.asText()) == 404);
            assertThat(attemptRows(delivery.asText())).as("attempts of " + delivery.asText()).isZero();
        }
        waitUntil(Duration.ofSeconds(30), () -> status("/v1/events/" + event) == 404);
    }

    @Test
    void aPendingDeliveryAndItsEventStayWhileAnEventNoWebhookWantedGoes() throws Exception {
        String type = unique("ret.pending");
        webhook(failing.url("/retrying"), type, ",\"retry_schedule\":[\"0s\",\"1h\"]");
        JsonNode accepted = post(type);
        String event = accepted.get("id").asText();
        String delivery = accepted.get("deliveries").get(0).asText();
        waitUntil(Duration.ofSeconds(15), () -> failing.to("/retrying").size() == 1);
        waitUntil(Duration.ofSeconds(15), () -> json("/v1/deliveries/" + delivery).get("attempts").size() == 1);

        // Received after the pending one and matching no webhook: once a run has deleted it, that run's
        // cutoff was past the pending event too.
        JsonNode unwanted = post(unique("ret.nobody"));
        assertThat(unwanted.get("deliveries")).isEmpty();
        waitUntil(Duration.ofSeconds(30), () -> status("/v1/events/" + unwanted.get("id").asText()) == 404);

        JsonNode kept = json("/v1/deliveries/" + delivery);
        assertThat(kept.get("status").asText()).isEqualTo("pending");
        assertThat(kept.get("attempts")).hasSize(1);
        assertThat(attemptRows(delivery)).isEqualTo(1);
        assertThat(status("/v1/events/" + event)).isEqualTo(200);
    }

    static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().substring(0, 8);
    }

    static void webhook(String url, String type, String extra) throws Exception {
        HttpResponse<String> r = herald.call("POST", "/v1/webhooks", "{\"url\":\"" + url + "\",\"events\":[\"" + type
                + "\"],\"secret\":\"s3cret\"" + extra + "}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    static JsonNode post(String type) throws Exception {
        HttpResponse<String> r = herald.call("POST", "/v1/events", "{\"type\":\"" + type + "\",\"data\":{\"n\":1}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return JSON.readTree(r.body());
    }

    static int status(String path) {
        try {
            return herald.call("GET", path, null).statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(String path) {
        try {
            HttpResponse<String> r = herald.call("GET", path, null);
            assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The delivery's rows in the attempt log, read beside Herald (same JVM, same H2 database). */
    static long attemptRows(String delivery) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + herald.dataDir.resolve("herald")
                + ";DB_CLOSE_ON_EXIT=FALSE", "sa", "");
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM delivery_attempt WHERE delivery_id = ?")) {
            ps.setString(1, delivery);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
