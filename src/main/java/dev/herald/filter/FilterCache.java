package dev.herald.filter;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Compiled filters of stored webhooks by webhook id, so reading a webhook (each ingest reads the
 * matching ones) does not compile its filter again: an entry is used while the stored text is the
 * one it was compiled from, and replaced when a change (on any instance) gave the webhook another.
 */
public final class FilterCache {

    /** Past this many entries the cache starts over (deleted webhooks' entries would otherwise stay). */
    private static final int MAX_ENTRIES = 100_000;

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(FilterCache.class);

    private final ConcurrentHashMap<String, PayloadFilter> byWebhook = new ConcurrentHashMap<>();

    /** The compiled filter of webhook {@code id} whose stored text is {@code text}; null when it has none. */
    public PayloadFilter compiled(String id, String text) {
        if (text == null) {
            byWebhook.remove(id);
            return null;
        }
        PayloadFilter cached = byWebhook.get(id);
        if (cached != null && cached.text().equals(text)) {
            return cached;
        }
        PayloadFilter f;
        try {
            f = PayloadFilter.fromStored(text);
        } catch (RuntimeException e) {
            // Written under other limits or by hand: refuse every event rather than deliver what it would have kept out.
            LOG.warn("The stored filter of webhook {} no longer compiles; it refuses every event until changed", id);
            f = new PayloadFilter(text, new Condition.Any(java.util.List.of()));
        }
        if (byWebhook.size() >= MAX_ENTRIES) {
            byWebhook.clear();
        }
        byWebhook.put(id, f);
        return f;
    }

    /** Holds {@code filter} as the compiled form of webhook {@code id}'s (just written). */
    public void put(String id, PayloadFilter filter) {
        if (filter == null) {
            byWebhook.remove(id);
        } else {
            byWebhook.put(id, filter);
        }
    }

    public void forget(String id) {
        byWebhook.remove(id);
    }
}
