package dev.herald.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.herald.delivery.log.DeliveryClaims;
import dev.herald.delivery.log.DeliveryReads;
import dev.herald.delivery.log.NewDelivery;
import dev.herald.event.EventStore;
import dev.herald.event.NewEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start after a kill -9 on the embedded H2: the marker left by the dead run makes the start
 * rebuild the claim index and count the attempts the log holds (a log row written without its
 * delivery's update made the next attempt's log row clash); after a clean stop nothing is touched.
 */
class CrashRepairTest {

    @TempDir
    Path dir;

    @Test
    void aStartAfterAnUncleanStopCountsTheLoggedAttemptsAndAStartAfterACleanStopTouchesNothing() throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:h2:file:" + dir.resolve("herald") + ";DB_CLOSE_ON_EXIT=FALSE");
        try (HikariDataSource ds = new HikariDataSource(config)) {
            Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
            Database db = new Database(ds, Dialect.H2_FILE);
            DeliveryClaims claims = new DeliveryClaims(new EventStore(), db.dialect());
            long now = System.currentTimeMillis();
            db.inTransaction(c -> {
                new EventStore().insertEvents(c, List.of(new NewEvent("evt_1", "t.e", now, "{}")), now);
                claims.insertDeliveries(c, List.of(new NewDelivery("dlv_1", "evt_1", "wh_1", "tok", now + 60_000)), now);
                // What the crash left: attempt 1 in the log, the delivery still at 0 attempts.
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO delivery_attempt (delivery_id, attempt,"
                        + " trigger_kind, started_at, duration_ms, url, request_headers, response_status)"
                        + " VALUES ('dlv_1', 1, 'scheduled', ?, 3, 'http://127.0.0.1:9/', '{}', 503)")) {
                    ps.setLong(1, now);
                    ps.executeUpdate();
                }
                return null;
            });
            Path marker = dir.resolve("herald.running");

            CrashRepair.onStart(ds, marker); // first start: no marker, nothing repaired
            assertThat(attempts(db)).isZero();
            assertThat(marker).exists();

            CrashRepair.onStart(ds, marker); // the marker of a run that was killed
            assertThat(attempts(db)).isEqualTo(1);
            // The claim index is there again after the rebuild (dropped and created) and holds the row.
            Integer due = db.read(c -> {
                try (var rs = c.createStatement().executeQuery(
                        "SELECT COUNT(*) FROM delivery USE INDEX (delivery_claim) WHERE status = 'pending' AND due_at > 0")) {
                    rs.next();
                    return rs.getInt(1);
                }
            });
            assertThat(due).isEqualTo(1);

            CrashRepair.onCleanStop(marker);
            assertThat(Files.exists(marker)).isFalse();
        }
    }

    /**
     * A real file: what CrashRecoveryTest's kill -9 left on 2026-11-24, copied after the second run
     * (which had repaired at its start and still failed every claim of row del_01M85YG9PCPNXEY752VJ4Z3WFW
     * for a minute) had stopped cleanly. Opened now, that row still cannot be updated; after the repair
     * it is claimed like any row. What made the repair at that run's start fall short is not known.
     */
    @Test
    void aRowTheClaimIndexNeverSawCanBeClaimedAfterTheRepair() throws Exception {
        Files.copy(Path.of("src/test/resources/h2-after-kill9/herald.mv.db"), dir.resolve("herald.mv.db"));
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:h2:file:" + dir.resolve("herald") + ";DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=1000");
        config.setUsername("sa"); // as Herald created it (herald.db.user)
        String claim = "UPDATE delivery SET lease_token = 'mine', due_at = due_at + 1 WHERE id = 'del_01M85YG9PCPNXEY752VJ4Z3WFW'";
        try (HikariDataSource ds = new HikariDataSource(config)) {
            try (var c = ds.getConnection(); var st = c.createStatement()) {
                assertThatThrownBy(() -> st.executeUpdate(claim))
                        .as("the file is broken as it was found").isInstanceOf(SQLException.class);
            }
            CrashRepair.repair(ds);
            try (var c = ds.getConnection(); var st = c.createStatement()) {
                assertThat(st.executeUpdate(claim)).isEqualTo(1);
                try (var rs = st.executeQuery("SELECT COUNT(*) FROM delivery USE INDEX (delivery_claim)"
                        + " WHERE status = 'pending' AND lease_token = 'mine'")) {
                    rs.next();
                    assertThat(rs.getInt(1)).as("and the index finds it as it is now").isEqualTo(1);
                }
            }
        }
    }

    private static int attempts(Database db) {
        return db.read(c -> new DeliveryReads().find(c, "dlv_1")).orElseThrow().attempts();
    }
}
