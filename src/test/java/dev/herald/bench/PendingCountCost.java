package dev.herald.bench;

import dev.herald.store.TestDatabase;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * What one count of herald_deliveries_pending (dev.herald.metrics.PendingCount) costs with a large
 * backlog: N pending deliveries, the exact query, timed a few times, on H2 and PostgreSQL.
 * <pre>
 * mvn -B -q test-compile org.codehaus.mojo:exec-maven-plugin:3.5.0:java \
 *     -Dexec.mainClass=dev.herald.bench.PendingCountCost -Dexec.classpathScope=test [-Dpending.rows=1000000]
 * </pre>
 */
public final class PendingCountCost {

    public static void main(String[] args) throws Exception {
        int rows = Integer.getInteger("pending.rows", 1_000_000);
        for (String kind : System.getProperty("pending.db", "h2,postgresql").split(",")) {
            TestDatabase db;
            try {
                db = TestDatabase.open(kind, Files.createTempDirectory("herald-pending"));
            } catch (RuntimeException e) {
                System.out.println("[pending] " + kind + ": not available (" + e.getMessage() + ")");
                continue;
            }
            try (db; Connection c = db.db.dataSource().getConnection(); Statement s = c.createStatement()) {
                String range = db.isPostgres() ? "generate_series(1, " + rows + ") AS r(x)" : "SYSTEM_RANGE(1, " + rows + ") AS r(x)";
                s.execute("INSERT INTO event (id, type, created_at, data, received_at) SELECT 'evt_' || x, 'order.created', x, '{}', x FROM " + range);
                s.execute("INSERT INTO delivery (id, event_id, webhook_id, status, attempts, due_at, created_at, updated_at)"
                        + " SELECT 'del_' || x, 'evt_' || x, 'hook_a', 'pending', 0, x, x, x FROM " + range);
                if (db.isPostgres()) {
                    s.execute("VACUUM ANALYZE delivery");
                }
                for (int i = 0; i < 5; i++) {
                    // A row changes between counts, as on a live system (H2 would answer an unchanged table from its cache).
                    s.executeUpdate("UPDATE delivery SET attempts = attempts + 1 WHERE id = 'del_" + (i + 1) + "'");
                    long t = System.nanoTime();
                    try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM delivery WHERE status = 'pending'")) {
                        rs.next();
                        System.out.printf("[pending] %s: %,d pending counted in %.1f ms%n", kind, rs.getLong(1),
                                (System.nanoTime() - t) / 1e6);
                    }
                }
            }
        }
    }
}
