package dev.herald.delivery.log;

import dev.herald.delivery.log.DeliveryClaims.Claimed;
import dev.herald.store.Dialect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.event.EventStore;
import dev.herald.event.NewEvent;
import dev.herald.store.Database;
import dev.herald.store.TestDatabase;
import dev.herald.subscription.Webhook;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Nothing a receiver sends can break recording, on H2 and on PostgreSQL (which refuses NUL in
 * text): its bytes are stored sanitized, a result the database refuses is written one by one
 * and degraded while the rest of its group commits, and a database that is away is not
 * hammered. The results are queued before the writer starts, so each case is one group.
 */
class AttemptRecordingTest {

    private static final String TOKEN = "tok";
    private static final String URL = "http://127.0.0.1:9/hook";

    @TempDir
    Path dir;

    private final EventStore eventStore = new EventStore();
    private final DeliveryReads deliveries = new DeliveryReads();
    /** For the database open(kind) opened. */
    private DeliveryClaims claims;
    private AttemptLog attemptLog;

    private TestDatabase open(String kind) {
        TestDatabase t = TestDatabase.open(kind, dir);
        claims = new DeliveryClaims(eventStore, t.db.dialect());
        attemptLog = new AttemptLog(t.db.dialect());
        return t;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void receiverBytesAreStoredSanitized(String kind) throws Exception {
        try (TestDatabase t = open(kind)) {
            List<String> ids = leasedDeliveries(t.db, 4);
            long now = System.currentTimeMillis();
            Map<String, String> oddHeaders = new LinkedHashMap<>();
            oddHeaders.put("X-Odd", "a\u0001b\u0000");
            oddHeaders.put("X-Nul\u0000Name", "v");
            oddHeaders.put("Content-Type", "text/plain");
            AttemptRecorder recorder = new AttemptRecorder(t.db, attemptLog, false);
            // NUL, invalid UTF-8 as the decoder left it (U+FFFD), a control, an unpaired surrogate.
            recorder.recordLater(success(ids.get(0), attempt(ids.get(0), 200, oddHeaders, "ok\u0000x\uFFFD(\u0001!\uD800", null)));
            recorder.recordLater(new AttemptRecord(attempt(ids.get(1), 500, Map.of("X-A", "b"), "bad\u0000", "HTTP 500"),
                    TOKEN, new Outcome.Retry(1, 500, "HTTP 500", now + 60_000), now, Webhook.ENVELOPE));
            recorder.recordLater(success(ids.get(2), attempt(ids.get(2), 200, Map.of(), "clean", null)));
            String wireError = "connection reset: peer said \u0000\u001b[31m";
            recorder.recordLater(new AttemptRecord(attempt(ids.get(3), null, null, null, wireError), TOKEN,
                    new Outcome.Failed(1, null, wireError), now, Webhook.ENVELOPE));
            recorder.start();
            assertThat(recorder.flush(10_000)).isTrue();

            Delivery d0 = delivery(t.db, ids.get(0));
            assertThat(d0.status()).isEqualTo(Delivery.SUCCESS);
            assertThat(d0.attempts()).isEqualTo(1);
            Attempt a0 = onlyAttempt(t.db, ids.get(0));
            assertThat(a0.responseBody()).isEqualTo("ok\uFFFDx\uFFFD(\uFFFD!\uFFFD");
            assertThat(a0.responseHeaders()).containsExactly(Map.entry("X-Odd", "a\uFFFDb\uFFFD"),
                    Map.entry("X-Nul\uFFFDName", "v"), Map.entry("Content-Type", "text/plain"));

            Delivery d1 = delivery(t.db, ids.get(1));
            assertThat(d1.status()).isEqualTo(Delivery.PENDING);
            assertThat(d1.attempts()).isEqualTo(1);
            assertThat(d1.nextAttemptAt()).isEqualTo(now + 60_000);
            assertThat(onlyAttempt(t.db, ids.get(1)).responseBody()).isEqualTo("bad\uFFFD");

            assertThat(delivery(t.db, ids.get(2)).status()).isEqualTo(Delivery.SUCCESS);
            assertThat(onlyAttempt(t.db, ids.get(2)).responseBody()).isEqualTo("clean");

            Delivery d3 = delivery(t.db, ids.get(3));
            assertThat(d3.status()).isEqualTo(Delivery.FAILED);
            assertThat(d3.error()).isEqualTo("connection reset: peer said \uFFFD\uFFFD[31m");
            assertThat(onlyAttempt(t.db, ids.get(3)).error()).isEqualTo(d3.error());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void aResultTheDatabaseRefusesIsWrittenAloneAndDegradedWhileTheOthersCommit(String kind) throws Exception {
        try (TestDatabase t = open(kind)) {
            List<String> ids = leasedDeliveries(t.db, 6);
            long now = System.currentTimeMillis();
            // Its attempt 1 is in the log already: the attempt row fails with or without the response.
            t.db.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO delivery_attempt (delivery_id, attempt,"
                        + " trigger_kind, started_at, duration_ms, url, request_headers) VALUES (?, 1, 'scheduled', ?, 1, ?, '{}')")) {
                    ps.setString(1, ids.get(3));
                    ps.setLong(2, now);
                    ps.setString(3, URL);
                    return ps.executeUpdate();
                }
            });
            Map<String, String> unwritable = new LinkedHashMap<>();
            unwritable.put(null, "a header JSON cannot hold");

            AttemptRecorder recorder = new AttemptRecorder(t.db, attemptLog, false);
            recorder.recordLater(success(ids.get(0), attempt(ids.get(0), 200, Map.of(), "ok", null)));
            recorder.recordLater(success(ids.get(1), attempt(ids.get(1), 200, Map.of(), "ok", null)));
            recorder.recordLater(success(ids.get(2), attempt(ids.get(2), 200, unwritable, "secret body", null)));
            recorder.recordLater(new AttemptRecord(attempt(ids.get(3), 503, Map.of(), "busy", "HTTP 503"), TOKEN,
                    new Outcome.Retry(1, 503, "HTTP 503", now + 30_000), now, Webhook.ENVELOPE));
            recorder.recordLater(success(ids.get(4), attempt(ids.get(4), 200, Map.of(), "ok", null)));
            // Another owner holds this one: not written, as in a group.
            recorder.recordLater(new AttemptRecord(attempt(ids.get(5), 200, Map.of(), "ok", null), "stolen",
                    new Outcome.Delivered(1, 200, now), now, Webhook.ENVELOPE));
            recorder.start();
            assertThat(recorder.flush(10_000)).isTrue();

            for (int i : new int[] {0, 1, 4}) {
                assertThat(delivery(t.db, ids.get(i)).status()).as(ids.get(i)).isEqualTo(Delivery.SUCCESS);
                assertThat(onlyAttempt(t.db, ids.get(i)).responseBody()).isEqualTo("ok");
            }
            // Without its response, with a note saying why.
            Delivery d2 = delivery(t.db, ids.get(2));
            assertThat(d2.status()).isEqualTo(Delivery.SUCCESS);
            assertThat(d2.attempts()).isEqualTo(1);
            Attempt a2 = onlyAttempt(t.db, ids.get(2));
            assertThat(a2.responseStatus()).isEqualTo(200);
            assertThat(a2.responseHeaders()).isNull();
            assertThat(a2.responseBody()).isEqualTo("[response not stored: IllegalStateException]");
            // Only the delivery's state: it is not sent again before its next attempt time.
            Delivery d3 = delivery(t.db, ids.get(3));
            assertThat(d3.status()).isEqualTo(Delivery.PENDING);
            assertThat(d3.attempts()).isEqualTo(1);
            assertThat(d3.statusCode()).isEqualTo(503);
            assertThat(d3.nextAttemptAt()).isEqualTo(now + 30_000);
            assertThat(d3.error()).isEqualTo("[attempt not stored: SQLState 23505 (duplicate key)]");
            assertThat(onlyAttempt(t.db, ids.get(3)).responseStatus()).as("the attempt row there before").isNull();
            List<Claimed> due = t.db.read(c -> claims.claimDue(c, now + 1_000, 10, now + 60_000, () -> "claim"));
            assertThat(due).as("nothing is due again").isEmpty();
            // The stolen one is as it was.
            assertThat(delivery(t.db, ids.get(5)).status()).isEqualTo(Delivery.PENDING);
            List<Attempt> none = t.db.read(c -> attemptLog.read(c, ids.get(5)));
            assertThat(none).isEmpty();
        }
    }

