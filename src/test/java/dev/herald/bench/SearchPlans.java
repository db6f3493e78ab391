package dev.herald.bench;

import dev.herald.delivery.log.DeliveryClaims;
import dev.herald.delivery.log.DeliverySearch;
import dev.herald.delivery.log.Replay;
import dev.herald.event.EventLog;
import dev.herald.event.EventStore;
import dev.herald.signing.SignatureSpec;
import dev.herald.store.BoundQuery;
import dev.herald.store.Dialect;
import dev.herald.store.TestDatabase;
import dev.herald.subscription.WebhookRepository;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Not a test: the plans and timings of the delivery and event searches (and of a replay's
 * queries) on a log of a million rows, on H2 and on PostgreSQL (a throwaway schema on the tests'
 * server: 127.0.0.1:5432, else an embedded one, see store.TestPostgres). Runs the exact SQL the API builds. See docs/operations.md,
 * "Searching the delivery log":
 * <pre>
 * mvn -B -q test-compile org.codehaus.mojo:exec-maven-plugin:3.5.0:java \
 *     -Dexec.mainClass=dev.herald.bench.SearchPlans -Dexec.classpathScope=test [-Dplans.rows=1000000 -Dplans.db=h2,postgresql]
 * </pre>
 */
public final class SearchPlans {

