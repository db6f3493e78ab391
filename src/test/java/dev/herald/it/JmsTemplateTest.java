package dev.herald.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import static dev.herald.it.HeraldApp.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JMS source template as an operator uses it: examples/routes/esb-orders.yaml dropped into
 * herald.routes.dir of a running Herald consumes esb.orders, wraps bare order JSON as
 * order.updated events, dead-letters what it cannot ingest with the reason, and takes an edit of
 * the file without a restart; the built-in source, another instance, goes on as before.
 */
class JmsTemplateTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String USER = "template-test";
    static final String PASSWORD = UUID.randomUUID().toString();
    static HeraldApp herald;
    static Receiver receiver;
    static int jmsPort;

    @BeforeAll
    static void start() throws Exception {
        receiver = new Receiver();
        jmsPort = HeraldApp.freePort();
        herald = new HeraldApp(Map.of(
                "herald.jms.enabled", "true",
                "herald.jms.embedded.port", Integer.toString(jmsPort),
                "herald.jms.embedded.user", USER,
                "herald.jms.embedded.password", PASSWORD));
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
    void theEsbOrdersExampleWrapsOrdersDeadLettersWhatItCannotIngestAndReloads() throws Exception {
        String example = Files.readString(Path.of("examples/routes/esb-orders.yaml"));
        herald.writeRoute("esb-orders.yaml", example);

        String order = "o-" + UUID.randomUUID();
        send("esb.orders", "{\"order_id\":\"" + order + "\",\"status\":\"paid\"}");
        JsonNode event = awaitEnvelope(e -> order.equals(e.get("data").path("order_id").asText()));
        assertThat(event.get("type").asText()).isEqualTo("order.updated");
        assertThat(event.get("data")).isEqualTo(JSON.readTree("{\"order_id\":\"" + order + "\",\"status\":\"paid\"}"));

        // Refused: the message goes to the dead letter queue unchanged, with the reason.
        String broken = "{\"order_id\": \"" + order + "\",\n \"status\": }";
        send("esb.orders", broken);
        send("esb.orders", "[\"not\", \"an object\"]");
        try (Connection c = tcp().createConnection()) {
            c.start();
            Session session = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer dlq = session.createConsumer(session.createQueue("herald.events.DLQ"));
            Message notJson = dlq.receive(20_000);
            assertThat(notJson).as("dead letter for the broken JSON").isNotNull();
            assertThat(((TextMessage) notJson).getText()).isEqualTo(broken);
            assertThat(notJson.getStringProperty("heraldReason")).contains("invalid_json").contains("line 2, column");
            Message notObject = dlq.receive(20_000);
            assertThat(notObject).as("dead letter for data that is not an object").isNotNull();
            assertThat(notObject.getStringProperty("heraldErrorField")).isEqualTo("data");
            assertThat(notObject.getStringProperty("heraldReason")).contains("data must be a JSON object");
        }

        // The operator edits the file: the next orders come as the new type, without a restart.
        herald.writeRoute("esb-orders.yaml", example.replace("order.updated", "order.changed"));
        // Each order is delivered as whichever version of the route took it; sent one by one until the new one does.
        String type = null;
        for (int i = 0; i < 30 && !"order.changed".equals(type); i++) {
            String next = "o-" + UUID.randomUUID();
            send("esb.orders", "{\"order_id\":\"" + next + "\"}");
            type = awaitEnvelope(e -> next.equals(e.get("data").path("order_id").asText())).get("type").asText();
        }
        assertThat(type).isEqualTo("order.changed");

        // The built-in source, the same template, still takes whole events on herald.events.
        String id = "builtin_" + UUID.randomUUID();
        send("herald.events", "{\"id\":\"" + id + "\",\"type\":\"order.paid\",\"data\":{\"n\":1}}");
        assertThat(awaitEnvelope(e -> e.get("id").asText().equals(id)).get("type").asText()).isEqualTo("order.paid");
    }

    // --- helpers -------------------------------------------------------------------------

    static ConnectionFactory tcp() {
        return new ActiveMQConnectionFactory("tcp://127.0.0.1:" + jmsPort, USER, PASSWORD);
    }

    static void send(String queue, String text) throws Exception {
        try (Connection c = tcp().createConnection()) {
            Session session = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            session.createProducer(session.createQueue(queue)).send(session.createTextMessage(text));
        }
    }

    static List<JsonNode> envelopes(Predicate<JsonNode> filter) {
        return receiver.requests.stream().map(r -> {
            try {
                return JSON.readTree(r.body());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).filter(filter).toList();
    }

    static JsonNode awaitEnvelope(Predicate<JsonNode> filter) throws Exception {
        waitUntil(Duration.ofSeconds(30), () -> !envelopes(filter).isEmpty());
        return envelopes(filter).get(0);
    }
}
