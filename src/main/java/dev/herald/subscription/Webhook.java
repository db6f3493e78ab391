package dev.herald.subscription;

import dev.herald.egress.ClientTls;
import dev.herald.filter.PayloadFilter;
import dev.herald.oauth.ReceiverAuth;
import dev.herald.signing.Secrets;
import dev.herald.signing.SignatureSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A webhook subscription as stored, its secrets in plain text (the repository seals them).
 * {@code retrySchedule} is null when it follows a named policy; {@code previousSecrets} holds the
 * secrets replaced by rotation, newest first, each signing until its own expiry. {@code transform}
 * names the operator's route {@code direct:<name>} that reshapes the payload before it is signed;
 * {@code rateLimit} bounds its deliveries per second (null: no limit); {@code disabled} says why
 * Herald made it inactive, if it did; {@code ordering}, null for none, keeps deliveries of one key
 * in order ({@link Ordering}); {@code applicationId} is the application (customer) it belongs to,
 * null for the operator's own, and never changes; {@code filter}, null for none, is the payload filter an
 * event must pass to be delivered here ({@link PayloadFilter}); {@code tls}, null for none, the client
 * certificate presented to the receiver; {@code auth}, null for none, how Herald authenticates to it
 * (OAuth2 client credentials).
 */
public record Webhook(
        String id,
        String url,
        List<String> events,
        String secret,
        List<PreviousSecret> previousSecrets,
        boolean active,
        String name,
        String description,
        String retryPolicy,
        String retrySchedule,
        SignatureSpec signature,
        String payloadFormat,
        String eventTypeHeader,
        Map<String, String> headers,
        String transform,
        RateLimit rateLimit,
        Disabled disabled,
        long createdAt,
        long updatedAt,
        Ordering ordering,
        String applicationId,
        PayloadFilter filter,
        ClientTls tls,
        ReceiverAuth auth) {

    public static final String ENVELOPE = "envelope";
    public static final String EVENT_PAYLOAD = "event-payload";
    public static final String DEFAULT_EVENT_TYPE_HEADER = "X-Webhook-Event";

    /**
     * Why and when Herald turned the webhook off: {@link #GONE} (the receiver answered 410) or
     * {@link #FAILING} (every attempt failed for herald.webhook.disable-after). Null while active or paused by hand.
     */
    public record Disabled(String reason, long at) {
    }

    public static final String GONE = "gone";
    public static final String FAILING = "failing";

    /** A secret replaced by rotation, still signing until {@code until} (epoch ms). */
    public record PreviousSecret(String secret, long until) {
    }

    public Webhook {
        previousSecrets = previousSecrets == null ? List.of() : List.copyOf(previousSecrets);
    }

    /** A webhook without a client certificate or receiver authentication. */
    public Webhook(String id, String url, List<String> events, String secret, List<PreviousSecret> previousSecrets,
                   boolean active, String name, String description, String retryPolicy, String retrySchedule,
                   SignatureSpec signature, String payloadFormat, String eventTypeHeader, Map<String, String> headers,
                   String transform, RateLimit rateLimit, Disabled disabled, long createdAt, long updatedAt,
                   Ordering ordering, String applicationId, PayloadFilter filter) {
        this(id, url, events, secret, previousSecrets, active, name, description, retryPolicy, retrySchedule, signature,
                payloadFormat, eventTypeHeader, headers, transform, rateLimit, disabled, createdAt, updatedAt, ordering,
                applicationId, filter, null, null);
    }

    /** A webhook without a payload filter. */
    public Webhook(String id, String url, List<String> events, String secret, List<PreviousSecret> previousSecrets,
                   boolean active, String name, String description, String retryPolicy, String retrySchedule,
                   SignatureSpec signature, String payloadFormat, String eventTypeHeader, Map<String, String> headers,
                   String transform, RateLimit rateLimit, Disabled disabled, long createdAt, long updatedAt,
                   Ordering ordering, String applicationId) {
        this(id, url, events, secret, previousSecrets, active, name, description, retryPolicy, retrySchedule, signature,
                payloadFormat, eventTypeHeader, headers, transform, rateLimit, disabled, createdAt, updatedAt, ordering,
                applicationId, null);
    }

    /** The operator's own webhook (no application). */
    public Webhook(String id, String url, List<String> events, String secret, List<PreviousSecret> previousSecrets,
                   boolean active, String name, String description, String retryPolicy, String retrySchedule,
                   SignatureSpec signature, String payloadFormat, String eventTypeHeader, Map<String, String> headers,
                   String transform, RateLimit rateLimit, Disabled disabled, long createdAt, long updatedAt,
                   Ordering ordering) {
        this(id, url, events, secret, previousSecrets, active, name, description, retryPolicy, retrySchedule, signature,
                payloadFormat, eventTypeHeader, headers, transform, rateLimit, disabled, createdAt, updatedAt, ordering,
                null, null);
    }

    /** The operator's own webhook without ordered delivery. */
    public Webhook(String id, String url, List<String> events, String secret, List<PreviousSecret> previousSecrets,
                   boolean active, String name, String description, String retryPolicy, String retrySchedule,
                   SignatureSpec signature, String payloadFormat, String eventTypeHeader, Map<String, String> headers,
                   String transform, RateLimit rateLimit, Disabled disabled, long createdAt, long updatedAt) {
        this(id, url, events, secret, previousSecrets, active, name, description, retryPolicy, retrySchedule, signature,
                payloadFormat, eventTypeHeader, headers, transform, rateLimit, disabled, createdAt, updatedAt, null, null,
                null);
    }

    /** Whether the payload filter lets {@code event} ({@link PayloadFilter#event}) through; true without one. */
    public boolean accepts(com.fasterxml.jackson.databind.JsonNode event) {
        return filter == null || filter.matches(event);
    }

    /** Secrets to sign with at {@code now}: the current one, then each previous one still in its grace period. */
    public List<String> signingSecrets(long now) {
        List<String> secrets = new ArrayList<>(1 + previousSecrets.size());
        secrets.add(secret);
        for (PreviousSecret p : previousSecrets) {
            if (p.until() > now) {
                secrets.add(p.secret());
            }
        }
        return secrets;
    }

    /** The previous secrets still in their grace period at {@code now}, newest first. */
    public List<PreviousSecret> previousSecretsAt(long now) {
        return previousSecrets.stream().filter(p -> p.until() > now).toList();
    }

    /**
     * {@code headers} with this webhook's custom header values masked (they are often credentials,
     * sealed at rest), and with {@code auth} the bearer token's ({@code Bearer ****}): for the delivery
     * log and for views. {@code headers} itself when there are none.
     */
    public Map<String, String> maskCustomHeaders(Map<String, String> headers) {
        if (this.headers.isEmpty() && auth == null) {
            return headers;
        }
        Map<String, String> masked = new LinkedHashMap<>(headers);
        for (String name : this.headers.keySet()) {
            masked.computeIfPresent(name, (k, v) -> Secrets.mask(v));
        }
        if (auth != null) {
            // The bearer token Herald fetched (oauth.ReceiverAuth) is a credential like any other.
            masked.computeIfPresent("Authorization", (k, v) -> v.startsWith("Bearer ") ? "Bearer ****" : Secrets.mask(v));
        }
        return masked;
    }
}
