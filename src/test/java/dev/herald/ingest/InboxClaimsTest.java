package dev.herald.ingest;

import dev.herald.store.TestDatabase;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The claims of inbox files between instances (table inbox_claim), on H2 and PostgreSQL: one
 * reader per file, a finished file's claim kept one timeout, a killed reader's claim taken over
 * by a peer once it expires, and at once by the same instance started again.
 */
class InboxClaimsTest {

    private static final long TIMEOUT = 1000;

    @TempDir
    Path dir;

    private final List<ScheduledExecutorService> heartbeats = new ArrayList<>();

    private InboxClaims claims(TestDatabase t, String instance) {
        heartbeats.add(Executors.newSingleThreadScheduledExecutor());
        InboxClaims c = new InboxClaims(t.db, TIMEOUT, heartbeats.get(heartbeats.size() - 1), instance, "test-host.1");
        c.start();
        return c;
    }

    /** As a kill -9 leaves it: the claims stay in the table and nobody renews them. */
    private void kill(int index) {
        heartbeats.get(index).shutdownNow();
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void oneReaderPerFileAndAKilledReadersFileIsTakenOver(String kind) throws Exception {
        try (TestDatabase t = TestDatabase.open(kind, dir)) {
            InboxClaims a = claims(t, "instance-a");
            InboxClaims b = claims(t, "instance-b");
            assertThat(a.add("one.json:10:1")).isTrue();
            assertThat(b.add("one.json:10:1")).as("held by a").isFalse();
            Thread.sleep(TIMEOUT * 2); // a renews its claim meanwhile
            assertThat(b.add("one.json:10:1")).as("still held by a, which renews it").isFalse();

            a.confirm("one.json:10:1");
            assertThat(b.add("one.json:10:1")).as("finished a moment ago: a peer that listed it skips it").isFalse();
            Thread.sleep(TIMEOUT + 200);
            assertThat(b.add("one.json:10:1")).as("the same file dropped again later is read again").isTrue();
            b.remove("one.json:10:1");

            // a is killed while reading two.json: nobody renews the claim; b takes it once it has seen
            // it expired and unchanged for a whole timeout.
            assertThat(a.add("two.json:10:1")).isTrue();
            kill(0);
            Thread.sleep(TIMEOUT + 200);
            assertThat(b.add("two.json:10:1")).as("expired, first seen so").isFalse();
            Thread.sleep(TIMEOUT + 200);
            assertThat(b.add("two.json:10:1")).as("taken over").isTrue();

            // instance-c started again (same data directory) frees its own claims of before the restart at once.
            InboxClaims killed = claims(t, "instance-c");
            assertThat(killed.add("three.json:10:1")).isTrue();
            kill(2);
            InboxClaims restarted = claims(t, "instance-c");
            assertThat(restarted.add("three.json:10:1")).isTrue();
            assertThat(b.add("three.json:10:1")).isFalse();
            b.stop();
            restarted.stop();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void afterADatabaseOutageTheReaderKeepsItsFile(String kind) throws Exception {
        try (TestDatabase t = TestDatabase.open(kind, dir)) {
            InboxClaims reader = claims(t, "reader");
            InboxClaims peer = claims(t, "peer");
            assertThat(reader.add("big.ndjson:10:1")).isTrue();
            // As after an outage longer than the timeout: nobody could renew, the claim looks expired.
            long expiredAt = System.currentTimeMillis() - 5 * TIMEOUT;
            t.db.inTransaction(c -> c.createStatement().executeUpdate("UPDATE inbox_claim SET held_until = " + expiredAt));
            assertThat(peer.add("big.ndjson:10:1")).as("expired, first seen so").isFalse();
            Thread.sleep(TIMEOUT + 200); // the reader renews meanwhile
            assertThat(peer.add("big.ndjson:10:1")).as("renewed by its reader").isFalse();
            reader.stop();
            peer.stop();
        }
    }
}
