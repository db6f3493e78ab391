package dev.herald.it;

import static dev.herald.it.ApiCalls.assertError;
import static dev.herald.it.HeraldApp.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.herald.egress.TestPki;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Map;

/**
 * A webhook's {@code tls} through the API: refusals name the field, the key is never shown (only
 * {@code ****}), a PATCH without the key keeps it, {@code tls: null} removes it, and with
 * herald.secrets.key the row holds it sealed.
 */
class MutualTlsApiTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static TestPki.Issued clientCa;
    static TestPki.Issued serverCa;
    static TestPki.Issued alice;
    static TestPki.Issued bob;
    static TlsReceiver receiver;
    static HeraldApp herald;

    @BeforeAll
    static void start() throws Exception {
        clientCa = TestPki.ca("Client CA");
        serverCa = TestPki.ca("Server CA");
        alice = TestPki.client(clientCa, "alice", "EC");
        bob = TestPki.client(clientCa, "bob", "EC");
        receiver = new TlsReceiver(TestPki.server(serverCa, "127.0.0.1", null).serverContext(clientCa));
        herald = new HeraldApp(Map.of("herald.secrets.key", SecretsAtRestTest.newKey()));
    }

    @AfterAll
    static void stop() throws Exception {
        if (herald != null) {
            herald.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    static ObjectNode body(String url, String type, String certificate, String key, String ca) {
        ObjectNode body = JSON.createObjectNode().put("url", url);
        body.putArray("events").add(type);
        body.putArray("retry_schedule").add("0s");
        ObjectNode tls = body.putObject("tls").put("client_certificate", certificate);
        if (key != null) {
            tls.put("client_key", key);
        }
        if (ca != null) {
            tls.put("ca_certificate", ca);
        }
        return body;
    }

    /** 40 characters of the key's secret part (past the header every key of its type shares). */
    static String keyExcerpt(TestPki.Issued issued) {
        return Base64.getEncoder().encodeToString(issued.key().getEncoded()).substring(48, 88);
    }

    static HttpResponse<String> post(ObjectNode body) throws Exception {
        return herald.call("POST", "/v1/webhooks", body.toString());
    }

    @Test
    void refusalsNameTheFieldAndNeverQuoteTheKey() throws Exception {
        String url = receiver.url("/refused");
        Instant expiredAt = Instant.now().minus(Duration.ofDays(3)).truncatedTo(ChronoUnit.SECONDS);
        TestPki.Issued expired = TestPki.client(clientCa, "expired", "EC", expiredAt.minus(Duration.ofDays(30)), expiredAt);

        HttpResponse<String> badCert = post(body(url, "t", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----",
                alice.keyPem(), null));
        assertError(badCert, 400, "tls.client_certificate");
        assertError(post(body(url, "t", alice.certificatePem(), "not a key", null)), 400, "tls.client_key");
        HttpResponse<String> mismatch = post(body(url, "t", alice.certificatePem(), bob.keyPem(), null));
        assertError(mismatch, 400, "tls.client_key");
        assertThat(mismatch.body()).contains("does not match the certificate");
        HttpResponse<String> old = post(body(url, "t", expired.certificatePem(), expired.keyPem(), null));
        assertError(old, 400, "tls.client_certificate");
        assertThat(old.body()).contains("expired at " + expiredAt);
        assertError(post(body(url, "t", alice.certificatePem(), alice.keyPem(), "garbage")), 400, "tls.ca_certificate");
        // A key pasted where the certificate goes.
        HttpResponse<String> swapped = post(body(url, "t", alice.keyPem(), alice.keyPem(), null));
        assertError(swapped, 400, "tls.client_certificate");
        // Over plain http the certificate would never be used.
        assertError(post(body("http://127.0.0.1:9/x", "t", alice.certificatePem(), alice.keyPem(), null)), 400, "tls");

        for (HttpResponse<String> r : new HttpResponse[] {badCert, mismatch, old, swapped}) {
            assertThat(r.body()).doesNotContain(keyExcerpt(alice)).doesNotContain(keyExcerpt(bob))
                    .doesNotContain(keyExcerpt(expired));
        }
    }

    @Test
    void theKeyIsNeverShownIsSealedInTheRowAndAPatchWithoutItKeepsIt() throws Exception {
        HttpResponse<String> created = post(body(receiver.url("/kept"), "api.kept", alice.certificatePem(), alice.keyPem(),
                serverCa.certificatePem()));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode hook = JSON.readTree(created.body());
        String id = hook.get("id").asText();
        assertThat(hook.get("tls").get("client_key").asText()).isEqualTo("****");
        assertThat(hook.get("tls").get("client_certificate").asText()).isEqualTo(alice.certificatePem());
        assertThat(hook.get("tls").get("ca_certificate").asText()).isEqualTo(serverCa.certificatePem());
        String one = herald.call("GET", "/v1/webhooks/" + id, null).body();
        String list = herald.call("GET", "/v1/webhooks?limit=250", null).body();
        for (String answer : new String[] {created.body(), one, list}) {
            assertThat(answer).contains("\"client_key\":\"****\"").doesNotContain(keyExcerpt(alice))
                    .doesNotContain("PRIVATE KEY");
        }
        String row = raw("SELECT tls FROM webhook WHERE id = '" + id + "'");
        assertThat(row).contains("sealed:v1:").contains("BEGIN CERTIFICATE").doesNotContain(keyExcerpt(alice))
                .doesNotContain("PRIVATE KEY");

        // Without client_key: the stored key stays (and is checked against the certificate given).
        HttpResponse<String> kept = herald.call("PATCH", "/v1/webhooks/" + id, "{\"name\":\"renamed\",\"tls\":{"
                + "\"client_certificate\":" + JSON.writeValueAsString(alice.certificatePem())
                + ",\"ca_certificate\":" + JSON.writeValueAsString(serverCa.certificatePem()) + "}}");
        assertThat(kept.statusCode()).as(kept.body()).isEqualTo(200);
        HttpResponse<String> otherCert = herald.call("PATCH", "/v1/webhooks/" + id, "{\"tls\":{\"client_certificate\":"
                + JSON.writeValueAsString(bob.certificatePem()) + "}}");
        assertError(otherCert, 400, "tls.client_key");
        HttpResponse<String> event = herald.call("POST", "/v1/events", "{\"type\":\"api.kept\",\"data\":{}}");
        assertThat(event.statusCode()).isEqualTo(202);
        waitUntil(Duration.ofSeconds(20), () -> receiver.to("/kept").size() == 1);
        assertThat(receiver.to("/kept").get(0).clientSubject()).isEqualTo("CN=alice");

        HttpResponse<String> toHttp = herald.call("PATCH", "/v1/webhooks/" + id, "{\"url\":\"http://127.0.0.1:9/x\"}");
        assertError(toHttp, 400, "url");

        HttpResponse<String> removed = herald.call("PATCH", "/v1/webhooks/" + id, "{\"tls\":null}");
        assertThat(removed.statusCode()).as(removed.body()).isEqualTo(200);
        assertThat(JSON.readTree(herald.call("GET", "/v1/webhooks/" + id, null).body()).get("tls").isNull()).isTrue();
        assertThat(raw("SELECT tls FROM webhook WHERE id = '" + id + "'")).contains("TLS=null");
    }

    /** The tls column of one webhook row, as the database holds it (read beside Herald, same H2 database). */
    static String raw(String sql) throws Exception {
        String url = "jdbc:h2:file:" + herald.dataDir.resolve("herald") + ";DB_CLOSE_ON_EXIT=FALSE";
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, "sa", "");
             java.sql.Statement s = c.createStatement(); java.sql.ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return "TLS=" + rs.getString(1);
        }
    }
}
