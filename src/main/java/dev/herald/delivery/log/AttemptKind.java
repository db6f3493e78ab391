package dev.herald.delivery.log;

import java.util.Locale;

/**
 * What one attempt came to, in the words of the metrics: a 2xx in time; no complete response
 * within the timeout; no connection made (refused, unknown host, an address Herald does not call);
 * anything else (an error status, a broken response, a transform that threw); Herald's own way
 * out failed (the egress proxy: down, refused the tunnel, broke it), which says nothing about the
 * receiver.
 */
public enum AttemptKind {
    SUCCESS, FAILURE, TIMEOUT, REFUSED, EGRESS;

    private final String label = name().toLowerCase(Locale.ROOT);

    public String label() {
        return label;
    }

    /**
     * Whether the attempt tells anything about the receiver: every kind but {@link #EGRESS} feeds
     * its circuit breaker and its webhook's failing clock.
     */
    public boolean judgesReceiver() {
        return this != EGRESS;
    }
}
