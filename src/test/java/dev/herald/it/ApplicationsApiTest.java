package dev.herald.it;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.herald.it.ApiCalls.assertError;
import static dev.herald.it.ApiCalls.json;
import static dev.herald.it.HeraldApp.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code /v1/applications} over HTTP with an operator key: the applications, their webhooks, and what deleting one does. */
class ApplicationsApiTest {

    static HeraldApp herald;
    static Receiver receiver;
    static ApiCalls api;

    @BeforeAll
    static void start() throws Exception {
        receiver = new Receiver();
        herald = new HeraldApp(Map.of());
        api = new ApiCalls(herald);
    }

    @AfterAll
    static void stop() throws Exception {
        herald.close();
        receiver.close();
    }

    @Test
    void createShowsTheApplicationAndItsUidWorksInEveryPath() throws Exception {
        String uid = unique("acme.co_");
        JsonNode app = created("{\"uid\":\"" + uid + "\",\"name\":\"Acme Café\",\"metadata\":{\"plan\":\"pro\",\"region\":\"eu\"}}");
        String id = app.get("id").asText();
        assertThat(id).matches("app_[0-9A-Z]{26}");
        assertThat(app.get("uid").asText()).isEqualTo(uid);
        assertThat(app.get("name").asText()).isEqualTo("Acme Café");
        assertThat(app.get("metadata").toString()).isEqualTo("{\"plan\":\"pro\",\"region\":\"eu\"}");
        assertThat(app.get("created_at").asText()).endsWith("Z").isEqualTo(app.get("updated_at").asText());

        assertThat(api.get("/v1/applications/" + uid)).isEqualTo(app);
        assertThat(api.get("/v1/applications/" + id)).isEqualTo(app);

        // Without a uid: null, and metadata an empty object.
        JsonNode bare = created("{\"name\":\"No uid\"}");
        assertThat(bare.get("uid").isNull()).isTrue();
        assertThat(bare.get("metadata").toString()).isEqualTo("{}");

        assertError(herald.call("GET", "/v1/applications/" + unique("nobody"), null), 404, null);
        assertThat(json(herald.call("GET", "/v1/applications/nobody-here", null)).at("/error/code").asText()).isEqualTo("not_found");
    }

    @Test
    void badBodiesAreRefusedNamingTheField() throws Exception {
        Map<String, String> refused = new java.util.LinkedHashMap<>();
        refused.put("{\"uid\":\"has space\",\"name\":\"n\"}", "uid");
        refused.put("{\"uid\":\"" + "u".repeat(65) + "\",\"name\":\"n\"}", "uid");
        refused.put("{\"uid\":\"\",\"name\":\"n\"}", "uid");
        refused.put("{\"uid\":\"app_01ABC\",\"name\":\"n\"}", "uid");
        refused.put("{\"uid\":7,\"name\":\"n\"}", "uid");
        refused.put("{\"uid\":\"..\",\"name\":\"n\"}", "uid");
        refused.put("{\"uid\":\"acme/eu\",\"name\":\"n\"}", "uid");
        refused.put("{\"uid\":\"ok\"}", "name");
        refused.put("{\"name\":\"  \"}", "name");
        refused.put("{\"name\":\"" + "n".repeat(201) + "\"}", "name");
        refused.put("{\"name\":[\"n\"]}", "name");
        refused.put("{\"name\":\"n\",\"metadata\":[\"a\"]}", "metadata");
        refused.put("{\"name\":\"n\",\"metadata\":{\"count\":3}}", "metadata");
        refused.put("{\"name\":\"n\",\"metadata\":{\"big\":\"" + "x".repeat(8000) + "\"}}", "metadata");
        refused.put("{\"name\":\"n\",\"owner\":\"x\"}", "owner");
        for (Map.Entry<String, String> body : refused.entrySet()) {
            assertError(api.post("/v1/applications", body.getKey()), 400, body.getValue());
        }
        assertError(api.post("/v1/applications", "not json"), 400, null);
        // The longest uid and name are taken.
        String longest = unique("") + "-".repeat(56);
        assertThat(created("{\"uid\":\"" + longest + "\",\"name\":\"" + "n".repeat(200) + "\"}").get("uid").asText())
                .hasSize(64);
    }

    @Test
    void aUidIsUniqueOnCreateAndOnPatch() throws Exception {
        String uid = unique("dup-");
        created("{\"uid\":\"" + uid + "\",\"name\":\"first\"}");
        HttpResponse<String> again = api.post("/v1/applications", "{\"uid\":\"" + uid + "\",\"name\":\"second\"}");
        assertError(again, 409, "uid");
        assertThat(json(again).at("/error/code").asText()).isEqualTo("conflict");

        String other = created("{\"name\":\"other\"}").get("id").asText();
        HttpResponse<String> taken = herald.call("PATCH", "/v1/applications/" + other, "{\"uid\":\"" + uid + "\"}");
        assertError(taken, 409, "uid");
        assertThat(api.get("/v1/applications/" + other).get("uid").isNull()).as("refused patch changed nothing").isTrue();
        assertThat(api.get("/v1/applications/" + uid).get("name").asText()).isEqualTo("first");
    }

