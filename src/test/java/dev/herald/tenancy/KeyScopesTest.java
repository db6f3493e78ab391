package dev.herald.tenancy;

import dev.herald.store.TestDatabase;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The key cache on a clock of its own, against the real tables (H2 and PostgreSQL): a key deleted
 * behind its back (another instance's revocation) keeps working only until it is read again,
 * {@link KeyScopes#RECHECK_MS} after the last read; a key made behind its back works once the
 * remembered absence is {@link KeyScopes#ABSENT_MS} old; expiry is exact; a revocation here is at once.
 */
class KeyScopesTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aKeyRevokedElsewhereStopsWithinTheRecheckAndExpiryIsExact(String kind) throws Exception {
        try (TestDatabase t = TestDatabase.open(kind, dir)) {
            AtomicLong now = new AtomicLong(1_000_000);
            KeyScopes scopes = new KeyScopes(t.db, now::get);
            application(t, "app_1");
            ApiKeyStore.Created key = t.db.inTransaction(c -> ApiKeyStore.create(c, "app_1", "k", true, now.get(), now.get() + 10_000));
            assertThat(key.value()).startsWith("hk_").hasSize(46);

            Optional<Scope.OfApplication> scope = scopes.scope(key.value());
            assertThat(scope).contains(new Scope.OfApplication("app_1", key.key().id(), true));

            // Revoked by another instance: this one still holds it until the recheck, then refuses it.
            t.db.inTransaction(c -> ApiKeyStore.revoke(c, "app_1", key.key().id()));
            now.addAndGet(KeyScopes.RECHECK_MS - 1);
            assertThat(scopes.scope(key.value())).as("within the recheck: remembered").isPresent();
            now.addAndGet(1);
            assertThat(scopes.scope(key.value())).as("at the recheck: read again, gone").isEmpty();

            // Made elsewhere while remembered as absent: works once the absence is ABSENT_MS old.
            String later = "hk_" + "Q".repeat(43);
            assertThat(scopes.scope(later)).isEmpty();
            t.db.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO api_key (id, application_id, key_hash, key_hint,"
                        + " read_only, created_at) VALUES ('key_later', 'app_1', ?, 'QQQQ', FALSE, 0)")) {
                    ps.setString(1, ApiKeyStore.hash(later));
                    return ps.executeUpdate();
                }
            });
            now.addAndGet(KeyScopes.ABSENT_MS - 1);
            assertThat(scopes.scope(later)).as("absence still remembered").isEmpty();
            now.addAndGet(1);
            assertThat(scopes.scope(later)).contains(new Scope.OfApplication("app_1", "key_later", false));

            ApiKeyStore.Created other = t.db.inTransaction(c -> ApiKeyStore.create(c, "app_1", null, false, now.get(), now.get() + 5_000));
            long made = now.get();
            assertThat(scopes.scope(other.value())).isPresent();
            assertThat(scopes.scope(other.value().substring(0, 45) + (other.value().endsWith("A") ? "B" : "A"))).isEmpty();

            // Expiry at expires_at exactly, cached or not.
            now.set(made + 4_999);
            assertThat(scopes.scope(other.value())).isPresent();
            now.set(made + 5_000);
            assertThat(scopes.scope(other.value())).isEmpty();

            // A revocation on this instance is at once.
            ApiKeyStore.Created third = t.db.inTransaction(c -> ApiKeyStore.create(c, "app_1", null, false, now.get(), null));
            assertThat(scopes.scope(third.value())).isPresent();
            t.db.inTransaction(c -> ApiKeyStore.revoke(c, "app_1", third.key().id()));
            scopes.forgetKey(third.key().id());
            assertThat(scopes.scope(third.value())).isEmpty();

            // Not shaped like a key: refused without a read.
            assertThat(scopes.scope("hk_short")).isEmpty();
            assertThat(scopes.scope("xx_" + third.value().substring(3))).isEmpty();
        }
    }

    @org.junit.jupiter.api.Test
    void aFloodOfMadeUpKeysDoesNotPushOutTheKeysInUse() throws Exception {
        try (TestDatabase t = TestDatabase.open("h2", dir)) {
            AtomicLong now = new AtomicLong(1_000_000);
            KeyScopes scopes = new KeyScopes(t.db, now::get, 100);
            application(t, "app_1");
            ApiKeyStore.Created key = t.db.inTransaction(c -> ApiKeyStore.create(c, "app_1", "k", false, now.get(), null));
            assertThat(scopes.scope(key.value())).isPresent();
            // Revoked behind the cache's back: only a fresh read would notice, within the recheck.
            t.db.inTransaction(c -> ApiKeyStore.revoke(c, "app_1", key.key().id()));
            for (int i = 0; i < 250; i++) {
                assertThat(scopes.scope("hk_" + String.format("%043d", i))).isEmpty();
            }
            assertThat(scopes.scope(key.value())).as("still cached after the flood: not read again").isPresent();
            now.addAndGet(KeyScopes.RECHECK_MS);
            assertThat(scopes.scope(key.value())).isEmpty();
        }
    }

    private static void application(TestDatabase t, String id) {
        t.db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO application (id, name, created_at, updated_at) VALUES (?, ?, 0, 0)")) {
                ps.setString(1, id);
                ps.setString(2, id);
                return ps.executeUpdate();
            }
        });
    }
}
