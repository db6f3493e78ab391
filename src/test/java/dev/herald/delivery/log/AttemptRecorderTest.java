package dev.herald.delivery.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.event.EventStore;
import dev.herald.event.NewEvent;
import dev.herald.store.Database;
import dev.herald.store.TestDatabase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The attempt writer on an embedded H2 file and on PostgreSQL (where a group's rows are updated by
 * one statement over arrays): results handed over without waiting are in the log once
 * {@code flush} returns (Herald flushes before it hands its leases back on stop), and a result
 * whose lease was taken meanwhile is not written, waited for or not, alone or in a group.
 */
class AttemptRecorderTest {

    @TempDir
    Path dir;

    private TestDatabase t;
    private Database db;
    private final EventStore eventStore = new EventStore();
    private DeliveryClaims claims;
    private final DeliveryReads deliveries = new DeliveryReads();
    private AttemptLog attemptLog;

    private void open(String kind) {
        t = TestDatabase.open(kind, dir);
        db = t.db;
        claims = new DeliveryClaims(eventStore, db.dialect());
        attemptLog = new AttemptLog(db.dialect());
    }

    @AfterEach
    void close() throws Exception {
        if (t != null) {
            t.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void resultsHandedOverWithoutWaitingAreInTheLogAfterFlush(String kind) {
        open(kind);
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
            assertThat(d.statusCode()).isEqualTo(200);
            assertThat(d.deliveredAt()).isNotNull();
            List<Attempt> log = db.read(c -> attemptLog.read(c, id));
            assertThat(log).hasSize(1);
            assertThat(log.get(0).responseStatus()).isEqualTo(200);
            // The body is rendered from the event when the log is read.
            assertThat(log.get(0).requestBody()).contains("\"id\":\"evt_").contains("\"type\":\"t.e\"");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void aResultWhoseLeaseWasTakenIsNotWritten(String kind) {
        open(kind);
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

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void inOneGroupOnlyTheResultsWhoseLeaseHeldAreWritten(String kind) {
        open(kind);
        List<String> ids = leasedDeliveries(5, "tok");
        AttemptRecorder recorder = new AttemptRecorder(db, attemptLog, false);
        List<Boolean> held = List.of(true, false, true, false, true);
        for (int i = 0; i < ids.size(); i++) {
            recorder.recordLater(success(ids.get(i), held.get(i) ? "tok" : "stolen"));
        }
        // All five queued before the writer starts: one group, one transaction.
        recorder.start();
        assertThat(recorder.flush(10_000)).isTrue();

        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            Delivery d = db.read(c -> deliveries.find(c, id)).orElseThrow();
            assertThat(d.status()).as(id).isEqualTo(held.get(i) ? Delivery.SUCCESS : Delivery.PENDING);
            assertThat(d.attempts()).as(id).isEqualTo(held.get(i) ? 1 : 0);
            List<Attempt> log = db.read(c -> attemptLog.read(c, id));
            assertThat(log).as(id).hasSize(held.get(i) ? 1 : 0);
        }
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
        Attempt a = new Attempt(id, 1, Trigger.SCHEDULED, now, 3, "http://127.0.0.1:9/hook", Map.of("Content-Type", "application/json"),
                null, 200, Map.of(), "ok", null);
        return new AttemptRecord(a, token, new Outcome.Delivered(1, 200, now), now, dev.herald.subscription.Webhook.ENVELOPE);
    }
}
