package dev.herald.signing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Values derived from a key text (a parsed key, a public key), kept so the JDK's slow derivations
 * run once per key; the least recently used goes beyond {@code max}. Thread-safe: a lookup holds a
 * lock only for the map, never while deriving.
 */
final class BoundedCache<V> {

    private final Map<String, V> values;

    BoundedCache(int max) {
        this.values = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > max;
            }
        };
    }

    V get(String key, Function<String, V> derive) {
        synchronized (values) {
            V value = values.get(key);
            if (value != null) {
                return value;
            }
        }
        V value = derive.apply(key); // two threads may both derive the same value once: harmless
        synchronized (values) {
            values.put(key, value);
        }
        return value;
    }
}
