package dev.herald.subscription;

import com.fasterxml.jackson.databind.JsonNode;

import dev.herald.egress.AddressPolicy;
import dev.herald.error.Excerpt;
import dev.herald.error.HeraldException;
import dev.herald.egress.ClientTls;
import dev.herald.filter.PayloadFilter;
import dev.herald.oauth.ClientCredentials;
import dev.herald.oauth.ReceiverAuth;
import dev.herald.signing.SecretSealer;
import dev.herald.signing.SignatureSpec;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Turns the JSON of {@code POST /v1/webhooks} or {@code PATCH /v1/webhooks/{id}} into a
 * {@link Webhook}, refusing bad input with a 400 that names the field.
 */
public final class WebhookRequest {

    private static final Set<String> FIELDS = Set.of("url", "events", "secret", "active", "name", "description",
            "retry_policy", "retry_schedule", "signature", "payload_format", "event_type_header", "headers",
            "transform", RateLimit.FIELD, "ordering", "filter", ClientTls.FIELD, ReceiverAuth.FIELD);

    /** The subscription table holds a pattern in 200 characters, the webhook row its list in 8000. */
    private static final int MAX_PATTERN_LENGTH = 200;
    private static final int MAX_PATTERNS = 100;
    private static final int MAX_PATTERNS_TEXT = 7900;

    private final RetryPolicies policies;
    private final AddressPolicy addressPolicy;
    /** True when the operator's route direct:&lt;name&gt; is running (a transform by that name exists). */
    private final Predicate<String> transformRunning;

    public WebhookRequest(RetryPolicies policies, AddressPolicy addressPolicy, Predicate<String> transformRunning) {
        this.transformRunning = transformRunning;
        this.policies = policies;
        this.addressPolicy = addressPolicy;
    }

    /** The operator's own webhook. */
    public Webhook create(String id, JsonNode body, long now) {
        return create(id, null, body, now);
    }

