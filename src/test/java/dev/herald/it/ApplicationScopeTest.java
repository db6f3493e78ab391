package dev.herald.it;

import com.fasterxml.jackson.databind.JsonNode;

import dev.herald.api.ApiResponse;
import dev.herald.api.ApplicationApi;
import dev.herald.api.ReplayApi;
import dev.herald.api.WebhookApi;
import dev.herald.error.HeraldException;
import dev.herald.tenancy.Scope;

import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.herald.it.ApiCalls.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The webhook and application calls under an application's scope, as ApiAuth sets it for an
 * application's key: the running Herald's API beans called with that scope (keys themselves are
 * another part of issue 27), the rows made and checked over HTTP with the operator's key.
 */
class ApplicationScopeTest {

    static HeraldApp herald;
    static Receiver receiver;
    static ApiCalls api;
    static WebhookApi webhooks;
    static ReplayApi replay;
    static ApplicationApi applications;
    static String appA;
    static String appB;
    static String hookA;
    static String hookB;
    static String hookOwn;

    @BeforeAll
    static void start() throws Exception {
        receiver = new Receiver();
        herald = new HeraldApp(Map.of());
        api = new ApiCalls(herald);
        webhooks = herald.camelContext().getRegistry().lookupByNameAndType("WebhookApi", WebhookApi.class);
        replay = herald.camelContext().getRegistry().lookupByNameAndType("ReplayApi", ReplayApi.class);
        applications = herald.camelContext().getRegistry().lookupByNameAndType("ApplicationApi", ApplicationApi.class);
        appA = json(api.post("/v1/applications", "{\"uid\":\"scope-a\",\"name\":\"A\"}")).get("id").asText();
        appB = json(api.post("/v1/applications", "{\"uid\":\"scope-b\",\"name\":\"B\"}")).get("id").asText();
        hookA = json(api.post("/v1/applications/" + appA + "/webhooks", hookBody("/a"))).get("id").asText();
        hookB = json(api.post("/v1/applications/" + appB + "/webhooks", hookBody("/b"))).get("id").asText();
        hookOwn = api.hook(receiver.url("/own"), "[\"scope.*\"]");
    }

    @AfterAll
    static void stop() throws Exception {
        herald.close();
        receiver.close();
    }

    static String hookBody(String path) {
        return "{\"url\":\"" + receiver.url(path) + "\",\"events\":[\"scope.*\"]}";
    }

    static Exchange call(Scope scope, String method) {
        Exchange e = new DefaultExchange(herald.camelContext());
        e.setProperty(Scope.PROPERTY, scope);
        e.getMessage().setHeader(Exchange.HTTP_METHOD, method);
        return e;
    }

    static Exchange as(Scope scope) {
        return call(scope, "GET");
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Every call on one webhook id, with a body each would take. */
    static Map<String, Executable> everyCallOn(Scope scope, String id) {
        Map<String, Executable> calls = new LinkedHashMap<>();
        calls.put("get", () -> webhooks.get(as(scope), id, null));
        calls.put("patch", () -> webhooks.patch(as(scope), id, bytes("{\"name\":\"taken\"}")));
        calls.put("test", () -> webhooks.test(as(scope), id));
        calls.put("deliveries", () -> webhooks.deliveries(as(scope), id, null, null, null));
        calls.put("recover", () -> webhooks.recover(as(scope), id, bytes("{\"since\":\"2020-01-01T00:00:00Z\"}")));
        calls.put("rotate-secret", () -> webhooks.rotateSecret(as(scope), id, bytes("{}")));
        calls.put("replay", () -> replay.replay(as(scope), id, bytes("{\"since\":\"2020-01-01T00:00:00Z\"}")));
        calls.put("delete", () -> webhooks.delete(as(scope), id));
        return calls;
    }

    @Test
    void anotherApplicationsWebhookOrTheOperatorsOwnIsMissing() throws Exception {
        Scope a = new Scope.OfApplication(appA, "key_a", false);
        Scope readOnly = new Scope.OfApplication(appA, "key_ro", true);
        String secretB = api.get("/v1/webhooks/" + hookB + "?include_secret=true").get("secret").asText();
        for (String foreign : List.of(hookB, hookOwn)) {
            for (Scope scope : List.of(a, readOnly)) {
                for (Map.Entry<String, Executable> c : everyCallOn(scope, foreign).entrySet()) {
                    HeraldException refused = assertThrows(HeraldException.class, c.getValue(), c.getKey() + " " + foreign);
                    HeraldException missing = HeraldException.notFound("webhook", foreign);
                    assertThat(List.of(refused.status(), refused.code(), refused.getMessage(), String.valueOf(refused.field())))
                            .as(c.getKey()).isEqualTo(List.of(missing.status(), missing.code(), missing.getMessage(), "null"));
                }
            }
        }
        // Nothing happened to them: still there, unchanged, no delivery made.
        JsonNode b = api.get("/v1/webhooks/" + hookB + "?include_secret=true");
        assertThat(b.get("name").isNull()).isTrue();
        assertThat(b.get("secret").asText()).isEqualTo(secretB);
        assertThat(api.get("/v1/webhooks/" + hookB + "/deliveries").get("deliveries")).isEmpty();
        assertThat(api.get("/v1/webhooks/" + hookOwn).get("name").isNull()).isTrue();
    }

    @Test
    void itsOwnWebhooksWorkAndAReadOnlyKeyOnlyReadsThem() {
        Scope a = new Scope.OfApplication(appA, "key_a", false);
        Scope readOnly = new Scope.OfApplication(appA, "key_ro", true);
        assertThat(webhooks.get(as(a), hookA, null).status()).isEqualTo(200);
        assertThat(webhooks.get(as(readOnly), hookA, null).status()).isEqualTo(200);
        assertThat(webhooks.deliveries(as(readOnly), hookA, null, null, null).status()).isEqualTo(200);
        HeraldException refused = assertThrows(HeraldException.class,
                () -> webhooks.patch(as(readOnly), hookA, bytes("{\"name\":\"ro\"}")));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.code()).isEqualTo("read_only");
        assertThrows(HeraldException.class, () -> webhooks.create(as(readOnly), bytes(hookBody("/ro"))));
        ApiResponse patched = webhooks.patch(as(a), hookA, bytes("{\"description\":\"mine\"}"));
        assertThat(patched.status()).isEqualTo(200);
        assertThat(webhooks.test(as(a), hookA).status()).isEqualTo(202);
    }

