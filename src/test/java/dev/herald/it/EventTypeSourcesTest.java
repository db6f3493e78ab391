package dev.herald.it;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static dev.herald.it.CatalogCalls.ORDER_SCHEMA;
import static dev.herald.it.HeraldApp.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The event-type catalog at every source, with herald.event-types.strict on: a type not in the
 * catalog is refused (HTTP 400 on field type, a JMS dead letter, a file in .error/) while an archived
 * one is accepted, and data its type's schema refuses gets schema_mismatch with the JSON pointer of
 * the first error, in each source's own channel; the good events around them are delivered.
 */
class EventTypeSourcesTest {

    static final String JMS_USER = "catalog-test";
    static final String JMS_PASSWORD = UUID.randomUUID().toString();
    static HeraldApp herald;
    static Receiver receiver;
    static CatalogCalls calls;
    static int jmsPort;

    @BeforeAll
    static void start() throws Exception {
        receiver = new Receiver();
        jmsPort = HeraldApp.freePort();
        herald = new HeraldApp(Map.of(
                "herald.event-types.strict", "true",
                "herald.jms.enabled", "true",
                "herald.jms.embedded.port", Integer.toString(jmsPort),
                "herald.jms.embedded.user", JMS_USER,
                "herald.jms.embedded.password", JMS_PASSWORD));
        calls = new CatalogCalls(herald, receiver);
        calls.created("{\"name\":\"cat.order.paid\",\"description\":\"an order was paid\",\"schema\":" + ORDER_SCHEMA + "}");
        calls.created("{\"name\":\"cat.note\"}");
        HttpResponse<String> hook = herald.call("POST", "/v1/webhooks", "{\"url\":\"" + receiver.url("/cat")
                + "\",\"events\":[\"cat.*\"]}");
        assertThat(hook.statusCode()).as(hook.body()).isEqualTo(201);
    }

    @AfterAll
    static void stop() throws Exception {
        herald.close();
        receiver.close();
    }

