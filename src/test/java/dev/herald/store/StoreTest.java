package dev.herald.store;

import dev.herald.delivery.log.Trigger;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.herald.delivery.log.Attempt;
import dev.herald.delivery.log.AttemptLog;
import dev.herald.delivery.log.AttemptRecord;
import dev.herald.delivery.log.DeliveryClaims;
import dev.herald.delivery.log.DeliveryClaims.Claimed;
import dev.herald.delivery.log.NewDelivery;
import dev.herald.delivery.log.Outcome;
import dev.herald.event.EventStore;
import dev.herald.event.NewEvent;
import dev.herald.signing.SignatureSpec;
import dev.herald.subscription.Webhook;
import dev.herald.subscription.WebhookRepository;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs the repositories' SQL against both supported databases: an embedded H2 file database and,
 * PostgreSQL ({@link TestPostgres}, in a throwaway schema).
 */
class StoreTest {

    private static final long LEASE_MS = 60_000;

    @TempDir
    Path tempDir;

    private final WebhookRepository webhooks = new WebhookRepository();
    private final EventStore events = new EventStore();
    private AttemptLog attemptLog;
    private DeliveryClaims claims;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void storeWorksOn(String dbKind) throws Exception {
        try (TestDatabase t = TestDatabase.open(dbKind, tempDir)) {
            claims = new DeliveryClaims(events, t.db.dialect());
            attemptLog = new AttemptLog(t.db.dialect());
            runChecks(t.db);
        }
    }