    /** A webhook of the application {@code applicationId} (null: the operator's own). */
    public Webhook create(String id, String applicationId, JsonNode body, long now) {
        requireObject(body);
        if (!body.hasNonNull("url")) {
            throw HeraldException.invalid("url", "url is required");
        }
        if (!body.hasNonNull("events")) {
            throw HeraldException.invalid("events", "events is required: a list of event types, '*' or 'prefix.*'");
        }
        Webhook blank = new Webhook(id, null, List.of(), null, List.of(), true, null, null, null, null,
                SignatureSpec.defaults(), Webhook.ENVELOPE, null, Map.of(), null, null, null, now, now, null, applicationId);
        Webhook w = apply(blank, body, now);
        if (w.secret() == null) {
            w = withSecret(w, w.signature().newSecret());
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
                throw HeraldException.invalid(f, "unknown field \"" + Excerpt.of(f) + "\"");
            }
        }
        String url = body.has("url") ? url(body.get("url")) : w.url();
        List<String> events = body.has("events") ? events(body.get("events")) : w.events();
        boolean active = body.has("active") ? bool(body.get("active"), "active") : w.active();
        String name = body.has("name") ? text(body.get("name"), "name", 200) : w.name();
        String description = body.has("description") ? text(body.get("description"), "description", 2000) : w.description();
        SignatureSpec signature = body.has("signature") ? SignatureSpec.fromJson(body.get("signature")) : w.signature();
        String payloadFormat = body.has("payload_format") ? payloadFormat(body.get("payload_format")) : w.payloadFormat();
        String typeHeader = body.has("event_type_header")
                ? CustomHeaders.name(body.get("event_type_header"), "event_type_header") : w.eventTypeHeader();
        Map<String, String> headers = body.has("headers") ? CustomHeaders.parse(body.get("headers")) : w.headers();
        String transform = body.has("transform") ? transform(body.get("transform")) : w.transform();
        RateLimit rateLimit = body.has(RateLimit.FIELD) ? RateLimit.parse(body.get(RateLimit.FIELD)) : w.rateLimit();
        Ordering ordering = body.has("ordering") ? Ordering.fromJson(body.get("ordering")) : w.ordering();
        PayloadFilter filter = body.has("filter") ? PayloadFilter.parse(body.get("filter")) : w.filter();
        ClientTls tls = body.has(ClientTls.FIELD) ? ClientTls.parse(body.get(ClientTls.FIELD), w.tls()) : w.tls();
        if (tls != null && !url.regionMatches(true, 0, "https:", 0, 6)) {
            // Over plain http the certificate would never be presented: refused rather than silently unused.
            throw HeraldException.invalid(body.has(ClientTls.FIELD) ? ClientTls.FIELD : "url",
                    "a client certificate (tls) needs an https url");
        }
        ReceiverAuth auth = body.has(ReceiverAuth.FIELD) ? ReceiverAuth.parse(body.get(ReceiverAuth.FIELD), w.auth()) : w.auth();
        if (body.has(ReceiverAuth.FIELD) && auth instanceof ClientCredentials cc) {
            ReceiverUrl.check(cc.tokenUrl(), addressPolicy, ReceiverAuth.FIELD + ".token_url");
        }

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
        List<Webhook.PreviousSecret> previous = w.previousSecrets();
        boolean given = body.has("secret") && !body.get("secret").isNull();
        if (given) {
            if (!body.get("secret").isTextual()) {
                throw HeraldException.invalid("secret", "secret must be a string");
            }
            signature.refuseGivenSecret("secret");
            secret = body.get("secret").asText();
        }
        if (secret != null && signature.signsWithKeyPair() != w.signature().signsWithKeyPair()) {
            // A key pair cannot sign as a shared secret nor the reverse: a new one of the right kind,
            // and the earlier ones, of the other kind, stop signing.
            previous = List.of();
            secret = given ? secret : signature.newSecret();
        }
        if (secret != null) {
            checkSecret(signature, secret);
        }
        String eventTypeHeader = typeHeader == null ? Webhook.DEFAULT_EVENT_TYPE_HEADER : typeHeader;
        if ((body.has("signature") || body.has("event_type_header"))
                && signature.signatureHeaderNames().stream().anyMatch(eventTypeHeader::equalsIgnoreCase)) {
            // The signature would replace the event type on every request.
            throw HeraldException.invalid(body.has("signature") ? "signature.header" : "event_type_header",
                    "the signature and the event type cannot share the header " + eventTypeHeader);
        }
        for (String h : headers.keySet()) {
            for (String reserved : signature.signatureHeaderNames()) {
                if (reserved.equalsIgnoreCase(h)) {
                    throw HeraldException.invalid("headers." + h, "header " + h + " is set by the signature");
                }
            }
        }
        if (auth != null) {
            checkAuthorizationFree(headers, signature, eventTypeHeader);
        }
        return new Webhook(w.id(), url, events, secret, previous, active, name,
                description, retryPolicy, retrySchedule, signature, payloadFormat, typeHeader, headers,
                transform, rateLimit, active ? null : w.disabled(), w.createdAt(), now, ordering, w.applicationId(), filter,
                tls, auth);
    }

    /** With {@code auth} the bearer token is the Authorization header: no other setting may claim it. */
    private static void checkAuthorizationFree(Map<String, String> headers, SignatureSpec signature, String eventTypeHeader) {
        String why = "a webhook with auth sends its bearer token in Authorization; remove this header, or auth";
        for (String h : headers.keySet()) {
            if (h.equalsIgnoreCase("Authorization")) {
                throw HeraldException.invalid("headers." + h, why);
            }
        }
        if (signature.signatureHeaderNames().stream().anyMatch("Authorization"::equalsIgnoreCase)) {
            throw HeraldException.invalid("signature.header", why);
        }
        if (eventTypeHeader.equalsIgnoreCase("Authorization")) {
            throw HeraldException.invalid("event_type_header", why);
        }
    }

    public static Webhook withSecret(Webhook w, String secret) {
        return new Webhook(w.id(), w.url(), w.events(), secret, w.previousSecrets(), w.active(), w.name(),
                w.description(), w.retryPolicy(), w.retrySchedule(), w.signature(), w.payloadFormat(),
                w.eventTypeHeader(), w.headers(), w.transform(), w.rateLimit(), w.disabled(), w.createdAt(), w.updatedAt(),
                w.ordering(), w.applicationId(), w.filter(), w.tls(), w.auth());
    }

    /** A secret the webhook's scheme can sign with, and not one Herald would take for a sealed value. */
    public static void checkSecret(SignatureSpec signature, String secret) {
        signature.validateSecret(secret);
        if (SecretSealer.isSealed(secret)) {
            throw HeraldException.invalid("secret", "a secret must not start with \"" + SecretSealer.MARKER
                    + "\" (Herald's mark for encrypted values)");
        }
    }

    private static void requireObject(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw HeraldException.invalid(null, "the request body must be a JSON object");
        }
    }

    private String url(JsonNode node) {
        if (!node.isTextual()) {
            throw HeraldException.invalid("url", "url must be a string");
        }
        return ReceiverUrl.check(node.asText(), addressPolicy, "url");
    }

    static List<String> events(JsonNode node) {
        if (!node.isArray() || node.isEmpty()) {
            throw HeraldException.invalid("events", "events must be a non-empty list of event types, '*' or 'prefix.*'");
        }
        if (node.size() > MAX_PATTERNS) {
            throw HeraldException.invalid("events", "at most " + MAX_PATTERNS + " event type patterns");
        }
        List<String> out = new ArrayList<>();
        int total = 0;
        for (int i = 0; i < node.size(); i++) {
            JsonNode e = node.get(i);
            if (e.isTextual() && e.asText().length() > MAX_PATTERN_LENGTH) {
                throw HeraldException.invalid("events[" + i + "]", "an event type pattern has at most "
                        + MAX_PATTERN_LENGTH + " characters");
            }
            total += e.isTextual() ? e.asText().length() + 3 : 0;
            if (total > MAX_PATTERNS_TEXT) {
                throw HeraldException.invalid("events", "the event type patterns take more than "
                        + MAX_PATTERNS_TEXT + " characters together");
            }
            if (!e.isTextual() || !EventTypes.isValidPattern(e.asText())) {
                throw HeraldException.invalid("events[" + i + "]",
                        "not an event type pattern: " + Excerpt.of(e) + " (use e.g. project.created, project.* or *)");
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

    /** A transform is named like a route endpoint: no '?', ':' or spaces that could reach another endpoint. */
    private static final Pattern TRANSFORM_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    private String transform(JsonNode node) {
        if (node.isNull()) {
            return null;
        }
        if (!node.isTextual() || !TRANSFORM_NAME.matcher(node.asText()).matches()) {
            throw HeraldException.invalid("transform",
                    "transform must name a route direct:<name>: letters, digits, '.', '_' or '-', at most 100");
        }
        String name = node.asText();
        if (!transformRunning.test(name)) {
            throw HeraldException.invalid("transform", "no transform \"" + name + "\": no route from direct:" + name
                    + " is running from herald.routes.dir");
        }
        return name;
    }

    private static String payloadFormat(JsonNode node) {
        String v = node.isTextual() ? node.asText() : null;
        if (!Webhook.ENVELOPE.equals(v) && !Webhook.EVENT_PAYLOAD.equals(v)) {
            throw HeraldException.invalid("payload_format", "payload_format must be \"envelope\" or \"event-payload\"");
        }
        return v;
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
