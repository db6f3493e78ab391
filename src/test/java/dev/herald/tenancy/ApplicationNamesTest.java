package dev.herald.tenancy;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The resolver's cache: one lookup per name and period, a deleted application gone after it, a new one at once. */
class ApplicationNamesTest {

    private final Map<String, String> rows = new ConcurrentHashMap<>();
    private final AtomicInteger lookups = new AtomicInteger();
    private final ApplicationNames.Lookup lookup = name -> {
        lookups.incrementAndGet();
        return Optional.ofNullable(rows.get(name));
    };

    @Test
    void aFloodNamingOneApplicationLooksItUpOnce() {
        rows.put("acme", "app_1");
        ApplicationNames names = new ApplicationNames(lookup, 60_000);
        for (int i = 0; i < 1000; i++) {
            assertThat(names.idOf("acme")).contains("app_1");
        }
        assertThat(lookups.get()).isEqualTo(1);
    }

    @Test
    void anUnknownNameIsNotRememberedSoANewApplicationResolvesAtOnce() {
        ApplicationNames names = new ApplicationNames(lookup, 60_000);
        assertThat(names.idOf("globex")).isEmpty();
        rows.put("globex", "app_2");
        assertThat(names.idOf("globex")).contains("app_2");
    }

    @Test
    void aDeletedApplicationStopsResolvingOnceItsPeriodIsOver() throws Exception {
        rows.put("acme", "app_1");
        ApplicationNames names = new ApplicationNames(lookup, 200);
        assertThat(names.idOf("acme")).contains("app_1");
        rows.remove("acme");
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (names.idOf("acme").isPresent()) {
            assertThat(System.nanoTime()).as("still resolving 5 s after the delete").isLessThan(deadline);
            Thread.sleep(20);
        }
        assertThat(names.idOf("acme")).isEmpty();
    }
}
