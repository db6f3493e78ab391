package dev.herald.it;

import com.fasterxml.jackson.databind.JsonNode;

import dev.herald.api.EventTypeApi;
import dev.herald.error.HeraldException;
import dev.herald.tenancy.Scope;

import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.herald.it.CatalogCalls.JSON;
import static dev.herald.it.CatalogCalls.ORDER_SCHEMA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The event-type catalog's calls, with herald.event-types.strict on: create, read, change, archive
 * and bring back; schemas that are not valid or point outside refused when stored (nothing fetched);
 * webhook patterns that match no catalogued type refused by their index. Without strict mode,
 * unknown types pass and schemas still hold.
 */
class EventTypeApiTest {

    static HeraldApp herald;
    static Receiver receiver;
    static CatalogCalls calls;

    @BeforeAll
    static void start() throws Exception {
        receiver = new Receiver();
        herald = new HeraldApp(Map.of("herald.event-types.strict", "true"));
        calls = new CatalogCalls(herald, receiver);
        calls.created("{\"name\":\"cat.note\"}");
        calls.created("{\"name\":\"cat.order.paid\",\"schema\":" + ORDER_SCHEMA + "}");
    }

    @AfterAll
    static void stop() throws Exception {
        herald.close();
        receiver.close();
    }

    @Test
    void typesAreCreatedReadChangedArchivedAndBroughtBack() throws Exception {
        JsonNode t = calls.created("{\"name\":\"crud.thing\",\"description\":\"first\"}");
        assertThat(t.get("description").asText()).isEqualTo("first");
        assertThat(t.get("schema").isNull()).isTrue();
        assertThat(t.get("archived").asBoolean()).isFalse();

        HttpResponse<String> again = herald.call("POST", "/v1/event-types", "{\"name\":\"crud.thing\"}");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(calls.error(again).get("code").asText()).isEqualTo("conflict");
        calls.refused("POST", "/v1/event-types", "{\"name\":\"herald.webhook.disabled\"}", "name", "Herald's own");
        calls.refused("POST", "/v1/event-types", "{\"name\":\"Herald.mine\"}", "name", "Herald's own");
        calls.refused("POST", "/v1/event-types", "{\"name\":\"two words\"}", "name", "dot-separated");
        calls.refused("POST", "/v1/event-types", "{\"description\":\"no name\"}", "name", "required");

        JsonNode patched = calls.ok(herald.call("PATCH", "/v1/event-types/crud.thing", "{\"description\":\"second\",\"schema\":"
                + "{\"type\":\"object\"}}"));
        assertThat(patched.get("description").asText()).isEqualTo("second");
        assertThat(patched.get("schema")).isEqualTo(JSON.readTree("{\"type\":\"object\"}"));
        assertThat(calls.ok(herald.call("GET", "/v1/event-types/crud.thing", null))).isEqualTo(patched);
        assertThat(calls.names("/v1/event-types")).contains("cat.note", "cat.order.paid", "crud.thing");

        assertThat(herald.call("DELETE", "/v1/event-types/crud.thing", null).statusCode()).isEqualTo(204);
        assertThat(calls.names("/v1/event-types")).contains("cat.note").doesNotContain("crud.thing");
        assertThat(calls.names("/v1/event-types?include_archived=true")).contains("cat.note", "crud.thing");
        JsonNode archived = calls.ok(herald.call("GET", "/v1/event-types/crud.thing", null));
        assertThat(archived.get("archived").asBoolean()).isTrue();
        assertThat(archived.get("archived_at").asText()).endsWith("Z");
        assertThat(herald.call("DELETE", "/v1/event-types/crud.thing", null).statusCode()).isEqualTo(204);
        assertThat(herald.call("POST", "/v1/event-types", "{\"name\":\"crud.thing\"}").statusCode()).isEqualTo(409);

        JsonNode back = calls.ok(herald.call("PATCH", "/v1/event-types/crud.thing", "{\"archived\":false,\"schema\":null}"));
        assertThat(back.get("archived").asBoolean()).isFalse();
        assertThat(back.get("archived_at").isNull()).isTrue();
        assertThat(back.get("schema").isNull()).isTrue();
        assertThat(calls.names("/v1/event-types")).contains("crud.thing");

        assertThat(herald.call("GET", "/v1/event-types/no.such", null).statusCode()).isEqualTo(404);
        assertThat(herald.call("PATCH", "/v1/event-types/no.such", "{\"description\":\"x\"}").statusCode()).isEqualTo(404);
        assertThat(herald.call("DELETE", "/v1/event-types/no.such", null).statusCode()).isEqualTo(404);
        calls.refused("PATCH", "/v1/event-types/crud.thing", "{\"archived\":\"yes\"}", "archived", "true or false");
        calls.refused("PATCH", "/v1/event-types/crud.thing", "{\"name\":\"other\"}", "name", "unknown field");
        calls.refused("GET", "/v1/event-types?include_archived=maybe", null, "include_archived", "true or false");
    }

