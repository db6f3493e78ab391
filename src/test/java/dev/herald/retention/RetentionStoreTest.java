package dev.herald.retention;

import dev.herald.store.Database;
import dev.herald.store.TestDatabase;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retention's SQL against both supported databases (H2, and the tests' PostgreSQL): thousands of
 * finished rows go in batches of 1000, whatever is pending or finished within the period stays,
 * and an event goes only once no delivery references it.
 */
class RetentionStoreTest {

    private static final long CUTOFF = 1_700_000_000_000L;
    private static final int BATCH = 1000;

    @TempDir
    Path tempDir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void finishedRowsGoInBatchesAndPendingOnesStay(String kind) throws Exception {
        try (TestDatabase t = TestDatabase.open(kind, tempDir)) {
            Database db = t.db;
            Rows rows = new Rows(db);
            // Interleaved in time, so every batch of events passes over some that must stay.
            for (int i = 0; i < 2500; i++) {
                rows.delivery("gone-s" + i, "success", CUTOFF - 100_000 + i, 2);
                if (i < 600) {
                    rows.delivery("gone-f" + i, "failed", CUTOFF - 90_000 + i, 1);
                }
                if (i < 300) {
                    // Overdue but pending: never retention's.
                    rows.delivery("keep-p" + i, "pending", CUTOFF - 80_000 + i, 1);
                }
                if (i < 200) {
                    rows.delivery("keep-r" + i, "success", CUTOFF + 1_000 + i, 1);
                }
                if (i < 1200) {
                    // Matched no webhook.
                    rows.event("gone-e" + i, rows.received());
                }
                if (i < 100) {
                    rows.event("keep-e" + i, CUTOFF + 1_000 + i);
                }
                if (i < 50) {
                    // One event, one old finished delivery and one pending: the first goes, the event stays.
                    rows.event("mixed" + i, rows.received());
                    rows.deliveryOf("mixed" + i, "mixed-s" + i, "success", CUTOFF - 50_000 + i, 1);
                    rows.deliveryOf("mixed" + i, "mixed-p" + i, "pending", CUTOFF + 50_000, 1);
                }
            }
            rows.flush();
            assertThat(count(db, "SELECT COUNT(*) FROM delivery")).isEqualTo(3_700);

            PurgeFinished deliveries = new PurgeFinished(db, BATCH);
            PurgeEvents events = new PurgeEvents(db, BATCH);
            // A stop between batches: one batch went, the next run goes on from there.
            assertThat(deliveries.purge(CUTOFF, batches(1))).isEqualTo(new PurgeFinished.Purged(BATCH, 2 * BATCH));
            assertThat(events.purge(CUTOFF, batches(1))).isEqualTo(BATCH);

            assertThat(deliveries.purge(CUTOFF, () -> true)).isEqualTo(new PurgeFinished.Purged(2_150, 3_650));
            assertThat(events.purge(CUTOFF, () -> true)).isEqualTo(2_500 + 600 + 1_200 - BATCH);

            assertThat(count(db, "SELECT COUNT(*) FROM delivery WHERE id LIKE 'gone%' OR id LIKE 'mixed-s%'")).isZero();
            assertThat(count(db, "SELECT COUNT(*) FROM delivery_attempt WHERE delivery_id LIKE 'gone%'"
                    + " OR delivery_id LIKE 'mixed-s%'")).isZero();
            assertThat(count(db, "SELECT COUNT(*) FROM event WHERE id LIKE 'gone%'")).isZero();
            assertThat(count(db, "SELECT COUNT(*) FROM delivery WHERE id LIKE 'keep%' OR id LIKE 'mixed-p%'"))
                    .isEqualTo(300 + 200 + 50);
            assertThat(count(db, "SELECT COUNT(*) FROM delivery_attempt")).as("the attempts of the rows kept")
                    .isEqualTo(300 + 200 + 50);
            assertThat(count(db, "SELECT COUNT(*) FROM event")).as("events of kept deliveries, recent events")
                    .isEqualTo(300 + 200 + 100 + 50);
            assertThat(count(db, "SELECT COUNT(*) FROM event WHERE id LIKE 'mixed%'")).isEqualTo(50);

            assertThat(deliveries.purge(CUTOFF, () -> true)).isEqualTo(new PurgeFinished.Purged(0, 0));
            assertThat(events.purge(CUTOFF, () -> true)).isZero();
        }
    }

    /** True for the first {@code n} batches, then false: Herald stopping in the middle of a run. */
    private static BooleanSupplier batches(int n) {
        AtomicInteger left = new AtomicInteger(n);
        return () -> left.getAndDecrement() > 0;
    }

    private static long count(Database db, String sql) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }
}