    public static void main(String[] args) throws Exception {
        int rows = Integer.getInteger("plans.rows", 1_000_000);
        for (String kind : System.getProperty("plans.db", "h2,postgresql").split(",")) {
            Path dir = Files.createTempDirectory("herald-plans");
            TestDatabase db;
            try {
                db = TestDatabase.open(kind, dir);
            } catch (RuntimeException e) {
                // No PostgreSQL at 5432 and the embedded one could not start.
                System.out.println("[plans] " + kind + ": not available (" + e.getMessage() + ")");
                continue;
            }
            try (db) {
                run(kind, db, rows);
            } finally {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    static void run(String kind, TestDatabase db, int rows) throws Exception {
        SearchData data = new SearchData(rows, System.currentTimeMillis());
        long t0 = System.nanoTime();
        try (Connection c = db.db.dataSource().getConnection()) {
            data.fill(c);
        }
        System.out.printf("%n[plans] %s: %,d events and %,d deliveries written in %.1f s%n", kind, rows, rows,
                (System.nanoTime() - t0) / 1e9);
        try (Connection c = db.db.dataSource().getConnection()) {
            for (Map.Entry<String, Case> e : cases(data, db.db.dialect()).entrySet()) {
                report(kind, db.db.dialect(), c, e.getKey(), e.getValue());
            }
        }
        replayTimes(kind, db, data);
    }

    /** A whole replay of one day's events (75% match "order.*") to a new webhook, then the same again (nothing to do). */
    static void replayTimes(String kind, TestDatabase db, SearchData d) throws Exception {
        long now = System.currentTimeMillis();
        try (Connection c = db.db.dataSource().getConnection();
             PreparedStatement w = c.prepareStatement("INSERT INTO webhook (id, url, events, secret, active, signature,"
                     + " payload_format, created_at, updated_at) VALUES ('hook_replay', 'https://example.com/in',"
                     + " '[\"order.*\"]', 'whsec_x', TRUE, ?, 'envelope', ?, ?)");
             PreparedStatement s = c.prepareStatement("INSERT INTO webhook_subscription VALUES ('hook_replay', 'order.*')")) {
            w.setString(1, SignatureSpec.defaults().toStoredJson());
            w.setLong(2, now);
            w.setLong(3, now);
            w.executeUpdate();
            s.executeUpdate();
        }
        Replay replay = new Replay(db.db, new WebhookRepository(), new EventLog(db.db.dialect()), new DeliveryClaims(new EventStore(), db.db.dialect()));
        long until = d.start + 15 * SearchData.DAY;
        for (String run : List.of("first", "again")) {
            long t = System.nanoTime();
            int made = replay.replay("hook_replay", until - SearchData.DAY, until);
            System.out.printf("%n[%s] replay of one day (%,d events), %s: %,d deliveries made in %.1f s%n", kind,
                    d.rows / 30, run, made, (System.nanoTime() - t) / 1e9);
        }
    }

    /** One search: the queries it runs (for their plans) and the search itself (for its time); rows found. */
    interface Case {
        List<BoundQuery> queries(Connection c) throws SQLException;

        int run(Connection c) throws SQLException;
    }

    static Map<String, Case> cases(SearchData d, Dialect dialect) {
        Map<String, Case> cases = new LinkedHashMap<>();
        long day = SearchData.DAY;
        long mid = d.start + 15 * day;
        String middle = d.middleDeliveryId;
        int n = 50;
        deliveries(cases, dialect, "no filter", null, null, null, null, null, null, n);
        deliveries(cases, dialect, "status=failed (3%)", "failed", null, null, null, null, null, n);
        deliveries(cases, dialect, "status=pending (newest 1%)", "pending", null, null, null, null, null, n);
        deliveries(cases, dialect, "status=success (96%)", "success", null, null, null, null, null, n);
        deliveries(cases, dialect, "webhook_id=hook_common (50%)", null, "hook_common", null, null, null, null, n);
        deliveries(cases, dialect, "webhook_id=hook_rare (0.1%)", null, "hook_rare", null, null, null, null, n);
        deliveries(cases, dialect, "webhook_id=unknown", null, "hook_unknown", null, null, null, null, n);
        deliveries(cases, dialect, "event_type=order.created (50%)", null, null, "order.created", null, null, null, n);
        deliveries(cases, dialect, "event_type=rare.thing (0.1%)", null, null, "rare.thing", null, null, null, n);
        deliveries(cases, dialect, "event_type=never.sent (none)", null, null, "never.sent", null, null, null, n);
        deliveries(cases, dialect, "since=last day", null, null, null, d.end - day, null, null, n);
        deliveries(cases, dialect, "until=15 days ago", null, null, null, null, mid, null, n);
        deliveries(cases, dialect, "since+until=one day, 15 days ago", null, null, null, mid - day, mid, null, n);
        deliveries(cases, dialect, "cursor=middle", null, null, null, null, null, middle, n);
        deliveries(cases, dialect, "webhook_id=hook_common, status=failed", "failed", "hook_common", null, null, null, null, n);
        deliveries(cases, dialect, "webhook_id=hook_rare, status=failed", "failed", "hook_rare", null, null, null, null, n);
        deliveries(cases, dialect, "webhook_id=hook_second, event_type=invoice.paid", null, "hook_second", "invoice.paid", null, null, null, n);
        deliveries(cases, dialect, "webhook_id=hook_rare, event_type=never.sent", null, "hook_rare", "never.sent", null, null, null, n);
        deliveries(cases, dialect, "status=failed, one day 15 days ago", "failed", null, null, mid - day, mid, null, n);
        deliveries(cases, dialect, "event_type=rare.thing, one day 15 days ago", null, null, "rare.thing", mid - day, mid, null, n);
        deliveries(cases, dialect, "status=failed, cursor=middle", "failed", null, null, null, null, middle, n);
        events(cases, dialect, "no filter", null, null, null, null, n);
        events(cases, dialect, "type=order.created (50%)", "order.created", null, null, null, n);
        events(cases, dialect, "type=rare.thing (0.1%)", "rare.thing", null, null, null, n);
        events(cases, dialect, "type=never.sent (none)", "never.sent", null, null, null, n);
        events(cases, dialect, "since=last day", null, d.end - day, null, null, n);
        events(cases, dialect, "until=15 days ago", null, null, mid, null, n);
        events(cases, dialect, "since+until=one day, 15 days ago", null, mid - day, mid, null, n);
        events(cases, dialect, "type=rare.thing, one day 15 days ago", "rare.thing", mid - day, mid, null, n);
        events(cases, dialect, "cursor=middle", null, null, null, d.middleEvent, n);
        events(cases, dialect, "type=invoice.paid, cursor=middle", "invoice.paid", null, null, d.middleEvent, n);
        replay(cases, dialect, "replay: a page of 1000 events of one day 15 days ago, oldest first", mid - day, mid, null);
        replay(cases, dialect, "replay: the page after the middle event", mid - day, d.end, d.middleEvent);
        cases.put("replay: deliveries of 500 of those events (has the webhook one?)", new Case() {
            public List<BoundQuery> queries(Connection c) throws SQLException {
                List<String> ids = new EventLog(dialect).oldestFirst(c, mid - day, mid, null, 500).stream().map(EventLog.Ref::id).toList();
                return List.of(Replay.deliveriesOfEvents(ids));
            }

            public int run(Connection c) throws SQLException {
                return count(c, dialect, queries(c).get(0));
            }
        });
        return cases;
    }

    static void deliveries(Map<String, Case> cases, Dialect dialect, String label, String status, String webhook, String type,
                           Long since, Long until, String cursor, int limit) {
        DeliverySearch.Filter f = new DeliverySearch.Filter(status, webhook, type, since, until);
        cases.put("GET /v1/deliveries " + label, new Case() {
            public List<BoundQuery> queries(Connection c) throws SQLException {
                return DeliverySearch.queries(c, dialect, f, cursor, limit);
            }

            public int run(Connection c) throws SQLException {
                return new DeliverySearch(dialect).search(c, f, cursor, limit).rows().size();
            }
        });
    }

    static void events(Map<String, Case> cases, Dialect dialect, String label, String type, Long since, Long until,
                       EventLog.Position cursor, int limit) {
        EventLog.Filter f = new EventLog.Filter(type, since, until);
        cases.put("GET /v1/events " + label, new Case() {
            public List<BoundQuery> queries(Connection c) throws SQLException {
                return EventLog.queries(c, dialect, f, cursor, limit);
            }

            public int run(Connection c) throws SQLException {
                return new EventLog(dialect).search(c, f, cursor, limit).rows().size();
            }
        });
    }

    static void replay(Map<String, Case> cases, Dialect dialect, String label, long since, long until, EventLog.Position after) {
        cases.put(label, new Case() {
            public List<BoundQuery> queries(Connection c) {
                return List.of(EventLog.oldestFirstQuery(since, until, after, 1000));
            }

            public int run(Connection c) throws SQLException {
                return new EventLog(dialect).oldestFirst(c, since, until, after, 1000).size();
            }
        });
    }

    static int count(Connection c, Dialect dialect, BoundQuery q) throws SQLException {
        int found = 0;
        try (PreparedStatement ps = q.prepare(c, dialect); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                found++;
            }
        }
        return found;
    }

    /**
     * The median time of the whole search (7 runs) and the plan of each query it runs (EXPLAIN ANALYZE
     * on both databases: H2's counts the rows each table read).
     */
    static void report(String kind, Dialect dialect, Connection c, String label, Case search) throws Exception {
        List<Double> times = new ArrayList<>();
        int found = 0;
        for (int i = 0; i < 7; i++) {
            if (kind.equals("h2")) {
                // A write to both tables, as a live Herald makes: else H2 answers a repeated query from
                // its last result, kept while the tables it reads are unchanged.
                try (Statement st = c.createStatement()) {
                    st.execute("UPDATE delivery SET updated_at = updated_at + 1 WHERE id = (SELECT MIN(id) FROM delivery)");
                    st.execute("UPDATE event SET created_at = created_at + 1 WHERE id = (SELECT MIN(id) FROM event)");
                }
            }
            long t = System.nanoTime();
            found = search.run(c);
            times.add((System.nanoTime() - t) / 1e6);
        }
        times.sort(Double::compare);
        System.out.printf("%n[%s] %s: %d rows, median %.1f ms (min %.1f, max %.1f of 7)%n", kind, label, found,
                times.get(3), times.get(0), times.get(6));
        for (BoundQuery q : search.queries(c)) {
            try (PreparedStatement ps = q.prepare(c, dialect, kind.equals("h2") ? "EXPLAIN ANALYZE " : "EXPLAIN (ANALYZE, BUFFERS) ");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    for (String line : rs.getString(1).split("\n")) {
                        // The replay's IN list of 500 ids, shortened.
                        System.out.println("    " + (line.length() > 300 ? line.substring(0, 300) + " ..." : line));
                    }
                }
            }
        }
    }
}