    @Test
    void listsShowOnlyItsOwnAndCreateMakesOneOfItsOwn() throws Exception {
        Scope a = new Scope.OfApplication(appA, "key_a", false);
        ApiResponse made = webhooks.create(as(a), bytes(hookBody("/a-made")));
        assertThat(made.status()).isEqualTo(201);
        String madeId = (String) ((Map<?, ?>) made.body()).get("id");
        assertThat(api.get("/v1/webhooks/" + madeId).get("application_id").asText()).isEqualTo(appA);

        assertThat(ids(webhooks.list(as(a), "250", null, null, null))).containsExactly(hookA, madeId);
        assertThat(ids(webhooks.list(as(a), "250", null, null, "scope-a"))).containsExactly(hookA, madeId);
        assertThat(ids(webhooks.listFor(as(a), "scope-a", "250", null, null))).containsExactly(hookA, madeId);
        assertThat(ids(webhooks.list(as(Scope.OPERATOR), "250", null, null, null))).contains(hookA, hookB, hookOwn, madeId);

        // Another application, named by id or uid, is as unknown as one that does not exist.
        for (String other : List.of(appB, "scope-b")) {
            HeraldException filter = assertThrows(HeraldException.class, () -> webhooks.list(as(a), null, null, null, other));
            assertThat(List.of(filter.status(), filter.field())).isEqualTo(List.of(404, "application"));
            HeraldException list = assertThrows(HeraldException.class, () -> webhooks.listFor(as(a), other, null, null, null));
            assertThat(list.getMessage()).isEqualTo(HeraldException.notFound("application", other).getMessage());
            HeraldException create = assertThrows(HeraldException.class,
                    () -> webhooks.createFor(as(a), other, bytes(hookBody("/sneak"))));
            assertThat(create.getMessage()).isEqualTo(HeraldException.notFound("application", other).getMessage());
        }
        assertThat(api.ids("/v1/webhooks?application=" + appB, "data")).containsExactly(hookB);
    }

    @Test
    void theApplicationsCallsAreTheOperatorsAlone() throws Exception {
        Scope a = new Scope.OfApplication(appA, "key_a", false);
        JsonNode nothingHere = json(herald.call("GET", "/v1/no-such-call", null)).get("error");
        Map<String, Executable> calls = new LinkedHashMap<>();
        calls.put("list", () -> applications.list(call(a, "GET"), null, null));
        calls.put("create", () -> applications.create(call(a, "POST"), bytes("{\"name\":\"sneak\"}")));
        calls.put("get own", () -> applications.get(call(a, "GET"), appA));
        calls.put("get other", () -> applications.get(call(a, "GET"), "scope-b"));
        calls.put("patch own", () -> applications.patch(call(a, "PATCH"), appA, bytes("{\"name\":\"mine now\"}")));
        calls.put("delete other", () -> applications.delete(call(a, "DELETE"), appB));
        for (Map.Entry<String, Executable> c : calls.entrySet()) {
            HeraldException refused = assertThrows(HeraldException.class, c.getValue(), c.getKey());
            assertThat(refused.status()).as(c.getKey()).isEqualTo(404);
            assertThat(refused.code()).isEqualTo("not_found");
        }
        HeraldException get = assertThrows(HeraldException.class, () -> applications.get(call(a, "GET"), appA));
        assertThat(get.getMessage()).as("as GET on a path nothing answers").isEqualTo(nothingHere.get("message").asText());
        assertThat(api.get("/v1/applications/" + appA).get("name").asText()).isEqualTo("A");
        assertThat(api.get("/v1/applications/" + appB).get("name").asText()).isEqualTo("B");
    }

    private static List<String> ids(ApiResponse page) {
        return ((List<?>) ((Map<?, ?>) page.body()).get("data")).stream()
                .map(w -> (String) ((Map<?, ?>) w).get("id")).toList();
    }
}
