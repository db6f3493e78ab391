package dev.herald.it;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.herald.it.ApiCalls.JSON;
import static dev.herald.it.ApiCalls.assertError;
import static dev.herald.it.ApiCalls.json;
import static dev.herald.it.HeraldApp.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A webhook's payload filter end to end: only the events it accepts reach a loopback receiver,
 * PATCH null clears it, replay applies it, filter-test answers, malformed filters are 400s.
 */
class PayloadFilterFlowTest {

    static HeraldApp herald;
    static ApiCalls api;
    static Receiver receiver;

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
    void onlyAcceptedEventsAreDeliveredUntilPatchNullClearsTheFilter() throws Exception {
        String p = unique("f");
        String path = "/" + p;
        String filter = "{\"data\":{\"amount\":{\"$gt\":100}},\"data.currency\":{\"$in\":[\"usd\",\"eur\"]}}";
        HttpResponse<String> created = herald.call("POST", "/v1/webhooks", "{\"url\":\"" + receiver.url(path)
                + "\",\"events\":[\"" + p + ".*\"],\"retry_schedule\":[\"0s\"],\"filter\":" + filter + "}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String hook = json(created).get("id").asText();
        assertThat(json(created).get("filter")).isEqualTo(JSON.readTree(filter));
        assertThat(api.get("/v1/webhooks/" + hook).get("filter")).isEqualTo(JSON.readTree(filter));

        String big = send(p + ".paid", "{\"amount\":150,\"currency\":\"usd\"}");
        String small = send(p + ".paid", "{\"amount\":50,\"currency\":\"usd\"}");
        String text = send(p + ".paid", "{\"amount\":\"150\",\"currency\":\"usd\"}");
        String gbp = send(p + ".paid", "{\"amount\":150,\"currency\":\"gbp\"}");
        String none = send(p + ".paid", "{}");
        String euro = send(p + ".refunded", "{\"amount\":101.5,\"currency\":\"eur\"}");
        // The fan-out is committed when the 202 comes: refused events have no delivery row at all.
        assertThat(eventsDeliveredTo(hook)).containsExactlyInAnyOrder(big, euro);
        assertThat(api.get("/v1/events/" + small).get("deliveries")).isEmpty();
        waitUntil(Duration.ofSeconds(20), () -> received(path).size() == 2);
        assertThat(received(path)).containsExactlyInAnyOrder(big, euro).doesNotContain(small, text, gbp, none);

        HttpResponse<String> cleared = herald.call("PATCH", "/v1/webhooks/" + hook, "{\"filter\":null}");
        assertThat(cleared.statusCode()).as(cleared.body()).isEqualTo(200);
        assertThat(json(cleared).get("filter").isNull()).isTrue();
        String later = send(p + ".paid", "{\"amount\":5}");
        waitUntil(Duration.ofSeconds(20), () -> received(path).contains(later));
        assertThat(received(path)).hasSize(3);

        // A filter set by PATCH applies to the next event at once.
        HttpResponse<String> set = herald.call("PATCH", "/v1/webhooks/" + hook, "{\"filter\":{\"type\":\"" + p + ".only\"}}");
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
        String refused = send(p + ".paid", "{\"amount\":500}");
        String only = send(p + ".only", "{}");
        assertThat(eventsDeliveredTo(hook)).contains(only).doesNotContain(refused);
        waitUntil(Duration.ofSeconds(20), () -> received(path).contains(only));
        assertThat(received(path)).hasSize(4).doesNotContain(refused);
    }

    @Test
    void operationalEventsAreFilteredToo() throws Exception {
        String p = unique("o");
        String accepting = filtered("/" + p + "-gone", "[\"herald.*\"]",
                "{\"type\":\"herald.webhook.disabled\",\"data.reason\":\"gone\"}");
        String refusing = filtered("/" + p + "-none", "[\"herald.*\"]", "{\"data.webhook_id\":\"hook_none\"}");
        try (Receiver gone = new Receiver()) {
            gone.status.set(410);
            String hook = api.hook(gone.url("/in"), "[\"" + p + ".x\"]");
            send(p + ".x", "{}");
            // The receiver's 410 disables the webhook; Herald's herald.webhook.disabled event about it is filtered.
            waitUntil(Duration.ofSeconds(20), () -> receiver.to("/" + p + "-gone").stream()
                    .anyMatch(r -> new String(r.body()).contains(hook)));
            String event = receiver.to("/" + p + "-gone").get(0).header("X-Webhook-Id");
            assertThat(api.get("/v1/events/" + event).get("type").asText()).isEqualTo("herald.webhook.disabled");
            assertThat(eventsDeliveredTo(accepting)).containsExactly(event);
            assertThat(eventsDeliveredTo(refusing)).isEmpty();
            assertThat(receiver.to("/" + p + "-none")).isEmpty();
        }
    }

    private static String filtered(String path, String events, String filter) throws Exception {
        HttpResponse<String> created = herald.call("POST", "/v1/webhooks", "{\"url\":\"" + receiver.url(path)
                + "\",\"events\":" + events + ",\"retry_schedule\":[\"0s\"],\"filter\":" + filter + "}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return json(created).get("id").asText();
    }

    @Test
    void replayAppliesTheFilter() throws Exception {
        String p = unique("r");
        String path = "/" + p;
        long before = System.currentTimeMillis() - 1000;
        String vip = send(p + ".signup", "{\"plan\":\"pro\",\"email\":\"ada@example.com\"}");
        String free = send(p + ".signup", "{\"plan\":\"free\",\"email\":\"bob@example.com\"}");
        String other = send(p + ".signup", "{\"plan\":\"pro\",\"email\":\"eve@example.org\"}");
        HttpResponse<String> created = herald.call("POST", "/v1/webhooks", "{\"url\":\"" + receiver.url(path)
                + "\",\"events\":[\"" + p + ".*\"],\"retry_schedule\":[\"0s\"],\"filter\":{\"$and\":[{\"data.plan\":\"pro\"},"
                + "{\"data.email\":{\"$regex\":\"@example\\\\.com$\"}}]}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String hook = json(created).get("id").asText();

        HttpResponse<String> r = herald.call("POST", "/v1/webhooks/" + hook + "/replay", "{\"since\":\"" + Instant.ofEpochMilli(before) + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        assertThat(json(r).get("replayed").asInt()).isEqualTo(1);
        waitUntil(Duration.ofSeconds(20), () -> received(path).contains(vip));
        assertThat(eventsDeliveredTo(hook)).containsExactly(vip);
        assertThat(received(path)).containsExactly(vip).doesNotContain(free, other);
    }

    @Test
    void filterTestAnswersForTheStoredFilterOrOneGiven() throws Exception {
        String p = unique("t");
        String hook = api.hook(receiver.url("/" + p), "[\"" + p + ".*\"]");
        String test = "/v1/webhooks/" + hook + "/filter-test";
        // No filter: every event matches.
        assertThat(matches(test, "{\"event\":{\"type\":\"a.b\",\"data\":{}}}")).isTrue();
        assertThat(herald.call("PATCH", "/v1/webhooks/" + hook,
                "{\"filter\":{\"type\":{\"$neq\":\"herald.webhook.disabled\"},\"data.amount\":{\"$gte\":10}}}").statusCode())
                .isEqualTo(200);
        assertThat(matches(test, "{\"event\":{\"type\":\"a.b\",\"data\":{\"amount\":10}}}")).isTrue();
        assertThat(matches(test, "{\"event\":{\"type\":\"a.b\",\"data\":{\"amount\":9.99}}}")).isFalse();
        assertThat(matches(test, "{\"event\":{\"type\":\"herald.webhook.disabled\",\"data\":{\"amount\":10}}}")).isFalse();
        // A filter given in the body is tried instead of the stored one, which stays.
        assertThat(matches(test, "{\"event\":{\"type\":\"a.b\",\"data\":{\"amount\":1}},\"filter\":{\"data.amount\":1}}")).isTrue();
        assertThat(matches(test, "{\"event\":{\"id\":\"e1\",\"type\":\"a.b\",\"application\":\"app_x\",\"data\":{}},"
                + "\"filter\":{\"application\":\"app_x\",\"id\":\"e1\"}}")).isTrue();
        assertThat(api.get("/v1/webhooks/" + hook).get("filter").get("data.amount").get("$gte").asInt()).isEqualTo(10);

        assertError(herald.call("POST", test, "{\"event\":{\"type\":\"a\",\"data\":{}},\"filter\":{\"data.x\":{\"$gt\":[]}}}"),
                400, "filter");
        assertError(herald.call("POST", test, "{}"), 400, "event");
        assertError(herald.call("POST", test, "{\"event\":{\"data\":{}}}"), 400, "event.type");
        assertError(herald.call("POST", test, "{\"event\":{\"type\":\"a\",\"data\":[]}}"), 400, "event.data");
        assertError(herald.call("POST", test, "{\"event\":{\"type\":\"a\",\"data\":{},\"extra\":1}}"), 400, "event.extra");
        assertError(herald.call("POST", test, "{\"event\":{\"type\":\"a\",\"data\":{}},\"other\":1}"), 400, "other");
        assertError(herald.call("POST", "/v1/webhooks/hook_nope/filter-test", "{\"event\":{\"type\":\"a\",\"data\":{}}}"), 404, null);
        assertError(herald.call("POST", test, "{\"event\":{\"type\":\"a\",\"data\":{}}}", "wrong"), 401, null);
    }

    /** Under an application's scope (as ApiAuth sets it for its key): its own webhooks only; a read, so read-only keys may. */
    @Test
    void filterTestIsScopedToTheKeysApplication() throws Exception {
        String p = unique("a");
        String app = json(api.post("/v1/applications", "{\"uid\":\"" + p + "\",\"name\":\"A\"}")).get("id").asText();
        HttpResponse<String> own = api.post("/v1/applications/" + app + "/webhooks", "{\"url\":\"" + receiver.url("/" + p)
                + "\",\"events\":[\"" + p + ".*\"],\"filter\":{\"application\":\"" + app + "\"}}");
        assertThat(own.statusCode()).as(own.body()).isEqualTo(201);
        String ownHook = json(own).get("id").asText();
        String operatorHook = api.hook(receiver.url("/" + p + "-op"), "[\"" + p + ".*\"]");
        dev.herald.api.FilterTestApi bean = herald.camelContext().getRegistry()
                .lookupByNameAndType("FilterTestApi", dev.herald.api.FilterTestApi.class);
        org.apache.camel.Exchange readOnly = new org.apache.camel.support.DefaultExchange(herald.camelContext());
        readOnly.setProperty(dev.herald.tenancy.Scope.PROPERTY, new dev.herald.tenancy.Scope.OfApplication(app, "key_1", true));
        byte[] body = ("{\"event\":{\"type\":\"" + p + ".x\",\"application\":\"" + app + "\",\"data\":{}}}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(JSON.valueToTree(bean.test(readOnly, ownHook, body).body()).get("matches").asBoolean()).isTrue();
        dev.herald.error.HeraldException missing = org.junit.jupiter.api.Assertions.assertThrows(
                dev.herald.error.HeraldException.class, () -> bean.test(readOnly, operatorHook, body));
        assertThat(missing.status()).isEqualTo(404);
    }

    @Test
    void malformedFiltersAreRefusedWithThePositionAndChangeNothing() throws Exception {
        String p = unique("m");
        HttpResponse<String> bad = herald.call("POST", "/v1/webhooks", "{\"url\":\"" + receiver.url("/" + p)
                + "\",\"events\":[\"" + p + ".*\"],\"filter\":{\"data\":{\"amount\":{\"$gt\":true}}}}");
        assertError(bad, 400, "filter");
        assertThat(json(bad).get("error").get("message").asText())
                .isEqualTo("$gt takes a number or a string at filter.data.amount.$gt");
        assertError(herald.call("POST", "/v1/webhooks", "{\"url\":\"" + receiver.url("/" + p)
                + "\",\"events\":[\"" + p + ".*\"],\"filter\":\"type=a\"}"), 400, "filter");

        String hook = api.hook(receiver.url("/" + p), "[\"" + p + ".*\"]");
        HttpResponse<String> patch = herald.call("PATCH", "/v1/webhooks/" + hook,
                "{\"name\":\"renamed\",\"filter\":{\"$or\":[{\"type\":\"a\"},{\"data.s\":{\"$regex\":\"(a)\\\\1\"}}]}}");
        assertError(patch, 400, "filter");
        assertThat(json(patch).get("error").get("message").asText()).endsWith(" at filter.$or[1].data.s.$regex");
        JsonNode unchanged = api.get("/v1/webhooks/" + hook);
        assertThat(unchanged.get("filter").isNull()).isTrue();
        assertThat(unchanged.get("name").isNull()).isTrue();
    }

    private boolean matches(String path, String body) throws Exception {
        HttpResponse<String> r = herald.call("POST", path, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r).get("matches").asBoolean();
    }

    private static String send(String type, String data) throws Exception {
        HttpResponse<String> r = herald.call("POST", "/v1/events", "{\"type\":\"" + type + "\",\"data\":" + data + "}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return json(r).get("id").asText();
    }

    private static List<String> eventsDeliveredTo(String hook) throws Exception {
        return api.get("/v1/deliveries?limit=250&webhook_id=" + hook).get("deliveries").findValuesAsText("event_id");
    }

    private static List<String> received(String path) {
        return receiver.to(path).stream().map(r -> r.header("X-Webhook-Id")).toList();
    }

    private static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().substring(0, 8);
    }
}
