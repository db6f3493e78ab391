package dev.herald.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

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
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.herald.it.HeraldApp.waitUntil;
import static dev.herald.it.TenantCalls.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Events sent to one application (issue 27) over HTTP, JMS and files, to real receivers on loopback:
 * they reach that application's webhooks alone; an unknown application is refused on every source;
 * ids are idempotent per application; the event and delivery lists filter by application.
 * (Operational events and replay: ApplicationLifecycleTest.)
 */
class ApplicationEventsTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String JMS_USER = "application-events-test";
    static final String JMS_PASSWORD = UUID.randomUUID().toString();
    static final String ACME = "app_01ACMEACMEACMEACMEACMEACME";
    static final String GLOBEX = "app_01GLOBEXGLOBEXGLOBEXGLOBEX";

    static HeraldApp herald;
    static Receiver receiver;
    static int jmsPort;
    static Path inbox;

    @BeforeAll
    static void start() throws Exception {
        receiver = new Receiver();
        jmsPort = HeraldApp.freePort();
        herald = new HeraldApp(Map.of(
                "herald.jms.enabled", "true",
                "herald.jms.embedded.port", Integer.toString(jmsPort),
                "herald.jms.embedded.user", JMS_USER,
                "herald.jms.embedded.password", JMS_PASSWORD));
        inbox = herald.dataDir.resolve("inbox");
        sql("INSERT INTO application (id, uid, name, created_at, updated_at) VALUES (?, ?, ?, 0, 0)", ACME, "acme", "Acme");
        sql("INSERT INTO application (id, uid, name, created_at, updated_at) VALUES (?, ?, ?, 0, 0)", GLOBEX, null, "Globex");
        hook(null, receiver.url("/op"), "[\"*\"]", null);
        hook(ACME, receiver.url("/acme"), "[\"*\"]", null);
        hook(GLOBEX, receiver.url("/globex"), "[\"order.*\"]", null);
    }

    @AfterAll
    static void stop() throws Exception {
        herald.close();
        receiver.close();
    }

    @Test
    void anEventSentToAnApplicationOverHttpReachesOnlyItsWebhooks() throws Exception {
        String id = "order-" + UUID.randomUUID();
        HttpResponse<String> r = herald.call("POST", "/v1/applications/acme/events",
                "{\"id\":\"" + id + "\",\"type\":\"order.paid\",\"data\":{\"n\":1}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        assertThat(JSON.readTree(r.body()).get("id").asText()).isEqualTo(id);

        // The same id to another application (by the field, by its id) is another event.
        r = herald.call("POST", "/v1/events", "{\"id\":\"" + id + "\",\"type\":\"order.paid\",\"application\":\""
                + GLOBEX + "\",\"data\":{\"n\":2}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        // ... and so it is for the operator's own.
        r = herald.call("POST", "/v1/events", "{\"id\":\"" + id + "\",\"type\":\"order.paid\",\"data\":{\"n\":3}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        // The same id again in one application is one event: 200, no delivery.
        r = herald.call("POST", "/v1/events", "{\"id\":\"" + id + "\",\"type\":\"order.paid\",\"application\":\"acme\","
                + "\"data\":{\"n\":4}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).get("duplicate").asBoolean()).isTrue();

        waitUntil(Duration.ofSeconds(20), () -> received("/acme", id).size() == 1 && received("/globex", id).size() == 1
                && received("/op", id).size() == 1);
        Thread.sleep(500);
        assertThat(received("/acme", id)).singleElement().satisfies(e -> assertThat(e.get("data").get("n").asInt()).isEqualTo(1));
        assertThat(received("/globex", id)).singleElement().satisfies(e -> assertThat(e.get("data").get("n").asInt()).isEqualTo(2));
        assertThat(received("/op", id)).singleElement().satisfies(e -> assertThat(e.get("data").get("n").asInt()).isEqualTo(3));
        // The receiver sees the event's own id, in the envelope and the headers, never the stored key.
        assertThat(receiver.to("/acme").stream().filter(q -> new String(q.body()).contains(id)))
                .allSatisfy(q -> assertThat(q.header("X-Webhook-Id")).isEqualTo(id));
    }

    @Test
    void oneBatchSpreadOverApplicationsReachesEachOnesWebhooksAlone() throws Exception {
        String m = UUID.randomUUID().toString();
        // Acme (by uid and by id), Globex (order.* only), the operator's own, in one batch.
        HttpResponse<String> r = herald.call("POST", "/v1/events", "["
                + "{\"type\":\"order.paid\",\"application\":\"acme\",\"data\":{\"m\":\"" + m + "\",\"n\":1}},"
                + "{\"type\":\"order.paid\",\"application\":\"" + GLOBEX + "\",\"data\":{\"m\":\"" + m + "\",\"n\":2}},"
                + "{\"type\":\"user.created\",\"application\":\"" + GLOBEX + "\",\"data\":{\"m\":\"" + m + "\",\"n\":3}},"
                + "{\"type\":\"user.created\",\"application\":\"" + ACME + "\",\"data\":{\"m\":\"" + m + "\",\"n\":4}},"
                + "{\"type\":\"order.paid\",\"data\":{\"m\":\"" + m + "\",\"n\":5}}]");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);

        waitUntil(Duration.ofSeconds(20), () -> numbers("/acme", m).size() == 2 && numbers("/globex", m).size() == 1
                && numbers("/op", m).size() == 1);
        Thread.sleep(500);
        assertThat(numbers("/acme", m)).containsExactlyInAnyOrder(1, 4);
        assertThat(numbers("/globex", m)).containsExactly(2);
        assertThat(numbers("/op", m)).containsExactly(5);
    }

    private static List<Integer> numbers(String path, String marker) {
        return receiver.to(path).stream().map(q -> new String(q.body(), java.nio.charset.StandardCharsets.UTF_8))
                .filter(b -> b.contains(marker)).map(b -> {
                    try {
                        return JSON.readTree(b).get("data").get("n").asInt();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }).toList();
    }

    @Test
    void anUnknownApplicationOverHttpIsA404AndRefusesTheWholeBatch() throws Exception {
        String marker = UUID.randomUUID().toString();
        HttpResponse<String> r = herald.call("POST", "/v1/applications/nobody/events",
                "{\"type\":\"order.paid\",\"data\":{\"m\":\"" + marker + "\"}}");
        assertError(r, 404, "not_found", "application");

        r = herald.call("POST", "/v1/events", "[{\"type\":\"order.paid\",\"data\":{\"m\":\"" + marker + "\"}},"
                + "{\"type\":\"order.paid\",\"application\":\"nobody\",\"data\":{\"m\":\"" + marker + "\"}}]");
        assertError(r, 404, "not_found", "[1].application");

        // The path names one application, an event another: refused as naming an unknown one.
        r = herald.call("POST", "/v1/applications/acme/events", "{\"type\":\"order.paid\",\"application\":\"" + GLOBEX
                + "\",\"data\":{\"m\":\"" + marker + "\"}}");
        assertError(r, 404, "not_found", "application");
        r = herald.call("POST", "/v1/events", "{\"type\":\"order.paid\",\"application\":17,\"data\":{}}");
        assertError(r, 400, "invalid_request", "application");

        // Nothing of any of them was stored nor sent.
        Thread.sleep(500);
        assertThat(receiver.requests).noneMatch(q -> new String(q.body()).contains(marker));
        JsonNode events = JSON.readTree(herald.call("GET", "/v1/events?limit=250", null).body()).get("events");
        assertThat(events.toString()).doesNotContain(marker);
    }

    @Test
    void jmsMessagesNameTheirApplicationAndAnUnknownOneIsDeadLettered() throws Exception {
        String good = "jms-" + UUID.randomUUID();
        String bad = "jms-" + UUID.randomUUID();
        send("{\"id\":\"" + bad + "\",\"type\":\"order.paid\",\"application\":\"nobody\",\"data\":{}}");
        send("{\"id\":\"" + good + "\",\"type\":\"order.shipped\",\"application\":\"" + GLOBEX + "\",\"data\":{}}");

        waitUntil(Duration.ofSeconds(20), () -> received("/globex", good).size() == 1);
        try (Connection c = jms().createConnection()) {
            c.start();
            Session session = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer dlq = session.createConsumer(session.createQueue("herald.events.DLQ"));
            Message dead = dlq.receive(10_000);
            assertThat(dead).as("dead letter for the unknown application").isNotNull();
            assertThat(dead.getBody(String.class)).contains(bad);
            assertThat(dead.getStringProperty("heraldErrorCode")).isEqualTo("not_found");
            assertThat(dead.getStringProperty("heraldErrorField")).isEqualTo("application");
            assertThat(dead.getStringProperty("heraldReason")).contains("application nobody does not exist");
        }
        Thread.sleep(300);
        assertThat(received("/acme", good)).isEmpty();
        assertThat(received("/op", good)).isEmpty();
        assertThat(receiver.requests).noneMatch(q -> new String(q.body()).contains(bad));
    }

    @Test
    void filesNameTheirApplicationAndAnUnknownOneMovesToError() throws Exception {
        String good = "file-" + UUID.randomUUID();
        drop("acme.json", "{\"id\":\"" + good + "\",\"type\":\"invoice.paid\",\"application\":\"acme\",\"data\":{}}");
        drop("nobody.json", "[{\"type\":\"invoice.paid\",\"data\":{}},{\"type\":\"invoice.paid\",\"application\":\"nobody\","
                + "\"data\":{}}]");
        String line = "line-" + UUID.randomUUID();
        drop("mixed.ndjson", "{\"id\":\"" + line + "\",\"type\":\"order.paid\",\"application\":\"" + GLOBEX + "\",\"data\":{}}\n"
                + "{\"type\":\"order.paid\",\"application\":\"nobody\",\"data\":{}}\n");

        waitUntil(Duration.ofSeconds(20), () -> received("/acme", good).size() == 1 && received("/globex", line).size() == 1);
        // The report is written first, then the consumer moves the file beside it: wait for the file.
        waitUntil(Duration.ofSeconds(20), () -> Files.exists(inbox.resolve(".error/nobody.json"))
                && Files.exists(inbox.resolve(".done/mixed.ndjson")));
        String report = Files.readString(inbox.resolve(".error/nobody.json.error.txt"));
        assertThat(report).contains("not_found").contains("[1].application").contains("application nobody does not exist");
        assertThat(inbox.resolve(".error/nobody.json")).exists();
        List<String> rejected = Files.readAllLines(inbox.resolve(".error/mixed.ndjson.rejected.ndjson"));
        assertThat(rejected).singleElement().satisfies(row -> {
            JsonNode r = JSON.readTree(row);
            assertThat(r.get("line").asInt()).isEqualTo(2);
            assertThat(r.get("error").get("field").asText()).isEqualTo("application");
        });
        Thread.sleep(300);
        assertThat(received("/op", good)).isEmpty();
        assertThat(received("/globex", good)).isEmpty();
    }

    @Test
    void theEventAndDeliveryListsFilterByApplication() throws Exception {
        String id = "filtered-" + UUID.randomUUID();
        assertThat(herald.call("POST", "/v1/applications/" + GLOBEX + "/events",
                "{\"id\":\"" + id + "\",\"type\":\"order.filtered\",\"data\":{}}").statusCode()).isEqualTo(202);
        assertThat(herald.call("POST", "/v1/applications/acme/events",
                "{\"id\":\"" + id + "\",\"type\":\"order.filtered\",\"data\":{}}").statusCode()).isEqualTo(202);

        JsonNode globexEvents = JSON.readTree(herald.call("GET", "/v1/events?application=" + GLOBEX + "&limit=250", null).body());
        assertThat(globexEvents.get("events")).isNotEmpty()
                .allSatisfy(e -> assertThat(e.get("application_id").asText()).isEqualTo(GLOBEX));
        assertThat(globexEvents.get("events")).anySatisfy(e -> assertThat(e.get("id").asText()).isEqualTo(id));
        JsonNode acmeEvents = JSON.readTree(herald.call("GET", "/v1/events?application=acme&type=order.filtered", null).body());
        assertThat(acmeEvents.get("events")).singleElement().satisfies(e -> {
            assertThat(e.get("id").asText()).isEqualTo(id);
            assertThat(e.get("application_id").asText()).isEqualTo(ACME);
        });
        assertError(herald.call("GET", "/v1/events?application=nobody", null), 404, "not_found", "application");

        // One event by its own id, in its application; the operator's own has no event of that id.
        JsonNode one = JSON.readTree(herald.call("GET", "/v1/events/" + id + "?application=acme", null).body());
        assertThat(one.get("application_id").asText()).isEqualTo(ACME);
        assertThat(one.get("deliveries")).singleElement().satisfies(d -> {
            assertThat(d.get("event_id").asText()).isEqualTo(id);
            assertThat(d.get("application_id").asText()).isEqualTo(ACME);
        });
        assertError(herald.call("GET", "/v1/events/" + id, null), 404, "not_found", null);
        assertError(herald.call("GET", "/v1/events/" + ACME + "%2F" + id, null), 404, "not_found", null);

        waitUntil(Duration.ofSeconds(20), () -> received("/globex", id).size() == 1);
        JsonNode globexDeliveries = JSON.readTree(herald.call("GET", "/v1/deliveries?application=" + GLOBEX, null).body());
        assertThat(globexDeliveries.get("deliveries")).isNotEmpty()
                .allSatisfy(d -> assertThat(d.get("application_id").asText()).isEqualTo(GLOBEX));
        assertThat(globexDeliveries.get("deliveries")).anySatisfy(d -> assertThat(d.get("event_id").asText()).isEqualTo(id));
        String deliveryId = globexDeliveries.get("deliveries").get(0).get("id").asText();
        JsonNode delivery = JSON.readTree(herald.call("GET", "/v1/deliveries/" + deliveryId, null).body());
        assertThat(delivery.get("application_id").asText()).isEqualTo(GLOBEX);
        assertError(herald.call("GET", "/v1/deliveries?application=nobody", null), 404, "not_found", "application");
        // The operator's own event of that id is another event, its delivery of no application.
        assertThat(herald.call("POST", "/v1/events", "{\"id\":\"" + id + "\",\"type\":\"order.filtered\",\"data\":{}}")
                .statusCode()).isEqualTo(202);
        JsonNode own = JSON.readTree(herald.call("GET", "/v1/events/" + id, null).body());
        assertThat(own.get("application_id").isNull()).isTrue();
        assertThat(own.get("deliveries")).singleElement()
                .satisfies(d -> assertThat(d.get("application_id").isNull()).isTrue());
    }

    // --- helpers -------------------------------------------------------------------------

    static String hook(String application, String url, String events, String schedule) throws Exception {
        return TenantCalls.hook(herald, application, url, events, schedule);
    }

    static void sql(String statement, Object... params) throws Exception {
        TenantCalls.sql(herald, statement, params);
    }

    static List<JsonNode> envelopes(String path) {
        return TenantCalls.envelopes(receiver, path);
    }

    static List<JsonNode> received(String path, String id) {
        return envelopes(path).stream().filter(e -> id.equals(e.get("id").asText())).toList();
    }

    static ConnectionFactory jms() {
        return new ActiveMQConnectionFactory("tcp://127.0.0.1:" + jmsPort, JMS_USER, JMS_PASSWORD);
    }

    static void send(String text) throws Exception {
        try (Connection c = jms().createConnection()) {
            Session session = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue("herald.events"));
            producer.send(session.createTextMessage(text));
        }
    }

    static void drop(String name, String content) throws Exception {
        Files.createDirectories(inbox);
        Path tmp = inbox.resolve("." + name + ".part");
        Files.writeString(tmp, content);
        Files.move(tmp, inbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }
}