    /** The database away: one try per group (not one per result), then a pause, not a spin. */
    @Test
    void aDatabaseAwayIsNotTriedResultByResult() throws Exception {
        List<Long> tries = new CopyOnWriteArrayList<>();
        DataSource away = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        tries.add(System.nanoTime());
                        throw new SQLTransientConnectionException("pool - Connection is not available", "08001");
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        AttemptRecorder recorder = new AttemptRecorder(new Database(away, Dialect.H2_FILE), new AttemptLog(Dialect.H2_FILE), false);
        for (int i = 0; i < 10; i++) {
            recorder.recordLater(success("dlv_" + i, attempt("dlv_" + i, 200, Map.of(), "ok", null)));
        }
        recorder.start();
        Waiting.until(5_000, () -> tries.size() == 1);
        recorder.recordLater(success("dlv_x", attempt("dlv_x", 200, Map.of(), "ok", null)));
        Waiting.until(5_000, () -> tries.size() == 2);
        Thread.sleep(200);
        assertThat(tries).as("one try per group").hasSize(2);
        assertThat((tries.get(1) - tries.get(0)) / 1_000_000).as("the writer paused before the next group")
                .isGreaterThanOrEqualTo(900);
    }

    private List<String> leasedDeliveries(Database db, int n) {
        long now = System.currentTimeMillis();
        List<NewEvent> events = new ArrayList<>();
        List<NewDelivery> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            events.add(new NewEvent("evt_" + i, "t.e", now, "{\"i\":" + i + "}"));
            rows.add(new NewDelivery("dlv_" + i, "evt_" + i, "wh_1", TOKEN, now + 60_000));
        }
        db.inTransaction(c -> {
            eventStore.insertEvents(c, events, now);
            claims.insertDeliveries(c, rows, now);
            return null;
        });
        return rows.stream().map(NewDelivery::id).toList();
    }

    private static Attempt attempt(String id, Integer status, Map<String, String> headers, String body, String error) {
        return new Attempt(id, 1, Trigger.SCHEDULED, System.currentTimeMillis(), 3, URL, Map.of("Content-Type", "application/json"),
                null, status, headers, body, error);
    }

    private static AttemptRecord success(String id, Attempt a) {
        long now = System.currentTimeMillis();
        return new AttemptRecord(a, TOKEN, new Outcome.Delivered(1, 200, now), now,
                Webhook.ENVELOPE);
    }

    private Delivery delivery(Database db, String id) {
        return db.read(c -> deliveries.find(c, id)).orElseThrow();
    }

    private Attempt onlyAttempt(Database db, String id) {
        List<Attempt> log = db.read(c -> attemptLog.read(c, id));
        assertThat(log).as(id).hasSize(1);
        return log.get(0);
    }

    /** Polls a condition. */
    private static final class Waiting {
        static void until(long millis, BooleanSupplier condition) throws InterruptedException {
            long end = System.nanoTime() + millis * 1_000_000;
            while (!condition.getAsBoolean()) {
                assertThat(System.nanoTime()).as("condition met in time").isLessThan(end);
                Thread.sleep(10);
            }
        }
    }
}