    @Test
    void patchChangesOnlyTheFieldsGiven() throws Exception {
        String uid = unique("patch-");
        JsonNode app = created("{\"uid\":\"" + uid + "\",\"name\":\"Before\",\"metadata\":{\"a\":\"1\"}}");
        String id = app.get("id").asText();
        Thread.sleep(5); // updated_at must move on from created_at (millisecond times)

        JsonNode renamed = json(herald.call("PATCH", "/v1/applications/" + uid, "{\"name\":\"After\"}"));
        assertThat(renamed.get("name").asText()).isEqualTo("After");
        assertThat(renamed.get("uid").asText()).isEqualTo(uid);
        assertThat(renamed.get("metadata").toString()).isEqualTo("{\"a\":\"1\"}");
        assertThat(renamed.get("created_at")).isEqualTo(app.get("created_at"));
        assertThat(renamed.get("updated_at").asText()).isGreaterThan(app.get("updated_at").asText());
        assertThat(api.get("/v1/applications/" + id)).isEqualTo(renamed);

        JsonNode cleared = json(herald.call("PATCH", "/v1/applications/" + id, "{\"uid\":null,\"metadata\":null}"));
        assertThat(cleared.get("uid").isNull()).isTrue();
        assertThat(cleared.get("metadata").toString()).isEqualTo("{}");
        assertError(herald.call("GET", "/v1/applications/" + uid, null), 404, null);

        assertError(herald.call("PATCH", "/v1/applications/" + id, "{\"name\":\"\"}"), 400, "name");
        assertError(herald.call("PATCH", "/v1/applications/" + id, "{\"id\":\"app_x\"}"), 400, "id");
        assertError(herald.call("PATCH", "/v1/applications/" + unique("gone"), "{\"name\":\"x\"}"), 404, null);
        assertThat(api.get("/v1/applications/" + id).get("name").asText()).isEqualTo("After");
    }

    @Test
    void listPagesInCreationOrder() throws Exception {
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            mine.add(created("{\"name\":\"page " + i + "\"}").get("id").asText());
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = api.get("/v1/applications?limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.get("data").size()).isBetween(1, 2);
            page.get("data").forEach(a -> seen.add(a.get("id").asText()));
            assertThat(page.get("has_more").asBoolean()).isEqualTo(!page.get("next_cursor").isNull());
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
            pages++;
        } while (cursor != null);
        assertThat(pages).isGreaterThanOrEqualTo(3);
        assertThat(seen).isSorted().doesNotHaveDuplicates().containsSubsequence(mine);
        assertError(herald.call("GET", "/v1/applications?limit=0", null), 400, "limit");
    }

    @Test
    void anApplicationsWebhooksShowItAndFilterByIt() throws Exception {
        String uid = unique("hooks-");
        String app = created("{\"uid\":\"" + uid + "\",\"name\":\"Hooks\"}").get("id").asText();
        String otherApp = created("{\"name\":\"Other\"}").get("id").asText();

        HttpResponse<String> made = herald.call("POST", "/v1/applications/" + uid + "/webhooks",
                "{\"url\":\"" + receiver.url("/app-hook") + "\",\"events\":[\"invoice.paid\"]}");
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        JsonNode hook = json(made);
        String hookId = hook.get("id").asText();
        assertThat(hook.get("application_id").asText()).isEqualTo(app);
        assertThat(hook.get("secret").asText()).as("shown in full on create, as POST /v1/webhooks does").startsWith("whsec_");
        String otherHook = json(api.post("/v1/applications/" + otherApp + "/webhooks",
                "{\"url\":\"" + receiver.url("/other-hook") + "\",\"events\":[\"*\"]}")).get("id").asText();
        String own = api.hook(receiver.url("/own-hook"), "[\"invoice.paid\"]");
        assertThat(api.get("/v1/webhooks/" + own).get("application_id").isNull()).isTrue();

        // The operator reads and changes an application's webhook on /v1/webhooks/{id} as any other.
        assertThat(api.get("/v1/webhooks/" + hookId).get("application_id").asText()).isEqualTo(app);
        JsonNode patched = json(herald.call("PATCH", "/v1/webhooks/" + hookId, "{\"name\":\"renamed\"}"));
        assertThat(patched.get("name").asText()).isEqualTo("renamed");
        assertThat(patched.get("application_id").asText()).as("set at create, never changed").isEqualTo(app);

        assertThat(api.ids("/v1/applications/" + uid + "/webhooks", "data")).containsExactly(hookId);
        assertThat(api.ids("/v1/applications/" + app + "/webhooks", "data")).containsExactly(hookId);
        assertThat(api.ids("/v1/webhooks?application=" + uid, "data")).containsExactly(hookId);
        assertThat(api.ids("/v1/webhooks?application=" + otherApp, "data")).containsExactly(otherHook);
        assertThat(api.ids("/v1/webhooks", "data")).contains(hookId, otherHook, own);
        api.get("/v1/webhooks?limit=250").get("data").forEach(w -> assertThat(w.has("application_id")).isTrue());

        assertError(herald.call("GET", "/v1/webhooks?application=" + unique("nope"), null), 404, "application");
        assertError(herald.call("GET", "/v1/applications/" + unique("nope") + "/webhooks", null), 404, null);
        assertError(api.post("/v1/applications/" + unique("nope") + "/webhooks",
                "{\"url\":\"" + receiver.url("/x") + "\",\"events\":[\"a\"]}"), 404, null);
        // The same checks as POST /v1/webhooks.
        assertError(api.post("/v1/applications/" + uid + "/webhooks", "{\"url\":\"nope\",\"events\":[\"a\"]}"), 400, "url");
        assertThat(api.ids("/v1/applications/" + uid + "/webhooks", "data")).containsExactly(hookId);
    }

