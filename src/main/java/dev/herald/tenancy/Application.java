package dev.herald.tenancy;

import java.util.Map;

/**
 * A customer of the sender (a tenant): owns webhooks and keys. {@code uid} is the sender's own id for
 * it, usable in place of {@code id} in paths; null when not given. {@code metadata}: strings, never null.
 */
public record Application(String id, String uid, String name, Map<String, String> metadata, long createdAt, long updatedAt) {

    public Application {
        // In the order given: a user reads back what was sent.
        metadata = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metadata));
    }
}
