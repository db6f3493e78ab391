package dev.herald.delivery.log;

import dev.herald.store.Dialect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.event.EventStore;
import dev.herald.event.NewEvent;
import dev.herald.store.Ids;
import dev.herald.store.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On PostgreSQL a delivered row leaves a dead (pending, due_at) version in the claim's range. The
 * scheduler's claims must not read those again and again: in a long benchmark run on a server
 * without autovacuum they did (a bitmap scan of the claim index), and every claim got slower.
 * Counted with PostgreSQL's own count of index entries a transaction read.
 */
class ClaimReadsTest {

    private static final int DELIVERED = 5_000;
    private static final int WAITING = 20;

    @TempDir
    Path dir;

    private final EventStore events = new EventStore();
    private final DeliveryClaims claims = new DeliveryClaims(events, Dialect.POSTGRESQL);
    private final AttemptLog attemptLog = new AttemptLog(Dialect.POSTGRESQL);

    @Test
    void aClaimReadsTheDeadVersionsOfDeliveredRowsOnceNotEveryTime() throws Exception {
        try (TestDatabase t = TestDatabase.open("postgresql", dir)) {
            long t0 = System.currentTimeMillis();
            NewEvent event = new NewEvent(Ids.event(), "order.paid", t0, "{\"n\":1}");
            // Leased at ingest a millisecond apart (due at the lease's end, 30 s on), then delivered
            // by their holder.
            List<NewDelivery> delivered = new ArrayList<>();
            for (int i = 0; i < DELIVERED; i++) {
                delivered.add(new NewDelivery(Ids.delivery(), event.id(), "wh_1", "ingest:" + i, t0 + 30_000 + i));
            }
            t.db.inTransaction(c -> {
                events.insertEvents(c, List.of(event), t0);
                claims.insertDeliveries(c, delivered, t0);
                return null;
            });
            for (int from = 0; from < DELIVERED; from += 250) {
                List<AttemptRecord> group = new ArrayList<>();
                for (NewDelivery d : delivered.subList(from, from + 250)) {
                    Attempt ok = new Attempt(d.id(), 1, Trigger.SCHEDULED, t0, 3, "https://example.test/hook", Map.of(), "{}",
                            200, Map.of(), "", null);
                    group.add(new AttemptRecord(ok, d.leaseToken(), new Outcome.Delivered(1, 200, t0 + 3), t0 + 3));
                }
                boolean[] written = t.db.inTransaction(c -> attemptLog.record(c, group));
                assertThat(written).containsOnly(true);
            }
            // Rows waiting for their next attempt, due after the delivered rows' old versions.
            List<NewDelivery> waiting = new ArrayList<>();
            for (int i = 0; i < WAITING; i++) {
                waiting.add(new NewDelivery(Ids.delivery(), event.id(), "wh_2", null, null));
            }
            t.db.inTransaction(c -> {
                claims.insertDeliveries(c, waiting, t0 + 40_000);
                return null;
            });

            long later = t0 + 60_000;
            AtomicInteger n = new AtomicInteger();
            List<String> claimed = new ArrayList<>();
            long[] entriesRead = new long[2];
            for (int round = 0; round < 2; round++) {
                int r = round;
                t.db.inTransaction(c -> {
                    long before = claimIndexEntriesRead(c);
                    claims.claimDue(c, later, WAITING / 2, later + 60_000, () -> "sched:" + n.incrementAndGet())
                            .forEach(ticket -> claimed.add(ticket.deliveryId()));
                    entriesRead[r] = claimIndexEntriesRead(c) - before;
                    return null;
                });
            }

            assertThat(claimed).containsExactlyInAnyOrderElementsOf(waiting.stream().map(NewDelivery::id).toList());
            // The first claim passes the 5,000 dead versions once; the second reads its 10 rows and
            // the 10 versions the first claim left behind, not the 5,000 again.
            assertThat(entriesRead[0]).isGreaterThanOrEqualTo(DELIVERED);
            assertThat(entriesRead[1]).as("index entries the second claim read").isLessThan(100);
        }
    }

    /**
     * Index entries this backend has read from the claim index and not yet reported to the
     * statistics collector (PostgreSQL 15 reports between transactions, not within one).
     */
    private static long claimIndexEntriesRead(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_stat_get_xact_tuples_returned('delivery_claim'::regclass)")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
