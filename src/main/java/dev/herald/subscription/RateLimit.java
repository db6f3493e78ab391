package dev.herald.subscription;

import com.fasterxml.jackson.databind.JsonNode;

import dev.herald.error.HeraldException;

/**
 * A webhook's limit on deliveries per second, across all instances (delivery's pace spreads them
 * evenly). A webhook without one has none: {@code null} in {@link Webhook#rateLimit()}.
 */
public record RateLimit(int perSecond) {

    public static final String FIELD = "rate_limit";
    public static final int MIN = 1;
    public static final int MAX = 10_000;

    public RateLimit {
        if (perSecond < MIN || perSecond > MAX) {
            throw new IllegalArgumentException("rate limit out of range: " + perSecond);
        }
    }

    /** The time between two deliveries, in microseconds, rounded up so the limit is never passed. */
    public long intervalMicros() {
        return (1_000_000L + perSecond - 1) / perSecond;
    }

    /** A stored column value (null for none). */
    public static RateLimit ofStored(int perSecond, boolean wasNull) {
        return wasNull ? null : new RateLimit(perSecond);
    }

    /** From the request's {@code rate_limit}: a whole number 1 to 10,000, or null for none. */
    static RateLimit parse(JsonNode node) {
        if (node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < MIN || node.intValue() > MAX) {
            throw HeraldException.invalid(FIELD, FIELD + " must be a whole number of deliveries per second from "
                    + MIN + " to " + MAX + ", or null for no limit");
        }
        return new RateLimit(node.intValue());
    }
}
