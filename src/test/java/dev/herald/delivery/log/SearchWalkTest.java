package dev.herald.delivery.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.event.EventLog;
import dev.herald.event.EventStore;
import dev.herald.event.NewEvent;
import dev.herald.event.StoredEvent;
import dev.herald.store.Database;
import dev.herald.store.Ids;
import dev.herald.store.TestDatabase;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The searches' walk on both databases, with a scan limit of a few rows: every match comes once,
 * newest first, also when a page ends at the scan limit (fewer rows, has_more, the cursor where the
 * reading stopped); since/until by created_at through the id bounds.
 */
class SearchWalkTest {

    @TempDir
    Path tempDir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void walksEveryMatchOnce(String kind) throws Exception {
        try (TestDatabase t = TestDatabase.open(kind, tempDir)) {
            Database db = t.db;
            EventStore events = new EventStore();
            DeliveryClaims claims = new DeliveryClaims(events, db.dialect());
            List<StoredEvent> stored = new ArrayList<>();
            List<Long> groupStarts = new ArrayList<>();
            List<String> failed = new ArrayList<>();
            for (int group = 0; group < 3; group++) {
                long now = nextMillisecond();
                groupStarts.add(now);
                List<NewEvent> batch = new ArrayList<>();
                List<NewDelivery> rows = new ArrayList<>();
                for (int i = 0; i < 12; i++) {
                    int n = group * 12 + i;
                    // Client-chosen ids in a random order against time, some generated; one received_at per group.
                    String id = n % 3 == 0 ? Ids.event() : "client-" + (char) ('z' - n % 26) + n;
                    String type = n % 5 == 0 ? "rare.thing" : "common.thing";
                    batch.add(new NewEvent(id, type, now, "{\"n\":" + n + "}"));
                    stored.add(new StoredEvent(id, type, now, "{\"n\":" + n + "}", now));
                    rows.add(new NewDelivery(Ids.delivery(), id, n % 2 == 0 ? "hook_a" : "hook_b", null, null));
                    if (n % 3 == 0) {
                        failed.add(rows.get(i).id());
                    }
                }
                db.inTransaction(c -> {
                    events.insertEvents(c, batch, now);
                    claims.insertDeliveries(c, rows, now);
                    return null;
                });
            }
            db.inTransaction(c -> {
                try (var ps = c.prepareStatement("UPDATE delivery SET status = 'failed' WHERE id = ?")) {
                    for (String id : failed) {
                        ps.setString(1, id);
                        ps.executeUpdate();
                    }
                }
                return null;
            });

            List<Delivery> all = db.read(c -> new DeliverySearch(db.dialect()).search(c, filter(null, null, null, null), null, 250)).rows();
            assertThat(all).hasSize(36).isSortedAccordingTo(Comparator.comparing(Delivery::id).reversed());
            Map<String, String> typeOf = new java.util.HashMap<>();
            stored.forEach(e -> typeOf.put(e.id(), e.type()));

            assertDeliveries(db, filter(null, null, "rare.thing", null), all, d -> typeOf.get(d.eventId()).equals("rare.thing"));
            assertDeliveries(db, filter("failed", null, null, null), all, d -> d.status().equals("failed"));
            assertDeliveries(db, new DeliverySearch.Filter("pending", "hook_b", "common.thing", null, null), all,
                    d -> d.status().equals("pending") && d.webhookId().equals("hook_b") && typeOf.get(d.eventId()).equals("common.thing"));
            long second = groupStarts.get(1);
            long third = groupStarts.get(2);
            assertDeliveries(db, new DeliverySearch.Filter(null, null, null, second, third), all,
                    d -> d.createdAt() >= second && d.createdAt() < third);
            assertDeliveries(db, new DeliverySearch.Filter("failed", null, null, second, null), all,
                    d -> d.status().equals("failed") && d.createdAt() >= second);
            assertDeliveries(db, new DeliverySearch.Filter(null, "hook_a", "rare.thing", null, third), all,
                    d -> d.webhookId().equals("hook_a") && typeOf.get(d.eventId()).equals("rare.thing") && d.createdAt() < third);

            List<StoredEvent> newestFirst = new ArrayList<>(stored);
            newestFirst.sort(Comparator.comparing(StoredEvent::receivedAt).thenComparing(StoredEvent::id).reversed());
            assertEvents(db, new EventLog.Filter(null, null, null), newestFirst);
            assertEvents(db, new EventLog.Filter("rare.thing", null, null),
                    newestFirst.stream().filter(e -> e.type().equals("rare.thing")).toList());
            assertEvents(db, new EventLog.Filter("common.thing", second, third),
                    newestFirst.stream().filter(e -> e.type().equals("common.thing") && e.receivedAt() == second).toList());
        }
    }

    private static DeliverySearch.Filter filter(String status, String webhook, String type, Long since) {
        return new DeliverySearch.Filter(status, webhook, type, since, null);
    }

    /** Pages of 2 with a scan limit of 5 give exactly the matching rows, in order (for a rare type, also short pages). */
    private static void assertDeliveries(Database db, DeliverySearch.Filter f, List<Delivery> all,
                                         java.util.function.Predicate<Delivery> matches) {
        DeliverySearch search = new DeliverySearch(db.dialect(), 5);
        List<String> walked = new ArrayList<>();
        boolean shortPage = false;
        String cursor = null;
        do {
            String from = cursor;
            DeliverySearch.Page page = db.read(c -> search.search(c, f, from, 2));
            page.rows().forEach(d -> walked.add(d.id()));
            shortPage |= page.rows().size() < 2 && page.nextCursor() != null;
            cursor = page.nextCursor();
        } while (cursor != null);
        assertThat(walked).as(f.toString()).isEqualTo(all.stream().filter(matches).map(Delivery::id).toList());
        if (f.eventType() != null && f.eventType().startsWith("rare")) {
            assertThat(shortPage).as("a page ended at the scan limit: " + f).isTrue();
        }
    }

    private static void assertEvents(Database db, EventLog.Filter f, List<StoredEvent> expected) throws SQLException {
        EventLog log = new EventLog(db.dialect(), 4);
        List<String> walked = new ArrayList<>();
        EventLog.Position cursor = null;
        do {
            EventLog.Position from = cursor;
            EventLog.Page page = db.read(c -> log.search(c, f, from, 3));
            page.rows().forEach(e -> walked.add(e.id()));
            // The cursor a client sends back is the encoded one.
            cursor = page.next() == null ? null : EventLog.Position.decode(page.next().encode()).orElseThrow();
        } while (cursor != null);
        assertThat(walked).as(f.toString()).isEqualTo(expected.stream().map(StoredEvent::id).toList());
    }

    /** The clock's next millisecond: each group of rows gets its own created_at and received_at. */
    private static long nextMillisecond() throws InterruptedException {
        long start = System.currentTimeMillis();
        while (System.currentTimeMillis() == start) {
            Thread.sleep(1);
        }
        return System.currentTimeMillis();
    }
}