    /** As ApiAuth sets the scope for an application's key (keys are another part of issue 27). */
    @Test
    void anApplicationsKeyReadsTheCatalogButChangesNothing() throws Exception {
        EventTypeApi bean = herald.camelContext().getRegistry().lookupByNameAndType("EventTypeApi", EventTypeApi.class);
        // Reads take no scope: list and get answer whichever key asks.
        assertThat(bean.list(null, null, null).status()).isEqualTo(200);
        assertThat(bean.get("cat.note").status()).isEqualTo(200);
        for (Scope scope : List.of(new Scope.OfApplication("app_x", "key_x", false), new Scope.OfApplication("app_x", "key_r", true))) {
            List<Executable> changes = List.of(
                    () -> bean.create(as(scope, "POST"), "{\"name\":\"app.made\"}".getBytes(StandardCharsets.UTF_8)),
                    () -> bean.patch(as(scope, "PATCH"), "cat.note", "{\"description\":\"app\"}".getBytes(StandardCharsets.UTF_8)),
                    () -> bean.delete(as(scope, "DELETE"), "cat.note"));
            for (Executable change : changes) {
                HeraldException refused = assertThrows(HeraldException.class, change);
                assertThat(refused.status()).isEqualTo(404);
            }
        }
        assertThat(herald.call("GET", "/v1/event-types/app.made", null).statusCode()).isEqualTo(404);
        JsonNode note = calls.ok(herald.call("GET", "/v1/event-types/cat.note", null));
        assertThat(note.get("archived").asBoolean()).isFalse();
        assertThat(note.get("description").isNull()).isTrue();
    }

    static Exchange as(Scope scope, String method) {
        Exchange e = new DefaultExchange(herald.camelContext());
        e.setProperty(Scope.PROPERTY, scope);
        e.getMessage().setHeader(Exchange.HTTP_METHOD, method);
        return e;
    }

