package dev.herald.signing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The keys of key-pair webhooks are derived once per key, and no more of them are kept than the bound. */
class BoundedCacheTest {

    @Test
    void derivesOncePerKeyAndDropsTheLeastRecentlyUsedBeyondItsBound() {
        List<String> derived = new ArrayList<>();
        BoundedCache<String> cache = new BoundedCache<>(2);
        for (int i = 0; i < 3; i++) {
            assertThat(cache.get("a", k -> { derived.add(k); return k.toUpperCase(); })).isEqualTo("A");
        }
        assertThat(derived).containsExactly("a");
        cache.get("b", k -> { derived.add(k); return k; });
        cache.get("a", k -> { derived.add(k); return k; }); // a used last: b is the eldest now
        cache.get("c", k -> { derived.add(k); return k; });
        assertThat(derived).containsExactly("a", "b", "c");
        cache.get("a", k -> { derived.add(k); return k; });
        cache.get("b", k -> { derived.add(k); return k; });
        assertThat(derived).as("b was dropped for c, a was kept").containsExactly("a", "b", "c", "b");
    }
}
