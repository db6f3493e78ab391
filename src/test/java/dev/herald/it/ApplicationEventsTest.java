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
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import static dev.herald.it.HeraldApp.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Events sent to one application (issue 27) over HTTP, JMS and files, to real receivers on loopback:
 * they reach that application's webhooks alone; an unknown application is refused on every source;
 * ids are idempotent per application; the event and delivery lists filter by application; and
 * operational events about an application's webhook reach it and the operator.
 */
class ApplicationEventsTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String JMS_USER = "application-events-test";
    static final String JMS_PASSWORD = UUID.randomUUID().toString();
    static final String ACME = "app_01ACMEACMEACMEACMEACMEACME";
    static final String GLOBEX = "app_01GLOBEXGLOBEXGLOBEXGLOBEX";

    static HeraldApp herald;
    static Receiver receiver;
    static Receiver failing;
    static int jmsPort;
    static Path inbox;
    static String globexHook;

    @BeforeAll
    static void start() throws Exception {
        receiver = new Receiver();
        failing = new Receiver();
        failing.status.set(500);
        jmsPort = HeraldApp.freePort();
        herald = new HeraldApp(Map.of(
                "herald.jms.enabled", "true",
                "herald.jms.embedded.port", Integer.toString(jmsPort),
                "herald.jms.embedded.user", JMS_USER,
                "herald.jms.embedded.password", JMS_PASSWORD,
                "herald.delivery.breaker.failures", "2"));
        inbox = herald.dataDir.resolve("inbox");
        sql("INSERT INTO application (id, uid, name, created_at, updated_at) VALUES (?, ?, ?, 0, 0)", ACME, "acme", "Acme");
        sql("INSERT INTO application (id, uid, name, created_at, updated_at) VALUES (?, ?, ?, 0, 0)", GLOBEX, null, "Globex");
        hook(null, receiver.url("/op"), "[\"*\"]", null);
        hook(ACME, receiver.url("/acme"), "[\"*\"]", null);
        globexHook = hook(GLOBEX, receiver.url("/globex"), "[\"order.*\"]", null);
    }

    @AfterAll
    static void stop() throws Exception {
        herald.close();
        receiver.close();
        failing.close();
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
        waitUntil(Duration.ofSeconds(20), () -> Files.exists(inbox.resolve(".error/nobody.json.error.txt"))
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

    @Test
    void operationalEventsAboutAnApplicationsWebhookReachItAndTheOperator() throws Exception {
        String acmeOps = hook(ACME, receiver.url("/acme-ops"), "[\"herald.*\"]", null);
        hook(GLOBEX, receiver.url("/globex-ops"), "[\"herald.*\"]", null);
        hook(null, receiver.url("/op-ops"), "[\"herald.*\"]", null);
        String broken = hook(ACME, failing.url("/broken"), "[\"broken.*\"]", "[\"0s\"]");
        assertThat(acmeOps).isNotNull();

        for (int i = 0; i < 2; i++) {
            assertThat(herald.call("POST", "/v1/applications/acme/events", "{\"type\":\"broken.thing\",\"data\":{}}")
                    .statusCode()).isEqualTo(202);
        }
        Predicate<JsonNode> aboutBroken = e -> e.get("type").asText().equals("herald.delivery.exhausted")
                && broken.equals(e.get("data").get("webhook_id").asText());
        waitUntil(Duration.ofSeconds(30), () -> envelopes("/acme-ops").stream().filter(aboutBroken).count() == 2
                && envelopes("/op-ops").stream().filter(aboutBroken).count() == 2);
        assertThat(envelopes("/acme-ops").stream().filter(aboutBroken))
                .allSatisfy(e -> assertThat(e.get("data").get("application_id").asText()).isEqualTo(ACME));
        // The breaker of the failing receiver opened: news for the operator's webhooks alone.
        waitUntil(Duration.ofSeconds(30), () -> envelopes("/op-ops").stream()
                .anyMatch(e -> e.get("type").asText().equals("herald.endpoint.opened")));
        Thread.sleep(500);
        assertThat(envelopes("/acme-ops")).noneMatch(e -> e.get("type").asText().startsWith("herald.endpoint."));
        assertThat(envelopes("/globex-ops")).isEmpty();
        // The application's ordinary catch-all gets no operational event ("*" does not match herald.*).
        assertThat(envelopes("/acme")).noneMatch(e -> e.get("type").asText().startsWith("herald."));
        // The application sees its operational events in its own event list.
        JsonNode acmeEvents = JSON.readTree(herald.call("GET", "/v1/events?application=acme&type=herald.delivery.exhausted",
                null).body());
        assertThat(acmeEvents.get("events")).hasSize(2);
    }

    @Test
    void replayingAnApplicationsWebhookSendsOnlyThatApplicationsEvents() throws Exception {
        String since = java.time.Instant.now().minusSeconds(3600).toString();
        String mine = "replay-" + UUID.randomUUID();
        assertThat(herald.call("POST", "/v1/applications/" + GLOBEX + "/events",
                "{\"id\":\"" + mine + "\",\"type\":\"order.replayed\",\"data\":{}}").statusCode()).isEqualTo(202);
        assertThat(herald.call("POST", "/v1/applications/acme/events", "{\"type\":\"order.replayed\",\"data\":{}}")
                .statusCode()).isEqualTo(202);
        assertThat(herald.call("POST", "/v1/events", "{\"type\":\"order.replayed\",\"data\":{}}").statusCode()).isEqualTo(202);

        // Its webhook has a delivery of every event of its application: the others' order.* events are not its.
        HttpResponse<String> r = herald.call("POST", "/v1/webhooks/" + globexHook + "/replay", "{\"since\":\"" + since + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        assertThat(JSON.readTree(r.body()).get("replayed").asInt()).isZero();

        // A new webhook of the application gets its application's past events, and only those.
        String late = hook(GLOBEX, receiver.url("/globex-late"), "[\"order.*\"]", null);
        r = herald.call("POST", "/v1/webhooks/" + late + "/replay", "{\"since\":\"" + since + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        int replayed = JSON.readTree(r.body()).get("replayed").asInt();
        assertThat(replayed).isPositive();
        waitUntil(Duration.ofSeconds(20), () -> envelopes("/globex-late").size() == replayed);
        java.util.Set<String> globexIds = new java.util.HashSet<>();
        JSON.readTree(herald.call("GET", "/v1/events?application=" + GLOBEX + "&limit=250", null).body()).get("events")
                .forEach(e -> globexIds.add(e.get("id").asText()));
        assertThat(envelopes("/globex-late")).extracting(e -> e.get("id").asText()).contains(mine)
                .allSatisfy(id -> assertThat(globexIds).contains(id));
    }

    // --- helpers -------------------------------------------------------------------------

    /** A webhook of {@code application} (null: the operator's own); made through the API, then given to it. */
    static String hook(String application, String url, String events, String schedule) throws Exception {
        HttpResponse<String> r = herald.call("POST", "/v1/webhooks", "{\"url\":\"" + url + "\",\"events\":" + events
                + (schedule == null ? "" : ",\"retry_schedule\":" + schedule) + "}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        String id = JSON.readTree(r.body()).get("id").asText();
        if (application != null) {
            // Until the applications API is merged: the column the webhooks of an application have.
            sql("UPDATE webhook SET application_id = ? WHERE id = ?", application, id);
        }
        return id;
    }

    static void sql(String statement, Object... params) throws Exception {
        try (java.sql.Connection c = DriverManager.getConnection("jdbc:h2:file:" + herald.dataDir.resolve("herald")
                + ";DB_CLOSE_ON_EXIT=FALSE", "sa", ""); PreparedStatement ps = c.prepareStatement(statement)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            ps.executeUpdate();
        }
    }

    static void assertError(HttpResponse<String> r, int status, String code, String field) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode error = JSON.readTree(r.body()).get("error");
        assertThat(error.get("code").asText()).isEqualTo(code);
        if (field == null) {
            assertThat(error.path("field").isMissingNode() || error.get("field").isNull()).as(r.body()).isTrue();
        } else {
            assertThat(error.get("field").asText()).isEqualTo(field);
        }
    }

    static List<JsonNode> envelopes(String path) {
        return receiver.to(path).stream().map(q -> {
            try {
                return JSON.readTree(q.body());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
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
