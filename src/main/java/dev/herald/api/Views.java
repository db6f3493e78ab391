package dev.herald.api;

import dev.herald.delivery.log.Attempt;
import dev.herald.delivery.log.Delivery;
import dev.herald.delivery.flow.EndpointBreaker;
import dev.herald.delivery.log.PayloadRenderer;
import dev.herald.delivery.log.OrderControls;
import dev.herald.event.EventKey;
import dev.herald.event.StoredEvent;
import dev.herald.signing.Ed25519Keys;
import dev.herald.signing.Secrets;
import dev.herald.store.Json;
import dev.herald.subscription.ReceiverUrl;
import dev.herald.subscription.RetryPolicies;
import dev.herald.subscription.Webhook;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON shapes of the public API (snake_case, ISO-8601 UTC times). */
final class Views {

    private Views() {
    }

    /**
     * {@code endpointState}: its receiver's circuit breaker, {@code closed}, {@code open} or {@code half_open};
     * {@code failing}: the receiver's failed attempts in a row, null when its last attempt succeeded.
     */
    static Map<String, Object> webhook(Webhook w, boolean showSecret, RetryPolicies policies, String endpointState,
                                       EndpointBreaker.Failing failing, List<OrderControls.Blocked> blocked) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", w.id());
        m.put("application_id", w.applicationId());
        m.put("url", ReceiverUrl.masked(w.url()));
        m.put("events", w.events());
        m.put("secret", secret(w, showSecret));
        m.put("public_key", publicKey(w));
        m.put("active", w.active());
        m.put("disabled_reason", w.disabled() == null ? null : w.disabled().reason());
        m.put("disabled_at", w.disabled() == null ? null : time(w.disabled().at()));
        m.put("endpoint_state", endpointState);
        m.put("endpoint_failing", failing == null ? null : failing(failing));
        m.put("name", w.name());
        m.put("description", w.description());
        m.put("retry_policy", w.retrySchedule() != null ? null
                : w.retryPolicy() != null ? w.retryPolicy() : policies.defaultName());
        m.put("retry_schedule", policies.forWebhook(w).asStrings());
        m.put("signature", w.signature().toJson());
        m.put("payload_format", w.payloadFormat());
        m.put("event_type_header", w.eventTypeHeader() == null ? Webhook.DEFAULT_EVENT_TYPE_HEADER : w.eventTypeHeader());
        m.put("headers", showSecret ? w.headers() : w.maskCustomHeaders(w.headers()));
        m.put("transform", w.transform());
        m.put("rate_limit", w.rateLimit() == null ? null : w.rateLimit().perSecond());
        m.put("ordering", w.ordering() == null ? null : w.ordering().toJson());
        m.put("filter", w.filter() == null ? null : w.filter().json());
        m.put("tls", w.tls() == null ? null : w.tls().view());
        m.put("auth", w.auth() == null ? null : w.auth().view());
        m.put("ordering_blocked", blocked.stream().map(b -> {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("key", b.key());
            line.put("delivery_id", b.deliveryId());
            return line;
        }).toList());
        m.put("created_at", time(w.createdAt()));
        m.put("updated_at", time(w.updatedAt()));
        return m;
    }

    /** The secret as shown: in full only when asked, and never a key pair's secret key (null). */
    static String secret(Webhook w, boolean show) {
        if (w.signature().signsWithKeyPair()) {
            return null;
        }
        return show ? w.secret() : Secrets.mask(w.secret());
    }

    /** A key pair's {@code whpk_} public key; null for a webhook signing with a shared secret. */
    static String publicKey(Webhook w) {
        return w.signature().signsWithKeyPair() ? Ed25519Keys.publicKey(w.secret()) : null;
    }

    private static Map<String, Object> failing(EndpointBreaker.Failing f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("attempts", f.attempts());
        m.put("last_status_code", f.lastStatusCode());
        return m;
    }

    static Map<String, Object> delivery(Delivery d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", d.id());
        m.put("event_id", EventKey.ownId(d.eventId()));
        m.put("webhook_id", d.webhookId());
        m.put("application_id", d.applicationId());
        m.put("status", d.status());
        m.put("status_code", d.statusCode());
        m.put("attempts", d.attempts());
        m.put("delivered_at", time(d.deliveredAt()));
        m.put("next_attempt_at", Delivery.PENDING.equals(d.status()) ? time(d.nextAttemptAt()) : null);
        m.put("error", d.error());
        m.put("created_at", time(d.createdAt()));
        return m;
    }

    static Map<String, Object> deliveryWithAttempts(Delivery d, List<Attempt> attempts) {
        Map<String, Object> m = delivery(d);
        m.put("attempts", attempts.stream().map(Views::attempt).toList());
        return m;
    }

    static Map<String, Object> attempt(Attempt a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("attempt", a.attempt());
        m.put("trigger", a.trigger().label());
        m.put("started_at", time(a.startedAt()));
        m.put("duration_ms", a.durationMs());
        m.put("url", ReceiverUrl.masked(a.url()));
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("headers", a.requestHeaders());
        request.put("body", a.requestBody());
        m.put("request", request);
        if (a.responseStatus() == null) {
            m.put("response", null);
        } else {
            Map<String, Object> response = new LinkedHashMap<>();
            response.put("status_code", a.responseStatus());
            response.put("headers", a.responseHeaders());
            response.put("body", a.responseBody());
            m.put("response", response);
        }
        m.put("error", a.error());
        return m;
    }

    static Map<String, Object> event(StoredEvent e, List<Delivery> deliveries) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.ownId());
        m.put("application_id", e.applicationId());
        m.put("type", e.type());
        m.put("created_at", time(e.createdAt()));
        m.put("data", Json.tree(e.data()));
        m.put("received_at", time(e.receivedAt()));
        m.put("deliveries", deliveries.stream().map(Views::delivery).toList());
        return m;
    }

    /** An event as {@code GET /v1/events/{id}} shows it, without its deliveries: a row of the event log. */
    static Map<String, Object> event(StoredEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.ownId());
        m.put("application_id", e.applicationId());
        m.put("type", e.type());
        m.put("created_at", time(e.createdAt()));
        m.put("data", Json.tree(e.data()));
        m.put("received_at", time(e.receivedAt()));
        return m;
    }

    static Map<String, Object> application(dev.herald.tenancy.Application a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", a.id());
        m.put("uid", a.uid());
        m.put("name", a.name());
        m.put("metadata", a.metadata());
        m.put("created_at", time(a.createdAt()));
        m.put("updated_at", time(a.updatedAt()));
        return m;
    }

    static String time(Long millis) {
        return millis == null ? null : PayloadRenderer.iso(millis);
    }
}