    private void runChecks(Database db) throws Exception {
        long t0 = System.currentTimeMillis();

        // 1. Fan-out lookup: prefix pattern matches, other type and inactive webhook do not.
        Webhook project = webhook(List.of("project.*"), true, t0);
        Webhook other = webhook(List.of("other.x"), true, t0);
        Webhook inactive = webhook(List.of("*"), false, t0);
        db.inTransaction(c -> {
            webhooks.insert(c, project);
            webhooks.insert(c, other);
            webhooks.insert(c, inactive);
            return null;
        });
        List<Webhook> matching = db.read(c -> webhooks.activeMatching(c, "project.created"));
        assertThat(matching).extracting(Webhook::id).containsExactly(project.id());
        assertThat(matching.get(0).events()).containsExactly("project.*");
        assertThat(matching.get(0).signature()).isEqualTo(SignatureSpec.defaults());

        // 2. An event and its fan-out commit together.
        NewEvent event = new NewEvent(Ids.event(), "project.created", t0, "{\"n\":1}");
        List<String> deliveryIds = insertEventWithDeliveries(db, event, project.id(), 3);
        Set<String> existing = db.read(c -> events.existingEventIds(c, List.of(event.id(), "evt_missing")));
        assertThat(existing).containsExactly(event.id());

        // 3. Claiming: leases keep claimed rows from being claimed again.
        List<Claimed> first = db.inTransaction(c ->
                claims.claimDue(c, now(), 2, now() + LEASE_MS, tokens("inst1")));
        assertThat(first).hasSize(2);
        assertThat(first).extracting(Claimed::leaseToken).containsExactlyInAnyOrder("inst1:1", "inst1:2");
        List<Claimed> second = db.inTransaction(c ->
                claims.claimDue(c, now(), 2, now() + LEASE_MS, tokens("inst2")));
        assertThat(second).extracting(Claimed::leaseToken).containsExactly("inst2:1");
        List<String> claimed = new ArrayList<>();
        first.forEach(t -> claimed.add(t.deliveryId()));
        second.forEach(t -> claimed.add(t.deliveryId()));
        assertThat(claimed).containsExactlyInAnyOrderElementsOf(deliveryIds);
        List<Claimed> third = db.inTransaction(c ->
                claims.claimDue(c, now(), 2, now() + LEASE_MS, tokens("inst3")));
        assertThat(third).isEmpty();

        // 3b. SKIP LOCKED (PostgreSQL, where instances share a database): rows locked by an open
        // claim are neither taken nor waited on by a peer. An embedded H2 file has one process.
        boolean h2;
        try (Connection probe = db.dataSource().getConnection()) {
            h2 = probe.getMetaData().getURL().startsWith("jdbc:h2:");
        }
        NewEvent event2 = new NewEvent(Ids.event(), "project.created", t0, "{\"n\":2}");
        List<String> freshIds = insertEventWithDeliveries(db, event2, project.id(), 3);
        ExecutorService executor = Executors.newSingleThreadExecutor();
        if (!h2) {
        try (Connection a = db.dataSource().getConnection()) {
            a.setAutoCommit(false);
            try {
                List<Claimed> held = claims.claimDue(a, now(), 10, now() + LEASE_MS, tokens("instA"));
                assertThat(held).extracting(Claimed::deliveryId).containsExactlyInAnyOrderElementsOf(freshIds);

                Future<List<Claimed>> peer = executor.submit(() -> db.inTransaction(b ->
                        claims.claimDue(b, now(), 10, now() + LEASE_MS, tokens("instB"))));
                List<Claimed> peerTickets;
                try {
                    peerTickets = peer.get(5, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    peer.cancel(true);
                    fail("claimDue on a second connection blocked on rows locked by an open transaction"
                            + " (FOR UPDATE SKIP LOCKED not honoured)");
                    return;
                }
                assertThat(peerTickets).extracting(Claimed::deliveryId).doesNotContainAnyElementsOf(freshIds);
                assertThat(peerTickets).isEmpty();
            } finally {
                a.rollback();
            }
        } finally {
            executor.shutdownNow();
        }
        }
        // After A's rollback (or, on H2, untouched) the rows are free.
        List<Claimed> afterRollback = db.inTransaction(c ->
                claims.claimDue(c, now(), 10, now() + LEASE_MS, tokens("instB")));
        assertThat(afterRollback).extracting(Claimed::deliveryId).containsExactlyInAnyOrderElementsOf(freshIds);

        // 4. An attempt is recorded only with the lease token held.
        Claimed mine = first.get(0);
        long started = now();
        Attempt attempt = new Attempt(mine.deliveryId(), 1, Trigger.SCHEDULED, started, 42, "https://example.test/hook",
                Map.of("Content-Type", "application/json"), "{\"n\":1}", 500,
                Map.of("X-Reply", "no"), "oops", "HTTP 500");
        Outcome retry = new Outcome.Retry(1, 500, "HTTP 500", started + 1_000);
        boolean recordedOk = db.inTransaction(c -> record(c, attempt, mine.leaseToken(), retry));
        assertThat(recordedOk).isTrue();
        List<Attempt> recorded = db.read(c -> attemptLog.read(c, mine.deliveryId()));
        assertThat(recorded).hasSize(1);
        Attempt got = recorded.get(0);
        assertThat(got.attempt()).isEqualTo(1);
        assertThat(got.trigger()).isEqualTo(Trigger.SCHEDULED);
        assertThat(got.durationMs()).isEqualTo(42);
        assertThat(got.requestHeaders()).containsEntry("Content-Type", "application/json");
        assertThat(got.responseStatus()).isEqualTo(500);
        assertThat(got.responseHeaders()).containsEntry("X-Reply", "no");
        assertThat(got.responseBody()).isEqualTo("oops");
        assertThat(got.error()).isEqualTo("HTTP 500");
        assertThat(db.read(c -> claims.workState(c, mine.deliveryId())).orElseThrow().attempts()).isEqualTo(1);

        Claimed theirs = first.get(1);
        Attempt stolen = new Attempt(theirs.deliveryId(), 1, Trigger.SCHEDULED, started, 1, "https://example.test/hook",
                Map.of(), "{}", 200, Map.of(), "", null);
        Outcome success = new Outcome.Delivered(1, 200, started);
        boolean stolenOk = db.inTransaction(c -> record(c, stolen, "inst9:1", success));
        assertThat(stolenOk).isFalse();
        List<Attempt> none = db.read(c -> attemptLog.read(c, theirs.deliveryId()));
        assertThat(none).isEmpty();
        assertThat(db.read(c -> claims.workState(c, theirs.deliveryId())).orElseThrow().status())
                .isEqualTo("pending");

        // 5. Releasing one instance's leases leaves the others' alone (the retried row's lease ended
        // with its attempt: only the other one is still inst1's).
        int released = db.inTransaction(c -> claims.releaseLeases(c, "inst1:%"));
        assertThat(released).isEqualTo(1);
        for (Claimed t : first) {
            assertThat(leaseToken(db, t.deliveryId())).as("lease of %s", t.deliveryId()).isNull();
        }
        assertThat(leaseToken(db, second.get(0).deliveryId())).isEqualTo("inst2:1");
        for (Claimed t : afterRollback) {
            assertThat(leaseToken(db, t.deliveryId())).startsWith("instB:");
        }
        // Released rows are claimable again once due: the untouched one at once, the retried one
        // only after its next_attempt_at (started + 1 s); rows still leased by inst2/instB stay put.
        List<Claimed> reclaimed = db.inTransaction(c ->
                claims.claimDue(c, now(), 10, now() + LEASE_MS, tokens("inst4")));
        assertThat(reclaimed).extracting(Claimed::deliveryId).containsExactly(theirs.deliveryId());
        List<Claimed> later = db.inTransaction(c ->
                claims.claimDue(c, started + 5_000, 10, started + LEASE_MS, tokens("inst5")));
        assertThat(later).extracting(Claimed::deliveryId).containsExactly(mine.deliveryId());
    }

    private boolean record(Connection c, Attempt attempt, String heldToken, Outcome outcome) throws SQLException {
        return attemptLog.record(c, List.of(new AttemptRecord(attempt, heldToken, outcome, now())))[0];
    }

    private List<String> insertEventWithDeliveries(Database db, NewEvent event, String webhookId, int count) {
        List<NewDelivery> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            rows.add(new NewDelivery(Ids.delivery(), event.id(), webhookId, null, null));
        }
        long at = now();
        db.inTransaction(c -> {
            events.insertEvents(c, List.of(event), at);
            claims.insertDeliveries(c, rows, at);
            return null;
        });
        return rows.stream().map(NewDelivery::id).toList();
    }

    private String leaseToken(Database db, String deliveryId) {
        return db.read(c -> claims.workState(c, deliveryId)).orElseThrow().leaseToken();
    }

    private static Webhook webhook(List<String> events, boolean active, long now) {
        return new Webhook(Ids.webhook(), "https://example.test/hook", events, "s3cret", List.of(), active,
                "test", null, null, null, SignatureSpec.defaults(), Webhook.ENVELOPE, null, Map.of(), null, null, null, now, now);
    }

    private static Supplier<String> tokens(String instance) {
        AtomicInteger n = new AtomicInteger();
        return () -> instance + ":" + n.incrementAndGet();
    }

    private static long now() {
        return System.currentTimeMillis();
    }
}
