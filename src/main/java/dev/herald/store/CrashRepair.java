package dev.herald.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

/**
 * The embedded H2 after a kill -9. H2 can reopen with delivery's last transaction half on
 * disk: CrashRecoveryTest caught a file whose attempt row and claim-index entry were written but
 * not the delivery row's update. The index then disagrees with its table, every claim of that row
 * fails on a lock timeout, and the next attempt's log row clashes with the one written. So a start
 * that finds the previous run did not stop cleanly rebuilds the delivery indexes from the table and
 * counts the attempts the log holds. A clean stop removes the marker; the check costs nothing then.
 */
public final class CrashRepair {

    private static final Logger LOG = LoggerFactory.getLogger(CrashRepair.class);
    /**
     * The indexes on columns an UPDATE changes (a delivery's status and due time). The others index
     * columns set once at insert, in transactions Herald acknowledges only once they are on disk.
     */
    private static final String[][] INDEXES = {
            {"delivery_claim", "delivery (status, due_at)"},
    };

    private CrashRepair() {
    }

    /** Repairs when {@code marker} is left from a run that did not stop cleanly, then sets it for this run. */
    public static void onStart(DataSource ds, Path marker) {
        try {
            if (Files.exists(marker)) {
                LOG.warn("The last run did not stop cleanly ({} is there): rebuilding the delivery indexes", marker);
                repair(ds);
            }
            Files.writeString(marker, Long.toString(ProcessHandle.current().pid()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Before the pool opens a file a killed run left ({@code marker} there): open it once and close it
     * cleanly. CrashRecoveryTest saw a row that the repair at that start could not make updatable
     * (its claim stayed blocked), while the same file, opened again after a clean close, was fixed
     * by the same repair (CrashRepairTest). H2 finishes the crash recovery at a clean close.
     */
    public static void closeCleanlyIfKilled(String url, String user, String password, Path marker) {
        if (!Files.exists(marker)) {
            return;
        }
        try (Connection c = java.sql.DriverManager.getConnection(url, user, password); Statement st = c.createStatement()) {
            st.execute("SHUTDOWN");
            LOG.warn("The last run did not stop cleanly: the database was opened and closed once before the repair");
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    /** Called after a clean stop, when the database is closed. */
    public static void onCleanStop(Path marker) {
        try {
            Files.deleteIfExists(marker);
        } catch (IOException e) {
            LOG.warn("Could not remove {}: the next start repairs the indexes needlessly", marker);
        }
    }

    /** Rebuilds the delivery indexes and makes each delivery count the attempts its log holds. */
    public static void repair(DataSource ds) {
        long started = System.currentTimeMillis();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            c.setAutoCommit(true);
            for (String[] index : INDEXES) {
                st.execute("DROP INDEX IF EXISTS " + index[0]);
                st.execute("CREATE INDEX " + index[0] + " ON " + index[1]);
            }
            int counted = st.executeUpdate("UPDATE delivery d SET attempts = (SELECT MAX(a.attempt) FROM delivery_attempt a"
                    + " WHERE a.delivery_id = d.id) WHERE EXISTS (SELECT 1 FROM delivery_attempt a"
                    + " WHERE a.delivery_id = d.id AND a.attempt > d.attempts)");
            LOG.warn("Delivery indexes rebuilt; {} deliveries now count attempts their log held ({} ms)",
                    counted, System.currentTimeMillis() - started);
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }
}