    @Test
    void deletingAnApplicationDeletesItsWebhooksAndFailsTheirPendingDeliveries() throws Exception {
        String uid = unique("gone-");
        String app = created("{\"uid\":\"" + uid + "\",\"name\":\"Leaving\"}").get("id").asText();
        // Nothing listens there: each attempt fails, the next is an hour away, so the delivery stays pending.
        String dead = "http://127.0.0.1:" + HeraldApp.freePort() + "/dead";
        String body = "{\"url\":\"" + dead + "\",\"events\":[\"invoice.paid\"],\"retry_schedule\":[\"0s\",\"1h\"]}";
        String appHook = json(api.post("/v1/applications/" + uid + "/webhooks", body)).get("id").asText();
        String ownHook = json(api.post("/v1/webhooks", body)).get("id").asText();
        String appDelivery = testDelivery(appHook);
        String ownDelivery = testDelivery(ownHook);
        waitUntil(Duration.ofSeconds(15), () -> attemptedAndPending(appDelivery) && attemptedAndPending(ownDelivery));

        assertThat(herald.call("DELETE", "/v1/applications/" + uid, null).statusCode()).isEqualTo(204);

        JsonNode ended = api.get("/v1/deliveries/" + appDelivery);
        assertThat(ended.get("status").asText()).isEqualTo("failed");
        assertThat(ended.get("error").asText()).isEqualTo("application deleted");
        assertThat(ended.get("next_attempt_at").isNull()).isTrue();
        assertThat(api.ids("/v1/deliveries?status=failed&webhook_id=" + appHook, "deliveries")).containsExactly(appDelivery);
        assertError(herald.call("GET", "/v1/webhooks/" + appHook, null), 404, null);
        assertThat(api.ids("/v1/webhooks", "data")).doesNotContain(appHook).contains(ownHook);
        assertError(herald.call("GET", "/v1/applications/" + app, null), 404, null);
        assertError(herald.call("GET", "/v1/applications/" + uid, null), 404, null);
        assertError(herald.call("DELETE", "/v1/applications/" + app, null), 404, null);
        assertError(herald.call("GET", "/v1/webhooks?application=" + app, null), 404, "application");

        // The operator's own webhook and its delivery are untouched.
        JsonNode kept = api.get("/v1/deliveries/" + ownDelivery);
        assertThat(kept.get("status").asText()).isEqualTo("pending");
        assertThat(kept.get("next_attempt_at").isNull()).isFalse();

        // The uid is free again.
        assertThat(created("{\"uid\":\"" + uid + "\",\"name\":\"Back\"}").get("id").asText()).isNotEqualTo(app);
    }

    private static String testDelivery(String hook) throws Exception {
        HttpResponse<String> r = api.post("/v1/webhooks/" + hook + "/test", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return json(r).get("delivery_id").asText();
    }

    private static boolean attemptedAndPending(String delivery) {
        try {
            JsonNode d = api.get("/v1/deliveries/" + delivery);
            return d.get("attempts").size() >= 1 && d.get("status").asText().equals("pending");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode created(String body) throws Exception {
        HttpResponse<String> r = api.post("/v1/applications", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return json(r);
    }

    private static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().substring(0, 8);
    }
}
