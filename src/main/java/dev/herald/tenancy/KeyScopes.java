package dev.herald.tenancy;

import dev.herald.store.Database;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Finds the application key a call presents, through a cache, so a flood of calls does not read the
 * database each time. A found key is read again after {@link #RECHECK_MS}, so a revocation or the
 * application's deletion made on any instance (the database is shared) stops it here within that
 * time plus one read, under the 5 s docs/api.md promises; an unknown key is remembered only for
 * {@link #ABSENT_MS}, so a key just made on another instance soon works here. Expiry is checked on
 * every call against the remembered expires_at, so it is exact.
 */
public final class KeyScopes {

    static final long RECHECK_MS = 3_000;
    static final long ABSENT_MS = 1_000;
    /** Bounds the memory a flood of distinct well-formed keys can take. */
    private static final int MAX_ENTRIES = 50_000;
    private final int maxEntries;
    /** {@code hk_} and 32 random bytes in URL-safe Base64 without padding (ApiKeyStore). */
    private static final int KEY_LENGTH = 3 + 43;

    /** What the database said about one digest, and when: {@code key} null when no key has it. */
    private record Entry(ApiKey key, long checkedAt) {
    }

    private final Database db;
    private final LongSupplier clock;
    private final ConcurrentHashMap<String, Entry> byHash = new ConcurrentHashMap<>();

    public KeyScopes(Database db, LongSupplier clock) {
        this(db, clock, MAX_ENTRIES);
    }

    KeyScopes(Database db, LongSupplier clock, int maxEntries) {
        this.db = db;
        this.clock = clock;
        this.maxEntries = maxEntries;
    }

    /** The scope of the application key {@code presented}; empty when it is none, revoked or expired. */
    public Optional<Scope.OfApplication> scope(String presented) {
        // Anything not shaped like a key Herald makes is refused without a database read.
        if (presented.length() != KEY_LENGTH || !presented.startsWith("hk_")) {
            return Optional.empty();
        }
        // The digest, not the key, is what this process keeps in memory.
        String hash = ApiKeyStore.hash(presented);
        long now = clock.getAsLong();
        Entry e = byHash.get(hash);
        if (e == null || now - e.checkedAt() >= (e.key() == null ? ABSENT_MS : RECHECK_MS)) {
            e = new Entry(db.read(c -> ApiKeyStore.findByHash(c, hash)).orElse(null), now);
            if (byHash.size() >= maxEntries) {
                // A flood of made-up keys fills the cache with absent entries: they go first, so the
                // keys in use stay cached and their callers are not slowed by it.
                byHash.values().removeIf(old -> old.key() == null);
                if (byHash.size() >= maxEntries) {
                    byHash.clear();
                }
            }
            byHash.put(hash, e);
        }
        ApiKey key = e.key();
        return key == null || key.expiredAt(now) ? Optional.empty() : Optional.of(key.scope());
    }

    /** Forgets a key revoked on this instance at once (other instances notice within RECHECK_MS). */
    public void forgetKey(String keyId) {
        byHash.values().removeIf(e -> e.key() != null && e.key().id().equals(keyId));
    }

    /** Forgets every key of an application deleted on this instance. */
    public void forgetApplication(String applicationId) {
        byHash.values().removeIf(e -> e.key() != null && e.key().applicationId().equals(applicationId));
    }
}
