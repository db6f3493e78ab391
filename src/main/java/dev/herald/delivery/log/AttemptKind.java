package dev.herald.delivery.log;

import java.util.Locale;

/**
 * What one attempt came to, in the words of the metrics: a 2xx in time; no complete response
 * within the timeout; no connection made (refused, unknown host, an address Herald does not call);
 * anything else (an error status, a broken response, a transform that threw).
 */
public enum AttemptKind {
    SUCCESS, FAILURE, TIMEOUT, REFUSED;

    private final String label = name().toLowerCase(Locale.ROOT);

    public String label() {
        return label;
    }
}
