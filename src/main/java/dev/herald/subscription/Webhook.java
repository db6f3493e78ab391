package dev.herald.subscription;

import dev.herald.signing.SignatureSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A webhook subscription as stored. {@code retrySchedule} is null when it follows a named policy. */
public record Webhook(
        String id,
        String url,
        List<String> events,
        String secret,
        String previousSecret,
        Long previousSecretUntil,
        boolean active,
        String name,
        String description,
        String retryPolicy,
        String retrySchedule,
        SignatureSpec signature,
        String payloadFormat,
        String eventTypeHeader,
        Map<String, String> headers,
        long createdAt,
        long updatedAt) {

    public static final String ENVELOPE = "envelope";
    public static final String EVENT_PAYLOAD = "event-payload";
    public static final String DEFAULT_EVENT_TYPE_HEADER = "X-Webhook-Event";

    /** Secrets to sign with at {@code now}: the current one, then the previous one while its grace period lasts. */
    public List<String> signingSecrets(long now) {
        List<String> secrets = new ArrayList<>(2);
        secrets.add(secret);
        if (previousSecret != null && previousSecretUntil != null && previousSecretUntil > now) {
            secrets.add(previousSecret);
        }
        return secrets;
    }
}
