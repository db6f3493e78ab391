package dev.herald.it;

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
import java.util.Map;

/**
 * Mutual TLS end to end: Herald delivers over real TLS to HTTPS receivers on 127.0.0.1 that
 * require a client certificate from their CA. A webhook presents its own certificate (never
 * another webhook's, even to the same receiver), trusts the receiver only through its
 * ca_certificate (else the JVM's store) and checks the receiver's name.
 */
class MutualTlsTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static TestPki.Issued clientCa;
    static TestPki.Issued serverCa;
    static TestPki.Issued alice;
    static TestPki.Issued bob;
    static TestPki.Issued mallory;
    /** Server certificate from serverCa for 127.0.0.1; requires clients of clientCa. */
    static TlsReceiver receiver;
    /** Server certificate for 127.0.0.1 from a CA no webhook names. */
    static TlsReceiver otherCaReceiver;
    /** Server certificate from serverCa, but for another name. */
    static TlsReceiver wrongNameReceiver;
    static HeraldApp herald;

    @BeforeAll
    static void start() throws Exception {
        clientCa = TestPki.ca("Client CA");
        serverCa = TestPki.ca("Server CA");
        TestPki.Issued otherServerCa = TestPki.ca("Other Server CA");
        alice = TestPki.client(clientCa, "alice", "EC");
        bob = TestPki.client(clientCa, "bob", "RSA");
        mallory = TestPki.client(TestPki.ca("Untrusted Client CA"), "mallory", "EC");
        receiver = new TlsReceiver(TestPki.server(serverCa, "127.0.0.1", null).serverContext(clientCa));
        otherCaReceiver = new TlsReceiver(TestPki.server(otherServerCa, "127.0.0.1", null).serverContext(clientCa));
        wrongNameReceiver = new TlsReceiver(TestPki.server(serverCa, null, "other.example").serverContext(clientCa));
        herald = new HeraldApp(Map.of("herald.secrets.key", SecretsAtRestTest.newKey()));
    }

    @AfterAll
    static void stop() throws Exception {
        if (herald != null) {
            herald.close();
        }
        for (TlsReceiver r : new TlsReceiver[] {receiver, otherCaReceiver, wrongNameReceiver}) {
            if (r != null) {
                r.close();
            }
        }
    }

    static ObjectNode tls(TestPki.Issued client, TestPki.Issued ca) {
        ObjectNode tls = JSON.createObjectNode().put("client_certificate", client.certificatePem())
                .put("client_key", client.keyPem());
        if (ca != null) {
            tls.put("ca_certificate", ca.certificatePem());
        }
        return tls;
    }

    static ObjectNode hookBody(String url, String type, JsonNode tls) {
        ObjectNode body = JSON.createObjectNode().put("url", url);
        body.putArray("events").add(type);
        body.putArray("retry_schedule").add("0s");
        body.set("tls", tls);
        return body;
    }

    static JsonNode create(ObjectNode body) throws Exception {
        HttpResponse<String> r = herald.call("POST", "/v1/webhooks", body.toString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return JSON.readTree(r.body());
    }

    /** Posts one event of {@code type}; the id of its one delivery. */
    static String send(String type) throws Exception {
        HttpResponse<String> r = herald.call("POST", "/v1/events", "{\"type\":\"" + type + "\",\"data\":{\"n\":1}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return JSON.readTree(r.body()).get("deliveries").get(0).asText();
    }

    /** The delivery once it is finished (success or failed). */
    static JsonNode finished(String deliveryId) throws Exception {
        JsonNode[] d = new JsonNode[1];
        waitUntil(Duration.ofSeconds(20), () -> {
            try {
                d[0] = JSON.readTree(herald.call("GET", "/v1/deliveries/" + deliveryId, null).body());
                return !"pending".equals(d[0].get("status").asText());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        return d[0];
    }

    static String attemptError(JsonNode delivery) {
        return delivery.get("attempts").get(0).get("error").asText();
    }

    @Test
    void theWebhooksCertificateIsPresentedAndTheDeliverySucceeds() throws Exception {
        create(hookBody(receiver.url("/alice"), "mtls.alice", tls(alice, serverCa)));
        String deliveryId = send("mtls.alice");
        JsonNode delivery = finished(deliveryId);
        assertThat(delivery.get("status").asText()).as(delivery.toString()).isEqualTo("success");
        assertThat(receiver.to("/alice")).hasSize(1);
        TlsReceiver.Hit hit = receiver.to("/alice").get(0);
        assertThat(hit.clientSubject()).isEqualTo("CN=alice");
        assertThat(hit.body()).contains("\"type\":\"mtls.alice\"").contains(hit.eventId());
    }

    @Test
    void aCertificateTheReceiverDoesNotTrustFailsWithATlsErrorAndNothingArrives() throws Exception {
        create(hookBody(receiver.url("/mallory"), "mtls.mallory", tls(mallory, serverCa)));
        JsonNode delivery = finished(send("mtls.mallory"));
        assertThat(delivery.get("status").asText()).as(delivery.toString()).isEqualTo("failed");
        // The receiver's alert (a JDK server says certificate_unknown; others unknown_ca or bad_certificate).
        assertThat(attemptError(delivery)).startsWith("TLS error").contains("alert");
        assertThat(receiver.to("/mallory")).isEmpty();
        assertThat(receiver.refused).isNotEmpty();
    }

    @Test
    void twoWebhooksToOneReceiverEachPresentTheirOwnCertificate() throws Exception {
        create(hookBody(receiver.url("/pair-alice"), "mtls.pair", tls(alice, serverCa)));
        create(hookBody(receiver.url("/pair-bob"), "mtls.pair", tls(bob, serverCa)));
        int events = 6;
        for (int i = 0; i < events; i++) {
            HttpResponse<String> r = herald.call("POST", "/v1/events", "{\"type\":\"mtls.pair\",\"data\":{\"i\":" + i + "}}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        }
        waitUntil(Duration.ofSeconds(20),
                () -> receiver.to("/pair-alice").size() == events && receiver.to("/pair-bob").size() == events);
        assertThat(receiver.to("/pair-alice")).extracting(TlsReceiver.Hit::clientSubject).containsOnly("CN=alice");
        assertThat(receiver.to("/pair-bob")).extracting(TlsReceiver.Hit::clientSubject).containsOnly("CN=bob");
    }

    @Test
    void theCaCertificateIsTheOnlyTrustAndWithoutOneTheJvmStoreIs() throws Exception {
        // serverCa signed `receiver`'s certificate: trusted through ca_certificate above, not by the JVM.
        create(hookBody(receiver.url("/jvm-store"), "mtls.jvm", tls(alice, null)));
        JsonNode jvm = finished(send("mtls.jvm"));
        assertThat(jvm.get("status").asText()).isEqualTo("failed");
        assertThat(attemptError(jvm)).startsWith("TLS error").contains("certification path");

        create(hookBody(otherCaReceiver.url("/other-ca"), "mtls.otherca", tls(alice, serverCa)));
        JsonNode other = finished(send("mtls.otherca"));
        assertThat(other.get("status").asText()).isEqualTo("failed");
        assertThat(attemptError(other)).startsWith("TLS error").contains("certification path");

        assertThat(receiver.to("/jvm-store")).isEmpty();
        assertThat(otherCaReceiver.hits).isEmpty();
    }

    @Test
    void theReceiversNameIsChecked() throws Exception {
        create(hookBody(wrongNameReceiver.url("/wrong-name"), "mtls.name", tls(alice, serverCa)));
        JsonNode delivery = finished(send("mtls.name"));
        assertThat(delivery.get("status").asText()).isEqualTo("failed");
        assertThat(attemptError(delivery)).startsWith("TLS error").contains("127.0.0.1")
                .contains("subject alternative names");
        assertThat(wrongNameReceiver.hits).isEmpty();
    }
}
