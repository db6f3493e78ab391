package dev.herald.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.herald.it.HeraldApp.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Endpoint lifecycle, whole app over real HTTP: 410 and failing webhooks disabled, pause that holds,
 * the circuit breaker, and the operational events an operator's ordinary webhook receives.
 */
class LifecycleTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static HeraldApp herald;
    /** The operator's webhook: every herald.* event. */
    static Receiver operator;
    static String operatorHook;

    @BeforeAll
    static void start() throws Exception {
        herald = new HeraldApp(Map.of(
                "herald.webhook.disable-after", "3s",
                "herald.delivery.breaker.failures", "3",
                "herald.delivery.breaker.open-for", "4s",
                "herald.delivery.breaker.max-open", "8s"));
        operator = new Receiver();
        operatorHook = hook(operator, "[\"herald.*\"]", "[\"0s\",\"1s\"]");
    }

    @AfterAll
    static void stop() throws Exception {
        herald.close();
        operator.close();
    }

    @Test
    void a410DisablesTheWebhookAtOnceAndEnablingItAgainSendsWhatWaited() throws Exception {
        try (Receiver gone = new Receiver()) {
            gone.status.set(410);
            String type = type();
            String hook = hook(gone, "[\"" + type + "\"]", "[\"0s\",\"1s\",\"1s\"]");
            String delivery = send(type);
            waitUntil(Duration.ofSeconds(15), () -> !webhook(hook).get("active").asBoolean());
            JsonNode w = webhook(hook);
            assertThat(w.get("disabled_reason").asText()).isEqualTo("gone");
            assertThat(w.get("disabled_at").asText()).endsWith("Z");
            JsonNode disabled = operatorEvent("herald.webhook.disabled", hook);
            assertThat(disabled.get("data").get("url").asText()).isEqualTo(gone.url("/in"));
            assertThat(disabled.get("data").get("reason").asText()).isEqualTo("gone");
            assertThat(gone.requests).hasSize(1);
            // Events for a disabled webhook are not matched; its retry waits.
            send(type, 0);

            gone.status.set(200);
            HttpResponse<String> enabled = herald.call("PATCH", "/v1/webhooks/" + hook, "{\"active\":true}");
            assertThat(enabled.statusCode()).as(enabled.body()).isEqualTo(200);
            assertThat(json(enabled).get("disabled_reason").isNull()).isTrue();
            assertThat(json(enabled).get("disabled_at").isNull()).isTrue();
            waitUntil(Duration.ofSeconds(15), () -> "success".equals(delivery(delivery).get("status").asText()));
            assertThat(delivery(delivery).get("attempts").size()).isEqualTo(2);
        }
    }

    @Test
    void aWebhookFailingForDisableAfterWithADeliveryExhaustedIsDisabled() throws Exception {
        try (Receiver failing = new Receiver()) {
            failing.status.set(500);
            String type = type();
            String hook = hook(failing, "[\"" + type + "\"]", "[\"0s\"]");
            String first = send(type);
            // Events keep failing (each delivery exhausted at its one attempt) until the clock runs out.
            waitUntil(Duration.ofSeconds(30), () -> {
                if (webhook(hook).get("active").asBoolean()) {
                    sendQuietly(type);
                    sleep(300);
                    return false;
                }
                return true;
            });
            assertThat(webhook(hook).get("disabled_reason").asText()).isEqualTo("failing");
            assertThat(operatorEvent("herald.webhook.disabled", hook).get("data").get("reason").asText())
                    .isEqualTo("failing");
            JsonNode exhausted = operatorEvent("herald.delivery.exhausted", first);
            assertThat(exhausted.get("data").get("webhook_id").asText()).isEqualTo(hook);
            assertThat(exhausted.get("data").get("event_type").asText()).isEqualTo(type);
            assertThat(exhausted.get("data").get("attempts").asInt()).isEqualTo(1);
            assertThat(exhausted.get("data").get("last_status_code").asInt()).isEqualTo(500);
            assertThat(exhausted.get("data").get("last_error").asText()).isEqualTo("HTTP 500");
        }
    }

    @Test
    void aPausedWebhookHoldsItsDueRetryWithoutUsingAttemptsAndResumingSendsIt() throws Exception {
        try (Receiver r = new Receiver()) {
            r.status.set(500);
            String type = type();
            String hook = hook(r, "[\"" + type + "\"]", "[\"0s\",\"1s\",\"1s\"]");
            String id = send(type);
            waitUntil(Duration.ofSeconds(10), () -> r.requests.size() == 1);
            assertThat(herald.call("PATCH", "/v1/webhooks/" + hook, "{\"active\":false}").statusCode()).isEqualTo(200);
            // The retry was due a second later; paused for five, nothing goes out.
            Thread.sleep(5_000);
            assertThat(r.requests).hasSize(1);
            JsonNode held = delivery(id);
            assertThat(held.get("status").asText()).isEqualTo("pending");
            assertThat(held.get("attempts").size()).isEqualTo(1);
            assertThat(webhook(hook).get("disabled_reason").isNull()).isTrue();

            r.status.set(200);
            assertThat(herald.call("PATCH", "/v1/webhooks/" + hook, "{\"active\":true}").statusCode()).isEqualTo(200);
            waitUntil(Duration.ofSeconds(10), () -> "success".equals(delivery(id).get("status").asText()));
            assertThat(delivery(id).get("attempts").size()).isEqualTo(2);
            assertThat(r.requests).hasSize(2);
        }
    }

    @Test
    void theBreakerOpensPausesTheReceiverThenOneProbeClosesItAndEveryDeliveryArrives() throws Exception {
        try (Receiver r = new Receiver()) {
            r.failFirst = 6;
            String type = type();
            String hook = hook(r, "[\"" + type + "\"]", "[\"0s\",\"1s\",\"1s\",\"1s\",\"1s\"]");
            StringBuilder batch = new StringBuilder("[");
            for (int i = 0; i < 6; i++) {
                batch.append(i == 0 ? "" : ",").append("{\"type\":\"").append(type).append("\",\"data\":{\"n\":").append(i).append("}}");
            }
            HttpResponse<String> sent = herald.call("POST", "/v1/events", batch.append("]").toString());
            assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
            String endpoint = "http://127.0.0.1:" + r.port();

            JsonNode opened = operatorEventWhere("herald.endpoint.opened", e -> endpoint.equals(e.get("data").get("endpoint").asText()));
            assertThat(opened.get("data").get("webhook_ids")).extracting(JsonNode::asText).containsExactly(hook);
            assertThat(webhook(hook).get("endpoint_state").asText()).isIn("open", "half_open");

            waitUntil(Duration.ofSeconds(40), () -> r.okIds().size() == 6);
            JsonNode closed = operatorEventWhere("herald.endpoint.closed", e -> endpoint.equals(e.get("data").get("endpoint").asText()));
            assertThat(closed.get("data").get("webhook_ids")).extracting(JsonNode::asText).containsExactly(hook);
            assertThat(webhook(hook).get("endpoint_state").asText()).isEqualTo("closed");
            List<Receiver.Request> byArrival = r.requests.stream().sorted(Comparator.comparingLong(Receiver.Request::at)).toList();
            // The third failure opened it: nothing new reached the receiver for the open time.
            assertThat(byArrival.get(6).at() - byArrival.get(2).at()).isGreaterThanOrEqualTo(4_000);
            assertThat(byArrival.get(6).answered()).isEqualTo(200);
            // Waiting used no attempts: every delivery made at most its failed one and the one that arrived.
            assertThat(r.requests).hasSize(12);
        }
    }

    @Test
    void theReservedNamespaceIsRefusedToSourcesAndNotMatchedByStar() throws Exception {
        HttpResponse<String> r = herald.call("POST", "/v1/events", "{\"type\":\"herald.webhook.disabled\",\"data\":{}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(json(r).get("error").get("field").asText()).isEqualTo("type");
        assertThat(json(r).get("error").get("message").asText()).contains("herald.");
        HttpResponse<String> batch = herald.call("POST", "/v1/events",
                "[{\"type\":\"ok.one\",\"data\":{}},{\"type\":\"Herald.x\",\"data\":{}}]");
        assertThat(batch.statusCode()).as(batch.body()).isEqualTo(400);
        assertThat(json(batch).get("error").get("field").asText()).isEqualTo("[1].type");

        // Operational events reach the operator's herald.* webhook, never a catch-all one.
        try (Receiver catchAll = new Receiver(); Receiver gone = new Receiver()) {
            String all = hook(catchAll, "[\"*\"]", "[\"0s\"]");
            gone.status.set(410);
            String type = type();
            String goneHook = hook(gone, "[\"" + type + "\"]", "[\"0s\"]");
            send(type, 2);
            operatorEvent("herald.webhook.disabled", goneHook);
            waitUntil(Duration.ofSeconds(10), () -> catchAll.requests.size() >= 1);
            Thread.sleep(500);
            assertThat(catchAll.requests).extracting(q -> type(q)).contains(type).noneMatch(t -> t.startsWith("herald."));
            assertThat(herald.call("DELETE", "/v1/webhooks/" + all, null).statusCode()).isEqualTo(204);
        }
    }

    @Test
    void deliveriesOfOperationalEventsEmitNoOperationalEvents() throws Exception {
        try (Receiver failingOperator = new Receiver()) {
            failingOperator.status.set(500);
            String failingHook = hook(failingOperator, "[\"herald.delivery.exhausted\"]", "[\"0s\"]");
            // An ordinary delivery exhausted: its event reaches the failing operator hook, and fails there for good.
            try (Receiver r = new Receiver()) {
                r.status.set(500);
                String type = type();
                hook(r, "[\"" + type + "\"]", "[\"0s\"]");
                String id = send(type);
                operatorEvent("herald.delivery.exhausted", id);
                waitUntil(Duration.ofSeconds(15), () -> failedDeliveries(failingHook) >= 1);
            }
            Thread.sleep(1_000);
            // That failure was not reported again: no exhausted event about an operational event, anywhere.
            assertThat(operatorEvents()).filteredOn(e -> e.get("type").asText().equals("herald.delivery.exhausted"))
                    .noneMatch(e -> e.get("data").get("event_type").asText().startsWith("herald."));
            assertThat(herald.call("DELETE", "/v1/webhooks/" + failingHook, null).statusCode()).isEqualTo(204);
        }
    }

    // --- helpers -----------------------------------------------------------------------------

    static String type() {
        return "life" + UUID.randomUUID().toString().substring(0, 8) + ".x";
    }

    static String hook(Receiver r, String events, String schedule) throws Exception {
        HttpResponse<String> created = herald.call("POST", "/v1/webhooks", "{\"url\":\"" + r.url("/in")
                + "\",\"events\":" + events + ",\"retry_schedule\":" + schedule + "}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return json(created).get("id").asText();
    }

    static String send(String type) throws Exception {
        return send(type, 1);
    }

    static String send(String type, int expectedDeliveries) throws Exception {
        HttpResponse<String> r = herald.call("POST", "/v1/events", "{\"type\":\"" + type + "\",\"data\":{}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        JsonNode deliveries = json(r).get("deliveries");
        assertThat(deliveries).hasSize(expectedDeliveries);
        return expectedDeliveries == 0 ? null : deliveries.get(0).asText();
    }

    /** One event, whether or not the webhook still matches it (it may be disabled meanwhile). */
    static void sendQuietly(String type) {
        try {
            herald.call("POST", "/v1/events", "{\"type\":\"" + type + "\",\"data\":{}}");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    static JsonNode webhook(String id) {
        try {
            return json(herald.call("GET", "/v1/webhooks/" + id, null));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode delivery(String id) {
        try {
            return json(herald.call("GET", "/v1/deliveries/" + id, null));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static long failedDeliveries(String hook) {
        try {
            return json(herald.call("GET", "/v1/webhooks/" + hook + "/deliveries?status=failed", null)).get("deliveries").size();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String type(Receiver.Request q) {
        try {
            return JSON.readTree(q.body()).get("type").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The envelopes the operator's webhook received. */
    static List<JsonNode> operatorEvents() {
        return operator.requests.stream().map(q -> {
            try {
                return JSON.readTree(q.body());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    /** The operational event of this type about {@code id} (a webhook, or a delivery if exhausted), once it arrived. */
    static JsonNode operatorEvent(String type, String id) throws InterruptedException {
        String field = type.equals("herald.delivery.exhausted") ? "delivery_id" : "webhook_id";
        return operatorEventWhere(type, e -> id.equals(e.get("data").path(field).asText()));
    }

    static JsonNode operatorEventWhere(String type, java.util.function.Predicate<JsonNode> which) throws InterruptedException {
        JsonNode[] found = new JsonNode[1];
        waitUntil(Duration.ofSeconds(30), () -> {
            found[0] = operatorEvents().stream().filter(e -> type.equals(e.get("type").asText()) && which.test(e))
                    .findFirst().orElse(null);
            return found[0] != null;
        });
        return found[0];
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
