package dev.herald.it;

import static dev.herald.it.HeraldApp.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.herald.store.TestDatabase;
import dev.herald.store.TestPostgres;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A receiver answering 200 with a NUL, invalid UTF-8 and a control character in its body (and a
 * NUL and a control character in header values) is recorded once, as a success, with the text sanitized, on
 * H2 and on PostgreSQL, which refuses NUL in text: there it used to fail the group commit,
 * leaving the delivery pending with no attempt, to be sent again after its lease.
 */
class ReceiverBytesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void aReceiversBytesAreRecordedOnceAndSanitized(String kind) throws Exception {
        String schema = kind.equals("h2") ? null : TestDatabase.createPostgresSchema();
        Map<String, String> overrides = new HashMap<>();
        if (schema != null) {
            overrides.put("herald.db.url", TestPostgres.url(schema));
            overrides.put("herald.db.user", TestDatabase.PG_USER);
        }
        try (RawReceiver receiver = new RawReceiver(out -> {
                 out.write(response());
                 out.flush();
             });
             HeraldApp herald = new HeraldApp(overrides)) {
            HttpResponse<String> hook = herald.call("POST", "/v1/webhooks",
                    "{\"url\":\"" + receiver.url("/raw") + "\",\"events\":[\"raw.*\"]}");
            assertThat(hook.statusCode()).as(hook.body()).isEqualTo(201);
            HttpResponse<String> accepted = herald.call("POST", "/v1/events", "{\"type\":\"raw.bytes\",\"data\":{}}");
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
            String deliveryId = JSON.readTree(accepted.body()).get("deliveries").get(0).asText();

            waitUntil(Duration.ofSeconds(20), () -> "success".equals(delivery(herald, deliveryId).get("status").asText()));
            JsonNode d = delivery(herald, deliveryId);
            assertThat(d.get("attempts").size()).isEqualTo(1);
            JsonNode response = d.get("attempts").get(0).get("response");
            assertThat(response.get("status_code").asInt()).isEqualTo(200);
            // NUL and \u0001 replaced here; the decoder already put U+FFFD for the byte 0xC3.
            assertThat(response.get("body").asText()).isEqualTo("ok\uFFFDx\uFFFD(\uFFFD!");
            // The HTTP client (HttpClient 5 async) lets control characters in header values through, but
            // hands a NUL over as a space; either way none reaches the log.
            assertThat(response.get("headers").get("X-Odd").asText()).isEqualTo("a\uFFFDb");
            assertThat(response.get("headers").get("X-Nul").asText()).isEqualTo("c d");

            // Past the lease (5 s in these tests): a result that was not recorded would be sent again.
            Thread.sleep(6_000);
            assertThat(receiver.requests).as("requests the receiver got").hasSize(1);
            assertThat(delivery(herald, deliveryId).get("attempts").size()).isEqualTo(1);
        } finally {
            if (schema != null) {
                TestDatabase.dropPostgresSchema(schema);
            }
        }
    }

    /** 200 with body "ok", NUL, "x", 0xC3 0x28 (invalid UTF-8), 0x01, "!" and header values holding 0x01 and NUL. */
    private static byte[] response() {
        byte[] body = {'o', 'k', 0, 'x', (byte) 0xC3, 0x28, 0x01, '!'};
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nX-Odd: a\u0001b\r\nX-Nul: c\u0000d\r\n"
                + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(body);
        return out.toByteArray();
    }

    private static JsonNode delivery(HeraldApp herald, String id) {
        try {
            HttpResponse<String> r = herald.call("GET", "/v1/deliveries/" + id, null);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            return JSON.readTree(r.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
