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

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.herald.it.HeraldApp.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The event-type catalog through the API and every source, with herald.event-types.strict on:
 * CRUD and archive, unknown types refused (HTTP 400, JMS dead letter, file in .error/), webhook
 * patterns that match no type refused by index, data refused by its type's schema with the JSON
 * pointer of the first error, and schemas that are not valid or point outside refused when stored.
 */
class EventTypeCatalogTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String ORDER_SCHEMA = "{\"type\":\"object\",\"required\":[\"amount\"],\"properties\":"
            + "{\"amount\":{\"type\":\"integer\"},\"lines\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}}}}";
    static final String JMS_USER = "catalog-test";
    static final String JMS_PASSWORD = UUID.randomUUID().toString();
    static HeraldApp herald;
    static Receiver receiver;
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
        created("{\"name\":\"cat.order.paid\",\"description\":\"an order was paid\",\"schema\":" + ORDER_SCHEMA + "}");
        created("{\"name\":\"cat.note\"}");
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
    void typesAreCreatedReadChangedArchivedAndBroughtBack() throws Exception {
        JsonNode t = created("{\"name\":\"crud.thing\",\"description\":\"first\"}");
        assertThat(t.get("description").asText()).isEqualTo("first");
        assertThat(t.get("schema").isNull()).isTrue();
        assertThat(t.get("archived").asBoolean()).isFalse();

        HttpResponse<String> again = herald.call("POST", "/v1/event-types", "{\"name\":\"crud.thing\"}");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(error(again).get("code").asText()).isEqualTo("conflict");
        refused("POST", "/v1/event-types", "{\"name\":\"herald.webhook.disabled\"}", "name", "Herald's own");
        refused("POST", "/v1/event-types", "{\"name\":\"Herald.mine\"}", "name", "Herald's own");
        refused("POST", "/v1/event-types", "{\"name\":\"two words\"}", "name", "dot-separated");
        refused("POST", "/v1/event-types", "{\"description\":\"no name\"}", "name", "required");

        JsonNode patched = ok(herald.call("PATCH", "/v1/event-types/crud.thing", "{\"description\":\"second\",\"schema\":"
                + "{\"type\":\"object\"}}"));
        assertThat(patched.get("description").asText()).isEqualTo("second");
        assertThat(patched.get("schema")).isEqualTo(JSON.readTree("{\"type\":\"object\"}"));
        assertThat(ok(herald.call("GET", "/v1/event-types/crud.thing", null))).isEqualTo(patched);
        assertThat(names("/v1/event-types")).contains("cat.note", "cat.order.paid", "crud.thing");

        assertThat(herald.call("DELETE", "/v1/event-types/crud.thing", null).statusCode()).isEqualTo(204);
        assertThat(names("/v1/event-types")).contains("cat.note").doesNotContain("crud.thing");
        assertThat(names("/v1/event-types?include_archived=true")).contains("cat.note", "crud.thing");
        JsonNode archived = ok(herald.call("GET", "/v1/event-types/crud.thing", null));
        assertThat(archived.get("archived").asBoolean()).isTrue();
        assertThat(archived.get("archived_at").asText()).endsWith("Z");
        assertThat(herald.call("DELETE", "/v1/event-types/crud.thing", null).statusCode()).isEqualTo(204);
        assertThat(herald.call("POST", "/v1/event-types", "{\"name\":\"crud.thing\"}").statusCode()).isEqualTo(409);

        JsonNode back = ok(herald.call("PATCH", "/v1/event-types/crud.thing", "{\"archived\":false,\"schema\":null}"));
        assertThat(back.get("archived").asBoolean()).isFalse();
        assertThat(back.get("archived_at").isNull()).isTrue();
        assertThat(back.get("schema").isNull()).isTrue();
        assertThat(names("/v1/event-types")).contains("crud.thing");

        assertThat(herald.call("GET", "/v1/event-types/no.such", null).statusCode()).isEqualTo(404);
        assertThat(herald.call("PATCH", "/v1/event-types/no.such", "{\"description\":\"x\"}").statusCode()).isEqualTo(404);
        assertThat(herald.call("DELETE", "/v1/event-types/no.such", null).statusCode()).isEqualTo(404);
        refused("PATCH", "/v1/event-types/crud.thing", "{\"archived\":\"yes\"}", "archived", "true or false");
        refused("PATCH", "/v1/event-types/crud.thing", "{\"name\":\"other\"}", "name", "unknown field");
        refused("GET", "/v1/event-types?include_archived=maybe", null, "include_archived", "true or false");
    }

    @Test
    void theListPagesByName() throws Exception {
        for (String n : List.of("page.a", "page.b", "page.c")) {
            created("{\"name\":\"" + n + "\"}");
        }
        List<String> seen = new ArrayList<>();
        String cursor = "";
        for (int i = 0; i < 50; i++) {
            JsonNode page = ok(herald.call("GET", "/v1/event-types?limit=2" + cursor, null));
            page.get("data").forEach(d -> seen.add(d.get("name").asText()));
            if (!page.get("has_more").asBoolean()) {
                break;
            }
            cursor = "&cursor=" + page.get("next_cursor").asText();
        }
        assertThat(seen).containsSubsequence("page.a", "page.b", "page.c").isSorted().doesNotHaveDuplicates();
    }

    @Test
    void schemasThatAreNotValidOrPointOutsideAreRefused() throws Exception {
        refused("POST", "/v1/event-types", "{\"name\":\"bad.one\",\"schema\":{\"type\":5}}", "schema", "/type");
        refused("POST", "/v1/event-types", "{\"name\":\"bad.one\",\"schema\":{\"type\":\"strng\"}}", "schema", "not a valid");
        refused("POST", "/v1/event-types", "{\"name\":\"bad.one\",\"schema\":\"object\"}", "schema", "object or a boolean");
        refused("POST", "/v1/event-types", "{\"name\":\"bad.one\",\"schema\":{\"$schema\":"
                + "\"http://json-schema.org/draft-07/schema#\"}}", "schema", "2020-12");
        refused("POST", "/v1/event-types", "{\"name\":\"bad.one\",\"schema\":{\"$ref\":\"#/$defs/missing\"}}",
                "schema", "cannot be used");
        refused("POST", "/v1/event-types", "{\"name\":\"bad.one\",\"schema\":{\"$ref\":\"file:///etc/passwd\"}}",
                "schema", "cannot be used");
        String huge = "{\"name\":\"bad.one\",\"schema\":{\"description\":\"" + "x".repeat(70_000) + "\"}}";
        refused("POST", "/v1/event-types", huge, "schema", "max-schema-bytes");
        refused("PATCH", "/v1/event-types/cat.note", "{\"schema\":{\"minimum\":\"ten\"}}", "schema", "/minimum");
        assertThat(herald.call("GET", "/v1/event-types/bad.one", null).statusCode()).isEqualTo(404);
    }

    @Test
    void aRemoteRefIsNotFetched() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String url = "http://127.0.0.1:" + listener.getLocalPort() + "/schema.json";
            refused("POST", "/v1/event-types", "{\"name\":\"remote.ref\",\"schema\":{\"$ref\":\"" + url + "\"}}",
                    "schema", "loads nothing from outside");
            refused("POST", "/v1/event-types", "{\"name\":\"remote.ref\",\"schema\":{\"properties\":{\"a\":{\"$ref\":\""
                    + url + "#/x\"}}}}", "schema", "cannot be used");
            refused("POST", "/v1/event-types", "{\"name\":\"remote.ref\",\"schema\":{\"$id\":\"" + url
                    + "\",\"$ref\":\"other.json\"}}", "schema", "cannot be used");
            // A fetch would have connected before the answer; its connection would wait in the backlog.
            listener.setSoTimeout(300);
            assertThatThrownBy(listener::accept).isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void unknownTypesAreRefusedOverHttpButArchivedOnesAreAccepted() throws Exception {
        refused("POST", "/v1/events", "{\"type\":\"not.catalogued\",\"data\":{}}", "type", "not in the catalog");
        refused("POST", "/v1/events", "[{\"type\":\"cat.note\",\"data\":{}},{\"type\":\"not.catalogued\",\"data\":{}}]",
                "[1].type", "not in the catalog");
        created("{\"name\":\"cat.old\"}");
        assertThat(herald.call("DELETE", "/v1/event-types/cat.old", null).statusCode()).isEqualTo(204);
        String id = "cat_old_" + UUID.randomUUID();
        HttpResponse<String> r = herald.call("POST", "/v1/events", "{\"id\":\"" + id + "\",\"type\":\"cat.old\",\"data\":{}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        awaitEnvelope(id);
    }

    @Test
    void dataIsCheckedAgainstItsTypesSchemaOverHttp() throws Exception {
        HttpResponse<String> bad = herald.call("POST", "/v1/events",
                "{\"type\":\"cat.order.paid\",\"data\":{\"amount\":\"12\"}}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(error(bad).get("code").asText()).isEqualTo("schema_mismatch");
        assertThat(error(bad).get("field").asText()).isEqualTo("data");
        assertThat(error(bad).get("message").asText()).contains("cat.order.paid").contains("/amount").contains("integer");

        HttpResponse<String> deep = herald.call("POST", "/v1/events", "[{\"type\":\"cat.note\",\"data\":{}},"
                + "{\"type\":\"cat.order.paid\",\"data\":{\"amount\":1,\"lines\":[\"a\",2]}}]");
        assertThat(deep.statusCode()).isEqualTo(400);
        assertThat(error(deep).get("field").asText()).isEqualTo("[1].data");
        assertThat(error(deep).get("message").asText()).contains("/lines/1");

        HttpResponse<String> missing = herald.call("POST", "/v1/events", "{\"type\":\"cat.order.paid\",\"data\":{}}");
        assertThat(error(missing).get("code").asText()).isEqualTo("schema_mismatch");
        assertThat(error(missing).get("message").asText()).contains("\"\"").contains("amount");

        String id = "cat_ok_" + UUID.randomUUID();
        HttpResponse<String> good = herald.call("POST", "/v1/events", "{\"id\":\"" + id
                + "\",\"type\":\"cat.order.paid\",\"data\":{\"amount\":1200,\"lines\":[\"a\"]}}");
        assertThat(good.statusCode()).as(good.body()).isEqualTo(202);
        assertThat(awaitEnvelope(id).get("data").get("amount").asInt()).isEqualTo(1200);

        // A new schema applies at once on this instance; removing it lets any data through again.
        ok(herald.call("PATCH", "/v1/event-types/cat.note", "{\"schema\":{\"required\":[\"text\"]}}"));
        assertThat(error(herald.call("POST", "/v1/events", "{\"type\":\"cat.note\",\"data\":{}}")).get("code").asText())
                .isEqualTo("schema_mismatch");
        ok(herald.call("PATCH", "/v1/event-types/cat.note", "{\"schema\":null}"));
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
        awaitEnvelope(goodId);
        try (Connection c = tcp.createConnection()) {
            c.start();
            Session session = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer dlq = session.createConsumer(session.createQueue("herald.events.DLQ"));
            Message unknown = dlq.receive(10_000);
            assertThat(unknown).as("dead letter for the unknown type").isNotNull();
            assertThat(unknown.getStringProperty("heraldErrorCode")).isEqualTo("invalid_request");
            assertThat(unknown.getStringProperty("heraldErrorField")).isEqualTo("type");
            assertThat(unknown.getStringProperty("heraldReason")).contains("jms.unknown").contains("not in the catalog");
            Message mismatch = dlq.receive(10_000);
            assertThat(mismatch).as("dead letter for data the schema refuses").isNotNull();
            assertThat(mismatch.getStringProperty("heraldErrorCode")).isEqualTo("schema_mismatch");
            assertThat(mismatch.getStringProperty("heraldErrorField")).isEqualTo("data");
            assertThat(mismatch.getStringProperty("heraldReason")).contains("/amount");
        }
    }

    @Test
    void filesOfUnknownTypesOrBadDataMoveToErrorWithTheReason() throws Exception {
        Path inbox = herald.dataDir.resolve("inbox");
        drop(inbox, "unknown.json", "{\"type\":\"file.unknown\",\"data\":{}}");
        drop(inbox, "mismatch.json", "[{\"type\":\"cat.note\",\"data\":{}},{\"type\":\"cat.order.paid\",\"data\":{\"amount\":[]}}]");
        String goodId = "cat_file_" + UUID.randomUUID();
        drop(inbox, "lines.ndjson", "{\"type\":\"cat.order.paid\",\"data\":{\"amount\":\"x\"}}\n{\"id\":\"" + goodId
                + "\",\"type\":\"cat.order.paid\",\"data\":{\"amount\":3}}\n");
        waitUntil(Duration.ofSeconds(20), () -> Files.exists(inbox.resolve(".error/unknown.json.error.txt"))
                && Files.exists(inbox.resolve(".error/mismatch.json.error.txt")));
        assertThat(inbox.resolve(".error/unknown.json")).exists();
        assertThat(Files.readString(inbox.resolve(".error/unknown.json.error.txt")))
                .contains("invalid_request").contains("where:   type").contains("file.unknown").contains("not in the catalog");
        assertThat(Files.readString(inbox.resolve(".error/mismatch.json.error.txt")))
                .contains("schema_mismatch").contains("where:   [1].data").contains("/amount");
        // NDJSON: the bad line is set aside, the good one delivered.
        awaitEnvelope(goodId);
        waitUntil(Duration.ofSeconds(10), () -> Files.exists(inbox.resolve(".error/lines.ndjson.rejected.ndjson")));
        assertThat(Files.readString(inbox.resolve(".error/lines.ndjson.rejected.ndjson"))).contains("schema_mismatch")
                .contains("/amount");
    }

    @Test
    void webhookPatternsMustMatchACataloguedType() throws Exception {
        String url = receiver.url("/patterns");
        refused("POST", "/v1/webhooks", "{\"url\":\"" + url + "\",\"events\":[\"cat.note\",\"nothing.here\"]}",
                "events[1]", "matches no event type");
        refused("POST", "/v1/webhooks", "{\"url\":\"" + url + "\",\"events\":[\"cat.note\",\"cat.note\",\"nope.*\"]}",
                "events[2]", "nope.*");
        created("{\"name\":\"pat.gone\"}");
        assertThat(herald.call("DELETE", "/v1/event-types/pat.gone", null).statusCode()).isEqualTo(204);
        refused("POST", "/v1/webhooks", "{\"url\":\"" + url + "\",\"events\":[\"pat.gone\"]}", "events[0]", "pat.gone");

        created("{\"name\":\"pat.live\"}");
        HttpResponse<String> hook = herald.call("POST", "/v1/webhooks", "{\"url\":\"" + url
                + "\",\"events\":[\"pat.live\",\"cat.*\",\"*\",\"herald.webhook.disabled\"]}");
        assertThat(hook.statusCode()).as(hook.body()).isEqualTo(201);
        String id = JSON.readTree(hook.body()).get("id").asText();
        // Archived after the webhook named it: a PATCH keeps it, a new unknown pattern is refused by its index.
        assertThat(herald.call("DELETE", "/v1/event-types/pat.live", null).statusCode()).isEqualTo(204);
        refused("PATCH", "/v1/webhooks/" + id, "{\"events\":[\"pat.live\",\"other.thing\"]}", "events[1]", "other.thing");
        HttpResponse<String> kept = herald.call("PATCH", "/v1/webhooks/" + id, "{\"events\":[\"pat.live\",\"cat.note\"]}");
        assertThat(kept.statusCode()).as(kept.body()).isEqualTo(200);
        assertThat(herald.call("PATCH", "/v1/webhooks/" + id, "{\"name\":\"renamed\"}").statusCode()).isEqualTo(200);
        assertThat(herald.call("DELETE", "/v1/webhooks/" + id, null).statusCode()).isEqualTo(204);
    }

    @Test
    void withoutStrictModeUnknownTypesPassButSchemasStillHold() throws Exception {
        try (HeraldApp lenient = new HeraldApp(Map.of())) {
            HttpResponse<String> t = lenient.call("POST", "/v1/event-types", "{\"name\":\"len.order\",\"schema\":" + ORDER_SCHEMA + "}");
            assertThat(t.statusCode()).as(t.body()).isEqualTo(201);
            assertThat(lenient.call("POST", "/v1/events", "{\"type\":\"len.anything\",\"data\":{}}").statusCode()).isEqualTo(202);
            assertThat(lenient.call("POST", "/v1/webhooks", "{\"url\":\"" + receiver.url("/len")
                    + "\",\"events\":[\"len.nothing\"]}").statusCode()).isEqualTo(201);
            HttpResponse<String> bad = lenient.call("POST", "/v1/events", "{\"type\":\"len.order\",\"data\":{\"amount\":null}}");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(error(bad).get("code").asText()).isEqualTo("schema_mismatch");
            assertThat(error(bad).get("message").asText()).contains("/amount");
        }
    }

    // --- helpers -------------------------------------------------------------------------

    static JsonNode created(String body) throws Exception {
        HttpResponse<String> r = herald.call("POST", "/v1/event-types", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return JSON.readTree(r.body());
    }

    static JsonNode ok(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    static JsonNode error(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body()).get("error");
    }

    static void refused(String method, String path, String body, String field, String says) throws Exception {
        HttpResponse<String> r = herald.call(method, path, body);
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(400);
        JsonNode e = error(r);
        assertThat(e.get("field").asText()).as(r.body()).isEqualTo(field);
        assertThat(e.get("message").asText()).as(r.body()).contains(says);
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("at com.");
    }

    static List<String> names(String path) throws Exception {
        List<String> out = new ArrayList<>();
        ok(herald.call("GET", path + (path.contains("?") ? "&" : "?") + "limit=250", null)).get("data")
                .forEach(d -> out.add(d.get("name").asText()));
        return out;
    }

    static void drop(Path inbox, String name, String content) throws Exception {
        Files.createDirectories(inbox);
        Path tmp = inbox.resolve("." + name + ".part");
        Files.writeString(tmp, content);
        Files.move(tmp, inbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    static JsonNode awaitEnvelope(String id) throws Exception {
        waitUntil(Duration.ofSeconds(20), () -> envelope(id) != null);
        return envelope(id);
    }

    private static JsonNode envelope(String id) {
        for (Receiver.Request r : receiver.requests) {
            try {
                JsonNode e = JSON.readTree(r.body());
                if (id.equals(e.path("id").asText())) {
                    return e;
                }
            } catch (Exception ignored) {
                // not an envelope
            }
        }
        return null;
    }
}