    @Test
    void theListPagesByName() throws Exception {
        for (String n : List.of("page.a", "page.b", "page.c")) {
            calls.created("{\"name\":\"" + n + "\"}");
        }
        List<String> seen = new ArrayList<>();
        String cursor = "";
        for (int i = 0; i < 50; i++) {
            JsonNode page = calls.ok(herald.call("GET", "/v1/event-types?limit=2" + cursor, null));
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
        calls.refused("POST", "/v1/event-types", "{\"name\":\"bad.one\",\"schema\":{\"type\":5}}", "schema", "/type");
        calls.refused("POST", "/v1/event-types", "{\"name\":\"bad.one\",\"schema\":{\"type\":\"strng\"}}", "schema", "not a valid");
        calls.refused("POST", "/v1/event-types", "{\"name\":\"bad.one\",\"schema\":\"object\"}", "schema", "object or a boolean");
        calls.refused("POST", "/v1/event-types", "{\"name\":\"bad.one\",\"schema\":{\"$schema\":"
                + "\"http://json-schema.org/draft-07/schema#\"}}", "schema", "2020-12");
        calls.refused("POST", "/v1/event-types", "{\"name\":\"bad.one\",\"schema\":{\"$ref\":\"#/$defs/missing\"}}",
                "schema", "cannot be used");
        calls.refused("POST", "/v1/event-types", "{\"name\":\"bad.one\",\"schema\":{\"$ref\":\"file:///etc/passwd\"}}",
                "schema", "cannot be used");
        String huge = "{\"name\":\"bad.one\",\"schema\":{\"description\":\"" + "x".repeat(70_000) + "\"}}";
        calls.refused("POST", "/v1/event-types", huge, "schema", "max-schema-bytes");
        calls.refused("PATCH", "/v1/event-types/cat.note", "{\"schema\":{\"minimum\":\"ten\"}}", "schema", "/minimum");
        assertThat(herald.call("GET", "/v1/event-types/bad.one", null).statusCode()).isEqualTo(404);
    }

    @Test
    void aRemoteRefIsNotFetched() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String url = "http://127.0.0.1:" + listener.getLocalPort() + "/schema.json";
            calls.refused("POST", "/v1/event-types", "{\"name\":\"remote.ref\",\"schema\":{\"$ref\":\"" + url + "\"}}",
                    "schema", "loads nothing from outside");
            calls.refused("POST", "/v1/event-types", "{\"name\":\"remote.ref\",\"schema\":{\"properties\":{\"a\":{\"$ref\":\""
                    + url + "#/x\"}}}}", "schema", "cannot be used");
            calls.refused("POST", "/v1/event-types", "{\"name\":\"remote.ref\",\"schema\":{\"$id\":\"" + url
                    + "\",\"$ref\":\"other.json\"}}", "schema", "cannot be used");
            // A fetch would have connected before the answer; its connection would wait in the backlog.
            listener.setSoTimeout(300);
            assertThatThrownBy(listener::accept).isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void webhookPatternsMustMatchACataloguedType() throws Exception {
        String url = receiver.url("/patterns");
        calls.refused("POST", "/v1/webhooks", "{\"url\":\"" + url + "\",\"events\":[\"cat.note\",\"nothing.here\"]}",
                "events[1]", "matches no event type");
        calls.refused("POST", "/v1/webhooks", "{\"url\":\"" + url + "\",\"events\":[\"cat.note\",\"cat.note\",\"nope.*\"]}",
                "events[2]", "nope.*");
        calls.created("{\"name\":\"pat.gone\"}");
        assertThat(herald.call("DELETE", "/v1/event-types/pat.gone", null).statusCode()).isEqualTo(204);
        calls.refused("POST", "/v1/webhooks", "{\"url\":\"" + url + "\",\"events\":[\"pat.gone\"]}", "events[0]", "pat.gone");

        calls.created("{\"name\":\"pat.live\"}");
        HttpResponse<String> hook = herald.call("POST", "/v1/webhooks", "{\"url\":\"" + url
                + "\",\"events\":[\"pat.live\",\"cat.*\",\"*\",\"herald.webhook.disabled\"]}");
        assertThat(hook.statusCode()).as(hook.body()).isEqualTo(201);
        String id = JSON.readTree(hook.body()).get("id").asText();
        // Archived after the webhook named it: a PATCH keeps it, a new unknown pattern is refused by its index.
        assertThat(herald.call("DELETE", "/v1/event-types/pat.live", null).statusCode()).isEqualTo(204);
        calls.refused("PATCH", "/v1/webhooks/" + id, "{\"events\":[\"pat.live\",\"other.thing\"]}", "events[1]", "other.thing");
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
            assertThat(calls.error(bad).get("code").asText()).isEqualTo("schema_mismatch");
            assertThat(calls.error(bad).get("message").asText()).contains("/amount");
        }
    }
}
