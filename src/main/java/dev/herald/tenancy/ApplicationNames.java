package dev.herald.tenancy;

import dev.herald.error.HeraldException;
import dev.herald.store.Database;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves the application an event names ({@code "application": "<id|uid>"}, the path of
 * {@code POST /v1/applications/{app}/events}) to its id, as {@link Applications#resolve} does, with a
 * short cache: a flood of batches naming one application reads it once per {@link #ttlMillis}, not once
 * a batch. Only found names are kept, and for at most that long, so a deleted application stops
 * resolving on every instance within it (and a new one resolves at once).
 */
public final class ApplicationNames {

    /** Entries kept at most; past it the cache starts over (a flood names few applications at a time). */
    static final int MAX_ENTRIES = 200_000;

    /** How a name is looked up when the cache does not know it. */
    public interface Lookup {
        Optional<String> find(String idOrUid);

        /** Several names at once (a batch's): each one found, to its id. */
        default java.util.Map<String, String> findAll(java.util.Collection<String> idsOrUids) {
            java.util.Map<String, String> out = new java.util.HashMap<>();
            for (String n : idsOrUids) {
                find(n).ifPresent(id -> out.put(n, id));
            }
            return out;
        }
    }

    /** Resolves nothing: for a parser without a database (tests of the syntax alone). */
    public static final ApplicationNames NONE = new ApplicationNames(name -> Optional.empty(), 0);

    private record Entry(String id, long until) {
    }

    private final Lookup lookup;
    private final long ttlMillis;
    private final ConcurrentHashMap<String, Entry> cache = new ConcurrentHashMap<>();

    public ApplicationNames(Lookup lookup, long ttlMillis) {
        this.lookup = lookup;
        this.ttlMillis = ttlMillis;
    }

    /** Resolved in the database. */
    public ApplicationNames(Database db, long ttlMillis) {
        this(new Lookup() {
            @Override
            public Optional<String> find(String idOrUid) {
                return db.read(c -> Applications.resolve(c, idOrUid));
            }

            @Override
            public java.util.Map<String, String> findAll(java.util.Collection<String> idsOrUids) {
                return db.read(c -> Applications.resolveAll(c, idsOrUids));
            }
        }, ttlMillis);
    }

    /**
     * Resolves the names a batch gives that the cache does not hold, in one lookup, so that a batch
     * spread over many applications costs one query, not one per event; {@link #idOf} then finds them.
     */
    public void prefetch(java.util.Collection<String> idsOrUids) {
        if (ttlMillis <= 0) {
            return;
        }
        long now = System.nanoTime() / 1_000_000;
        java.util.Set<String> missing = new java.util.HashSet<>();
        for (String n : idsOrUids) {
            Entry e = cache.get(n);
            if (e == null || now >= e.until()) {
                missing.add(n);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        java.util.Map<String, String> found = lookup.findAll(missing);
        if (cache.size() + found.size() > MAX_ENTRIES) {
            cache.clear();
        }
        found.forEach((name, id) -> cache.put(name, new Entry(id, now + ttlMillis)));
    }

    /**
     * The answer to a name that resolves to no application: 404 {@code not_found} at {@code field}, the
     * same for an application that does not exist and one the caller may not send to (no existence leak).
     */
    public static HeraldException unknown(String field, String idOrUid) {
        return new HeraldException(404, "not_found", "application " + dev.herald.error.Excerpt.of(idOrUid)
                + " does not exist", field);
    }

    /** The application's id, when {@code idOrUid} names one now (give or take {@code ttlMillis}). */
    public Optional<String> idOf(String idOrUid) {
        long now = System.nanoTime() / 1_000_000;
        Entry e = cache.get(idOrUid);
        if (e != null && now < e.until()) {
            return Optional.of(e.id());
        }
        Optional<String> found = lookup.find(idOrUid);
        if (found.isEmpty()) {
            cache.remove(idOrUid);
        } else if (ttlMillis > 0) {
            if (cache.size() >= MAX_ENTRIES) {
                cache.clear();
            }
            cache.put(idOrUid, new Entry(found.get(), now + ttlMillis));
        }
        return found;
    }
}
