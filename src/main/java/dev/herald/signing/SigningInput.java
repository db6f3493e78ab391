package dev.herald.signing;

import java.util.List;
import java.util.Objects;

/**
 * What one delivery attempt signs.
 *
 * @param body             the exact bytes sent as the request body (not copied: bodies can be large,
 *                         and callers must not change them after signing)
 * @param messageId        the stable message id (sent as {@code webhook-id} by standard-webhooks)
 * @param timestampSeconds the attempt's Unix time in seconds (receivers reject stale ones, so
 *                         it is taken per attempt, not per message)
 * @param secrets          the current secret first, then previous secrets still inside their
 *                         rotation grace period
 */
public record SigningInput(byte[] body, String messageId, long timestampSeconds, List<String> secrets) {

    public SigningInput {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(secrets, "secrets");
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("at least one secret is needed to sign");
        }
        secrets = List.copyOf(secrets); // also rejects null elements
    }

    /** The secret single-value dialects sign with. */
    public String currentSecret() {
        return secrets.get(0);
    }
}
