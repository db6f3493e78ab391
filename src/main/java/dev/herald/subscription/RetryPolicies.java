package dev.herald.subscription;

import dev.herald.error.Excerpt;
import dev.herald.error.HeraldException;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** The named backoff tables of {@code herald.retry.policies.*} and the default one. */
public final class RetryPolicies {

    private final Map<String, RetrySchedule> byName;
    private final String defaultName;

    public RetryPolicies(Map<String, RetrySchedule> byName, String defaultName) {
        this.byName = Collections.unmodifiableMap(new TreeMap<>(byName));
        if (!byName.containsKey(defaultName)) {
            throw new IllegalArgumentException("herald.retry.default-policy=" + defaultName
                    + " names no table; known: " + byName.keySet());
        }
        this.defaultName = defaultName;
    }

    public String defaultName() {
        return defaultName;
    }

    public Map<String, RetrySchedule> all() {
        return byName;
    }

    public RetrySchedule named(String name, String field) {
        RetrySchedule s = byName.get(name);
        if (s == null) {
            throw HeraldException.invalid(field, "unknown retry policy \"" + Excerpt.of(name) + "\"; known: " + byName.keySet());
        }
        return s;
    }

    /** The table a webhook uses now: its own schedule, its named policy, else the default. */
    public RetrySchedule forWebhook(Webhook webhook) {
        if (webhook.retrySchedule() != null) {
            return RetrySchedule.parse(webhook.retrySchedule(), "retry_schedule");
        }
        RetrySchedule named = webhook.retryPolicy() == null ? null : byName.get(webhook.retryPolicy());
        return named != null ? named : byName.get(defaultName);
    }
}
