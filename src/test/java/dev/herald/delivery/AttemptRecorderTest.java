package dev.herald.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.herald.event.EventStore;
import dev.herald.event.NewEvent;
import dev.herald.store.Database;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attempt writer on an embedded H2 file: results handed over without waiting are in the
 * log once {@code flush} returns (Herald flushes before it hands its leases back on stop), and
 * a result whose lease was taken meanwhile is not written, waited for or not.
 */
class AttemptRecorderTest {

    @TempDir
    Path dir;

    private HikariDataSource ds;
    private Database db;
    private final EventStore eventStore = new EventStore();
    private final DeliveryClaims claims = new DeliveryClaims(eventStore, false);
    private final DeliveryReads deliveries = new DeliveryReads();
    private final AttemptLog attemptLog = new AttemptLog();

    @BeforeEach
    void database() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:h2:file:" + dir.resolve("herald") + ";DB_CLOSE_ON_EXIT=FALSE");
        config.setMaximumPoolSize(4);
        ds = new HikariDataSource(config);
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        db = new Database(ds);
    }

    @AfterEach
    void close() {
        ds.close();
    }

    @Test
    void resultsHandedOverWithoutWaitingAreInTheLogAfterFlush() {
        List<String> ids = leasedDeliveries(300, "tok");
        AttemptRecorder recorder = new AttemptRecorder(db, attemptLog);
        for (String id : ids) {
            recorder.recordLater(success(id, "tok"));
        }
        assertThat(recorder.flush(10_000)).isTrue();

        for (String id : ids) {
            Delivery d = db.read(c -> deliveries.find(c, id)).orElseThrow();
            assertThat(d.status()).as(id).isEqualTo(Delivery.SUCCESS);
            assertThat(d.attempts()).isEqualTo(1);
            List<Attempt> log = db.read(c -> attemptLog.read(c, id));
            assertThat(log).hasSize(1);
            assertThat(log.get(0).responseStatus()).isEqualTo(200);
            // The body is rendered from the event when the log is read.
            assertThat(log.get(0).requestBody()).contains("\"id\":\"evt_").contains("\"type\":\"t.e\"");
        }
    }

    @Test
    void aResultWhoseLeaseWasTakenIsNotWritten() {
        List<String> ids = leasedDeliveries(2, "tok");
        AttemptRecorder recorder = new AttemptRecorder(db, attemptLog);
        // Another owner holds the rows now (a manual retry, a claim after the lease ran out).
        assertThat(recorder.record(success(ids.get(0), "stolen"))).isFalse();
        recorder.recordLater(success(ids.get(1), "stolen"));
        assertThat(recorder.flush(10_000)).isTrue();

        for (String id : ids) {
            assertThat(db.read(c -> deliveries.find(c, id)).orElseThrow().status()).isEqualTo(Delivery.PENDING);
            List<Attempt> log = db.read(c -> attemptLog.read(c, id));
            assertThat(log).isEmpty();
        }
        assertThat(recorder.record(success(ids.get(0), "tok"))).isTrue();
    }

    private List<String> leasedDeliveries(int n, String token) {
        long now = System.currentTimeMillis();
        List<NewEvent> events = new ArrayList<>();
        List<NewDelivery> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            events.add(new NewEvent("evt_" + i, "t.e", now, "{\"i\":" + i + "}"));
            rows.add(new NewDelivery("dlv_" + i, "evt_" + i, "wh_1", token, now + 60_000));
        }
        db.inTransaction(c -> {
            eventStore.insertEvents(c, events, now);
            claims.insertDeliveries(c, rows, now);
            return null;
        });
        return rows.stream().map(NewDelivery::id).toList();
    }

    private static AttemptRecord success(String id, String token) {
        long now = System.currentTimeMillis();
        Attempt a = new Attempt(id, 1, "scheduled", now, 3, "http://127.0.0.1:9/hook", Map.of("Content-Type", "application/json"),
                null, 200, Map.of(), "ok", null);
        return new AttemptRecord(a, token, new Outcome(Delivery.SUCCESS, 1, 200, null, null, null, null, now), now, dev.herald.subscription.Webhook.ENVELOPE);
    }
}
