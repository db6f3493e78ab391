package dev.herald.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.herald.it.HeraldApp.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every source through to a real receiver: JMS on the embedded broker (in-VM and TCP),
 * its dead letter queue, file drops (.json, array, .ndjson with a bad line, a broken
 * file, a re-drop) and an operator's own YAML route from the working routes/ folder.
 */
class SourcesTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static HeraldApp herald;
    static Receiver receiver;
    static int jmsPort;
    static Path inbox;
    // The embedded broker's TCP login, set here rather than generated into the data directory.
    static final String JMS_USER = "sources-test";
    static final String JMS_PASSWORD = UUID.randomUUID().toString();

    @BeforeAll
    static void start() throws Exception {
        receiver = new Receiver();
        jmsPort = HeraldApp.freePort();
        Path routes = Files.createTempDirectory("herald-routes");
        // The README's operator route, dropped in routes/ without rebuilding Herald.
        Files.copy(Path.of("examples/routes/esb-orders.yaml"), routes.resolve("esb-orders.yaml"));
        herald = new HeraldApp(Map.of(
                "herald.jms.enabled", "true",
                "herald.jms.embedded.port", Integer.toString(jmsPort),
                "herald.jms.embedded.user", JMS_USER,
                "herald.jms.embedded.password", JMS_PASSWORD,
                "herald.routes.dir", routes.toString()));
        inbox = herald.dataDir.resolve("inbox");
        HttpResponse<String> r = herald.call("POST", "/v1/webhooks", "{\"url\":\"" + receiver.url("/in")
                + "\",\"events\":[\"*\"]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    @AfterAll
    static void stop() throws Exception {
        herald.close();
        receiver.close();
    }

    @Test
    void jmsMessagesOverTcpAndInVmAreDelivered() throws Exception {
        String tcpId = "jms_tcp_" + UUID.randomUUID();
        send(tcp(), session -> session.createTextMessage(
                "{\"id\":\"" + tcpId + "\",\"type\":\"order.paid\",\"data\":{\"amount\":1200}}"));
        // In-VM: the same JVM as the broker, as a Camel route or an embedding application would send.
        String marker = UUID.randomUUID().toString();
        send(new ActiveMQConnectionFactory("vm://0"), session -> {
            BytesMessage m = session.createBytesMessage();
            m.writeBytes(("[{\"type\":\"order.shipped\",\"data\":{\"m\":\"" + marker + "\",\"n\":1}},"
                    + "{\"type\":\"order.shipped\",\"data\":{\"m\":\"" + marker + "\",\"n\":2}}]").getBytes(StandardCharsets.UTF_8));
            return m;
        });

        JsonNode tcp = awaitEnvelope(e -> e.get("id").asText().equals(tcpId));
        assertThat(tcp.get("type").asText()).isEqualTo("order.paid");
        assertThat(tcp.get("data").get("amount").asInt()).isEqualTo(1200);
        waitUntil(Duration.ofSeconds(20), () -> envelopes(e -> marker.equals(e.get("data").path("m").asText())).size() == 2);
        assertThat(envelopes(e -> marker.equals(e.get("data").path("m").asText())))
                .extracting(e -> e.get("data").get("n").asInt()).containsExactlyInAnyOrder(1, 2);
    }

    @Test
    void aPoisonMessageGoesToTheDeadLetterQueueWithItsReasonAndTheNextIsDelivered() throws Exception {
        ConnectionFactory tcp = tcp();
        String goodId = "after_poison_" + UUID.randomUUID();
        send(tcp, session -> session.createTextMessage("{\"type\": \"order.paid\", \"data\": {"));
        send(tcp, session -> session.createTextMessage("{\"data\":{}}"));
        send(tcp, session -> session.createTextMessage("{\"type\":\"herald.webhook.disabled\",\"data\":{}}"));
        send(tcp, session -> session.createTextMessage("{\"id\":\"" + goodId + "\",\"type\":\"order.paid\",\"data\":{}}"));

        awaitEnvelope(e -> e.get("id").asText().equals(goodId));
        try (Connection c = tcp.createConnection()) {
            c.start();
            Session session = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer dlq = session.createConsumer(session.createQueue("herald.events.DLQ"));
            Message broken = dlq.receive(10_000);
            assertThat(broken).as("dead letter for the broken JSON").isNotNull();
            assertThat(body(broken)).isEqualTo("{\"type\": \"order.paid\", \"data\": {");
            assertThat(broken.getStringProperty("heraldErrorCode")).isEqualTo("invalid_json");
            assertThat(broken.getStringProperty("heraldReason")).contains("invalid_json").contains("line 1, column");
            Message noType = dlq.receive(10_000);
            assertThat(noType).as("dead letter for the event without a type").isNotNull();
            assertThat(body(noType)).isEqualTo("{\"data\":{}}");
            assertThat(noType.getStringProperty("heraldErrorField")).isEqualTo("type");
            assertThat(noType.getStringProperty("heraldReason")).contains("type is required");
            Message reserved = dlq.receive(10_000);
            assertThat(reserved).as("dead letter for an operational event type").isNotNull();
            assertThat(reserved.getStringProperty("heraldErrorField")).isEqualTo("type");
            assertThat(reserved.getStringProperty("heraldReason")).contains("operational events");
        }
    }

    @Test
    void aJsonFileAndAnArrayFileAreDeliveredAndMovedToDone() throws Exception {
        String id = "file_one_" + UUID.randomUUID();
        drop("one.json", "{\"id\":\"" + id + "\",\"type\":\"file.single\",\"data\":{\"k\":\"v\"}}");
        String marker = UUID.randomUUID().toString();
        drop("many.json", "[{\"type\":\"file.array\",\"data\":{\"m\":\"" + marker + "\"}},"
                + "{\"type\":\"file.array\",\"data\":{\"m\":\"" + marker + "\"}},"
                + "{\"type\":\"file.array\",\"data\":{\"m\":\"" + marker + "\"}}]");

        assertThat(awaitEnvelope(e -> e.get("id").asText().equals(id)).get("data").get("k").asText()).isEqualTo("v");
        waitUntil(Duration.ofSeconds(20), () -> envelopes(e -> marker.equals(e.get("data").path("m").asText())).size() == 3);
        waitUntil(Duration.ofSeconds(10), () -> Files.exists(inbox.resolve(".done/one.json"))
                && Files.exists(inbox.resolve(".done/many.json")));
        assertThat(inbox.resolve("one.json")).doesNotExist();

        // Dropped again: the id was seen, so nothing is delivered twice.
        drop("one.json", "{\"id\":\"" + id + "\",\"type\":\"file.single\",\"data\":{\"k\":\"v\"}}");
        waitUntil(Duration.ofSeconds(10), () -> !Files.exists(inbox.resolve("one.json")));
        Thread.sleep(1000);
        assertThat(envelopes(e -> e.get("id").asText().equals(id))).hasSize(1);
    }

    @Test
    void anNdjsonFileDeliversItsGoodLinesAndListsTheBadOne() throws Exception {
        String marker = UUID.randomUUID().toString();
        drop("feed.ndjson", String.join("\n",
                "{\"type\":\"feed.item\",\"data\":{\"m\":\"" + marker + "\",\"line\":1}}",
                "{\"type\":\"feed.item\",\"data\":{\"m\":\"" + marker + "\",\"line\":2}",
                "",
                "{\"type\":\"feed.item\",\"data\":{\"m\":\"" + marker + "\",\"line\":4}}") + "\n");

        waitUntil(Duration.ofSeconds(20), () -> envelopes(e -> marker.equals(e.get("data").path("m").asText())).size() == 2);
        waitUntil(Duration.ofSeconds(10), () -> Files.exists(inbox.resolve(".done/feed.ndjson")));
        assertThat(envelopes(e -> marker.equals(e.get("data").path("m").asText())))
                .extracting(e -> e.get("data").get("line").asInt()).containsExactlyInAnyOrder(1, 4);
        List<String> rejected = Files.readAllLines(inbox.resolve(".error/feed.ndjson.rejected.ndjson"));
        assertThat(rejected).hasSize(1);
        JsonNode row = JSON.readTree(rejected.get(0));
        assertThat(row.get("line").asInt()).isEqualTo(2);
        assertThat(row.get("error").get("code").asText()).isEqualTo("invalid_json");
        assertThat(row.get("text").asText()).contains("\"line\":2");
    }

    @Test
    void aBrokenFileMovesToErrorWithItsReason() throws Exception {
        drop("broken.json", "{\"type\":\"x.y\",\n \"data\": {\"a\": 1,}}");
        drop("untyped.json", "[{\"type\":\"ok.one\",\"data\":{}},{\"data\":{}}]");
        drop("reserved.json", "{\"type\":\"herald.delivery.exhausted\",\"data\":{}}");

        waitUntil(Duration.ofSeconds(20), () -> Files.exists(inbox.resolve(".error/broken.json"))
                && Files.exists(inbox.resolve(".error/untyped.json")) && Files.exists(inbox.resolve(".error/reserved.json")));
        assertThat(Files.readString(inbox.resolve(".error/reserved.json.error.txt"))).contains("type")
                .contains("operational events");
        String broken = Files.readString(inbox.resolve(".error/broken.json.error.txt"));
        assertThat(broken).contains("invalid_json").contains("line 2, column");
        String untyped = Files.readString(inbox.resolve(".error/untyped.json.error.txt"));
        assertThat(untyped).contains("[1].type").contains("type is required");
        assertThat(inbox.resolve("broken.json")).doesNotExist();
        // A refused file is all or nothing: its good first event was not ingested either.
        Thread.sleep(500);
        assertThat(envelopes(e -> e.get("type").asText().equals("ok.one"))).isEmpty();
    }

    @Test
    void anOperatorRouteInTheRoutesFolderFeedsIngest() throws Exception {
        String order = "o-" + UUID.randomUUID();
        send(tcp(), "esb.orders",
                session -> session.createTextMessage("{\"order_id\":\"" + order + "\",\"status\":\"paid\"}"));
        JsonNode e = awaitEnvelope(env -> order.equals(env.get("data").path("order_id").asText()));
        assertThat(e.get("type").asText()).isEqualTo("order.updated");
        assertThat(e.get("data").get("status").asText()).isEqualTo("paid");
    }

    // --- helpers -------------------------------------------------------------------------

    interface MessageMaker {
        Message make(Session session) throws Exception;
    }

    static ConnectionFactory tcp() {
        return new ActiveMQConnectionFactory("tcp://127.0.0.1:" + jmsPort, JMS_USER, JMS_PASSWORD);
    }

    static void send(ConnectionFactory factory, MessageMaker maker) throws Exception {
        send(factory, "herald.events", maker);
    }

    static void send(ConnectionFactory factory, String queue, MessageMaker maker) throws Exception {
        try (Connection c = factory.createConnection()) {
            Session session = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue(queue));
            producer.send(maker.make(session));
        }
    }

    static String body(Message m) throws Exception {
        return m instanceof TextMessage t ? t.getText() : new String(m.getBody(byte[].class), StandardCharsets.UTF_8);
    }

    /** Written under a hidden name, then renamed: the inbox never sees a half-written file. */
    static void drop(String name, String content) throws Exception {
        Files.createDirectories(inbox);
        Path tmp = inbox.resolve("." + name + ".part");
        Files.writeString(tmp, content);
        Files.move(tmp, inbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    static List<JsonNode> envelopes(java.util.function.Predicate<JsonNode> filter) {
        return receiver.requests.stream().map(r -> {
            try {
                return JSON.readTree(r.body());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).filter(filter).toList();
    }

    static JsonNode awaitEnvelope(java.util.function.Predicate<JsonNode> filter) throws Exception {
        waitUntil(Duration.ofSeconds(20), () -> !envelopes(filter).isEmpty());
        return envelopes(filter).get(0);
    }
}
