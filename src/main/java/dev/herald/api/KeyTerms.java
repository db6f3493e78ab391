package dev.herald.api;

import com.fasterxml.jackson.databind.JsonNode;

import dev.herald.error.HeraldException;
import dev.herald.subscription.RetrySchedule;

import java.time.Duration;

/** The terms a key is made with, as a key or a portal link asks for them: read-only, and how long it lasts. */
final class KeyTerms {

    private KeyTerms() {
    }

    static boolean readOnly(JsonNode n) {
        if (n == null || n.isNull()) {
            return false;
        }
        if (!n.isBoolean()) {
            throw HeraldException.invalid("read_only", "read_only must be true or false");
        }
        return n.asBoolean();
    }

    /** {@code expires_in}: at least 1 s and at most {@code max} (written {@code maxText}); {@code absent} when not given. */
    static Duration expiresIn(JsonNode n, Duration absent, Duration max, String maxText) {
        if (n == null || n.isNull()) {
            return absent;
        }
        if (!n.isTextual()) {
            throw HeraldException.invalid("expires_in", "expires_in must be a duration such as 1h, 90m or 30d");
        }
        Duration d = RetrySchedule.parseDuration(n.asText(), "expires_in", max, maxText);
        if (d.compareTo(Duration.ofSeconds(1)) < 0) {
            throw HeraldException.invalid("expires_in", "expires_in must be at least 1s");
        }
        return d;
    }
}
