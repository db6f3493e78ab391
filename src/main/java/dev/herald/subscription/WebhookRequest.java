package dev.herald.subscription;

import com.fasterxml.jackson.databind.JsonNode;

import dev.herald.delivery.RetryPolicies;
import dev.herald.delivery.RetrySchedule;
import dev.herald.error.HeraldException;
import dev.herald.signing.Secrets;
import dev.herald.signing.SignatureSpec;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns the JSON of {@code POST /v1/webhooks} or {@code PATCH /v1/webhooks/{id}} into a
 * {@link Webhook}, refusing bad input with a 400 that names the field.
 */
public final class WebhookRequest {

    private static final Set<String> FIELDS = Set.of("url", "events", "secret", "active", "name", "description",
            "retry_policy", "retry_schedule", "signature", "payload_format", "event_type_header", "headers");
    static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+\\-.^_`|~0-9A-Za-z]{1,100}");
    private static final Set<String> RESERVED_HEADERS = Set.of("content-type", "content-length", "host",
            "transfer-encoding", "connection", "user-agent", "x-webhook-id", "x-webhook-delivery", "x-webhook-attempt");

    private final RetryPolicies policies;

    public WebhookRequest(RetryPolicies policies) {
        this.policies = policies;
    }

    public Webhook create(String id, JsonNode body, long now) {
        requireObject(body);
        if (!body.hasNonNull("url")) {
            throw HeraldException.invalid("url", "url is required");
        }
        if (!body.hasNonNull("events")) {
            throw HeraldException.invalid("events", "events is required: a list of event types, '*' or 'prefix.*'");
        }
        Webhook blank = new Webhook(id, null, List.of(), null, null, null, true, null, null, null, null,
                SignatureSpec.defaults(), Webhook.ENVELOPE, null, Map.of(), now, now);
        Webhook w = apply(blank, body, now);
        if (w.secret() == null) {
            w = withSecret(w, Secrets.generate());
        }
        return w;
    }

    public Webhook patch(Webhook current, JsonNode body, long now) {
        requireObject(body);
        return apply(current, body, now);
    }

    private Webhook apply(Webhook w, JsonNode body, long now) {
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw HeraldException.invalid(f, "unknown field \"" + f + "\"");
            }
        }
        String url = body.has("url") ? url(body.get("url")) : w.url();
        List<String> events = body.has("events") ? events(body.get("events")) : w.events();
        boolean active = body.has("active") ? bool(body.get("active"), "active") : w.active();
        String name = body.has("name") ? text(body.get("name"), "name", 200) : w.name();
        String description = body.has("description") ? text(body.get("description"), "description", 2000) : w.description();
        SignatureSpec signature = body.has("signature") ? SignatureSpec.fromJson(body.get("signature")) : w.signature();
        String payloadFormat = body.has("payload_format") ? payloadFormat(body.get("payload_format")) : w.payloadFormat();
        String typeHeader = body.has("event_type_header") ? headerName(body.get("event_type_header"), "event_type_header") : w.eventTypeHeader();
        Map<String, String> headers = body.has("headers") ? headers(body.get("headers")) : w.headers();

        String retryPolicy = w.retryPolicy();
        String retrySchedule = w.retrySchedule();
        if (body.has("retry_policy") && body.has("retry_schedule")
                && !body.get("retry_policy").isNull() && !body.get("retry_schedule").isNull()) {
            throw HeraldException.invalid("retry_schedule", "give retry_policy or retry_schedule, not both");
        }
        if (body.has("retry_policy")) {
            retryPolicy = text(body.get("retry_policy"), "retry_policy", 100);
            if (retryPolicy != null) {
                policies.named(retryPolicy, "retry_policy");
                retrySchedule = null;
            }
        }
        if (body.has("retry_schedule")) {
            retrySchedule = schedule(body.get("retry_schedule"));
            if (retrySchedule != null) {
                retryPolicy = null;
            }
        }

        String secret = w.secret();
        if (body.has("secret") && !body.get("secret").isNull()) {
            if (!body.get("secret").isTextual()) {
                throw HeraldException.invalid("secret", "secret must be a string");
            }
            secret = body.get("secret").asText();
        }
        if (secret != null) {
            signature.validateSecret(secret);
        }
        for (String h : headers.keySet()) {
            for (String reserved : signature.signatureHeaderNames()) {
                if (reserved.equalsIgnoreCase(h)) {
                    throw HeraldException.invalid("headers." + h, "header " + h + " is set by the signature");
                }
            }
        }
        return new Webhook(w.id(), url, events, secret, w.previousSecret(), w.previousSecretUntil(), active, name,
                description, retryPolicy, retrySchedule, signature, payloadFormat, typeHeader, headers,
                w.createdAt(), now);
    }

    public static Webhook withSecret(Webhook w, String secret) {
        return new Webhook(w.id(), w.url(), w.events(), secret, w.previousSecret(), w.previousSecretUntil(),
                w.active(), w.name(), w.description(), w.retryPolicy(), w.retrySchedule(), w.signature(),
                w.payloadFormat(), w.eventTypeHeader(), w.headers(), w.createdAt(), w.updatedAt());
    }

    private static void requireObject(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw HeraldException.invalid(null, "the request body must be a JSON object");
        }
    }

    static String url(JsonNode node) {
        if (!node.isTextual()) {
            throw HeraldException.invalid("url", "url must be a string");
        }
        String s = node.asText();
        try {
            URI u = new URI(s);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!u.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null
                    || s.length() > 2048 || u.getFragment() != null) {
                throw HeraldException.invalid("url", "url must be an absolute http(s) URL with a host, got \"" + s + "\"");
            }
        } catch (URISyntaxException e) {
            throw HeraldException.invalid("url", "url is not a valid URL: " + e.getMessage());
        }
        return s;
    }

    static List<String> events(JsonNode node) {
        if (!node.isArray() || node.isEmpty()) {
            throw HeraldException.invalid("events", "events must be a non-empty list of event types, '*' or 'prefix.*'");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode e = node.get(i);
            if (!e.isTextual() || !EventTypes.isValidPattern(e.asText())) {
                throw HeraldException.invalid("events[" + i + "]",
                        "not an event type pattern: " + e + " (use e.g. project.created, project.* or *)");
            }
            if (!out.contains(e.asText())) {
                out.add(e.asText());
            }
        }
        return out;
    }

    private static boolean bool(JsonNode node, String field) {
        if (!node.isBoolean()) {
            throw HeraldException.invalid(field, field + " must be true or false");
        }
        return node.asBoolean();
    }

    private static String text(JsonNode node, String field, int max) {
        if (node.isNull()) {
            return null;
        }
        if (!node.isTextual() || node.asText().length() > max) {
            throw HeraldException.invalid(field, field + " must be a string of at most " + max + " characters");
        }
        return node.asText();
    }

    private static String payloadFormat(JsonNode node) {
        String v = node.isTextual() ? node.asText() : null;
        if (!Webhook.ENVELOPE.equals(v) && !Webhook.EVENT_PAYLOAD.equals(v)) {
            throw HeraldException.invalid("payload_format", "payload_format must be \"envelope\" or \"event-payload\"");
        }
        return v;
    }

    private static String headerName(JsonNode node, String field) {
        if (node.isNull()) {
            return null;
        }
        if (!node.isTextual() || !HEADER_NAME.matcher(node.asText()).matches()) {
            throw HeraldException.invalid(field, field + " must be an HTTP header name (letters, digits, -)");
        }
        if (RESERVED_HEADERS.contains(node.asText().toLowerCase(Locale.ROOT))) {
            throw HeraldException.invalid(field, node.asText() + " is set by Herald and cannot be used here");
        }
        return node.asText();
    }

    private static Map<String, String> headers(JsonNode node) {
        if (node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw HeraldException.invalid("headers", "headers must be an object of header name to string value");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String field = "headers." + e.getKey();
            if (!HEADER_NAME.matcher(e.getKey()).matches()) {
                throw HeraldException.invalid(field, "not a valid HTTP header name");
            }
            if (RESERVED_HEADERS.contains(e.getKey().toLowerCase(Locale.ROOT))) {
                throw HeraldException.invalid(field, e.getKey() + " is set by Herald and cannot be overridden");
            }
            String v = e.getValue().isTextual() ? e.getValue().asText() : null;
            if (v == null || v.length() > 4096 || v.chars().anyMatch(ch -> ch < 0x20 && ch != '\t' || ch == 0x7f)) {
                throw HeraldException.invalid(field, "header values must be strings without control characters");
            }
            out.put(e.getKey(), v);
        }
        if (out.size() > 50) {
            throw HeraldException.invalid("headers", "at most 50 extra headers");
        }
        return out;
    }

    private static String schedule(JsonNode node) {
        if (node.isNull()) {
            return null;
        }
        if (!node.isArray()) {
            throw HeraldException.invalid("retry_schedule", "retry_schedule must be a list of durations, e.g. [\"0s\",\"1m\",\"5m\"]");
        }
        List<String> entries = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            if (!node.get(i).isTextual()) {
                throw HeraldException.invalid("retry_schedule[" + i + "]", "each delay is a string like \"30s\"");
            }
            entries.add(node.get(i).asText());
        }
        return RetrySchedule.of(entries, "retry_schedule").toString();
    }
}