    @Test
    void unknownTypesAreRefusedOverHttpButArchivedOnesAreAccepted() throws Exception {
        calls.refused("POST", "/v1/events", "{\"type\":\"not.catalogued\",\"data\":{}}", "type", "not in the catalog");
        calls.refused("POST", "/v1/events", "[{\"type\":\"cat.note\",\"data\":{}},{\"type\":\"not.catalogued\",\"data\":{}}]",
                "[1].type", "not in the catalog");
        calls.created("{\"name\":\"cat.old\"}");
        assertThat(herald.call("DELETE", "/v1/event-types/cat.old", null).statusCode()).isEqualTo(204);
        String id = "cat_old_" + UUID.randomUUID();
        HttpResponse<String> r = herald.call("POST", "/v1/events", "{\"id\":\"" + id + "\",\"type\":\"cat.old\",\"data\":{}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        calls.awaitEnvelope(id);
    }

    @Test
    void dataIsCheckedAgainstItsTypesSchemaOverHttp() throws Exception {
        HttpResponse<String> bad = herald.call("POST", "/v1/events",
                "{\"type\":\"cat.order.paid\",\"data\":{\"amount\":\"12\"}}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(calls.error(bad).get("code").asText()).isEqualTo("schema_mismatch");
        assertThat(calls.error(bad).get("field").asText()).isEqualTo("data");
        assertThat(calls.error(bad).get("message").asText()).contains("cat.order.paid").contains("/amount").contains("integer");

        HttpResponse<String> deep = herald.call("POST", "/v1/events", "[{\"type\":\"cat.note\",\"data\":{}},"
                + "{\"type\":\"cat.order.paid\",\"data\":{\"amount\":1,\"lines\":[\"a\",2]}}]");
        assertThat(deep.statusCode()).isEqualTo(400);
        assertThat(calls.error(deep).get("field").asText()).isEqualTo("[1].data");
        assertThat(calls.error(deep).get("message").asText()).contains("/lines/1");

        HttpResponse<String> missing = herald.call("POST", "/v1/events", "{\"type\":\"cat.order.paid\",\"data\":{}}");
        assertThat(calls.error(missing).get("code").asText()).isEqualTo("schema_mismatch");
        assertThat(calls.error(missing).get("message").asText()).contains("\"\"").contains("amount");

        String id = "cat_ok_" + UUID.randomUUID();
        HttpResponse<String> good = herald.call("POST", "/v1/events", "{\"id\":\"" + id
                + "\",\"type\":\"cat.order.paid\",\"data\":{\"amount\":1200,\"lines\":[\"a\"]}}");
        assertThat(good.statusCode()).as(good.body()).isEqualTo(202);
        assertThat(calls.awaitEnvelope(id).get("data").get("amount").asInt()).isEqualTo(1200);

        // A new schema applies at once on this instance; removing it lets any data through again.
        calls.ok(herald.call("PATCH", "/v1/event-types/cat.note", "{\"schema\":{\"required\":[\"text\"]}}"));
        assertThat(calls.error(herald.call("POST", "/v1/events", "{\"type\":\"cat.note\",\"data\":{}}")).get("code").asText())
                .isEqualTo("schema_mismatch");
        calls.ok(herald.call("PATCH", "/v1/event-types/cat.note", "{\"schema\":null}"));
        assertThat(herald.call("POST", "/v1/events", "{\"type\":\"cat.note\",\"data\":{}}").statusCode()).isEqualTo(202);
    }

    @Test
    void jmsMessagesOfUnknownTypesOrBadDataGoToTheDeadLetterQueueWithTheReason() throws Exception {
        ConnectionFactory tcp = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + jmsPort, JMS_USER, JMS_PASSWORD);
        String goodId = "cat_jms_" + UUID.randomUUID();
        try (Connection c = tcp.createConnection()) {
            Session session = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue("herald.events"));
            producer.send(session.createTextMessage("{\"type\":\"jms.unknown\",\"data\":{}}"));
            producer.send(session.createTextMessage("{\"type\":\"cat.order.paid\",\"data\":{\"amount\":1.5}}"));
            producer.send(session.createTextMessage("{\"id\":\"" + goodId + "\",\"type\":\"cat.order.paid\",\"data\":{\"amount\":2}}"));
        }
        calls.awaitEnvelope(goodId);
        try (Connection c = tcp.createConnection()) {
            c.start();
            Session session = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer dlq = session.createConsumer(session.createQueue("herald.events.DLQ"));
            // Four consumers: the two dead letters may come in either order.
            Map<String, Message> byCode = new HashMap<>();
            for (int i = 0; i < 2; i++) {
                Message m = dlq.receive(10_000);
                assertThat(m).as("dead letter " + (i + 1) + " of 2").isNotNull();
                byCode.put(m.getStringProperty("heraldErrorCode"), m);
            }
            assertThat(byCode).containsOnlyKeys("invalid_request", "schema_mismatch");
            Message unknown = byCode.get("invalid_request");
            assertThat(unknown.getStringProperty("heraldErrorField")).isEqualTo("type");
            assertThat(unknown.getStringProperty("heraldReason")).contains("jms.unknown").contains("not in the catalog");
            Message mismatch = byCode.get("schema_mismatch");
            assertThat(mismatch.getStringProperty("heraldErrorField")).isEqualTo("data");
            assertThat(mismatch.getStringProperty("heraldReason")).contains("/amount");
        }
    }

    @Test
    void filesOfUnknownTypesOrBadDataMoveToErrorWithTheReason() throws Exception {
        Path inbox = herald.dataDir.resolve("inbox");
        calls.drop(inbox, "unknown.json", "{\"type\":\"file.unknown\",\"data\":{}}");
        calls.drop(inbox, "mismatch.json", "[{\"type\":\"cat.note\",\"data\":{}},{\"type\":\"cat.order.paid\",\"data\":{\"amount\":[]}}]");
        String goodId = "cat_file_" + UUID.randomUUID();
        calls.drop(inbox, "lines.ndjson", "{\"type\":\"cat.order.paid\",\"data\":{\"amount\":\"x\"}}\n{\"id\":\"" + goodId
                + "\",\"type\":\"cat.order.paid\",\"data\":{\"amount\":3}}\n");
        // The report is written first, then the consumer moves the file beside it: wait for the files.
        waitUntil(Duration.ofSeconds(20), () -> Files.exists(inbox.resolve(".error/unknown.json"))
                && Files.exists(inbox.resolve(".error/mismatch.json")));
        assertThat(Files.readString(inbox.resolve(".error/unknown.json.error.txt")))
                .contains("invalid_request").contains("where:   type").contains("file.unknown").contains("not in the catalog");
        assertThat(Files.readString(inbox.resolve(".error/mismatch.json.error.txt")))
                .contains("schema_mismatch").contains("where:   [1].data").contains("/amount");
        // NDJSON: the bad line is set aside, the good one delivered.
        calls.awaitEnvelope(goodId);
        waitUntil(Duration.ofSeconds(10), () -> Files.exists(inbox.resolve(".error/lines.ndjson.rejected.ndjson")));
        assertThat(Files.readString(inbox.resolve(".error/lines.ndjson.rejected.ndjson"))).contains("schema_mismatch")
                .contains("/amount");
    }
}
