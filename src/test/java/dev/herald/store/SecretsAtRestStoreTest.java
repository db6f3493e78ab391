package dev.herald.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.herald.signing.SecretSealer;
import dev.herald.signing.SignatureSpec;
import dev.herald.subscription.SecretRotation;
import dev.herald.subscription.StoredSecrets;
import dev.herald.subscription.Webhook;
import dev.herald.subscription.Webhook.PreviousSecret;
import dev.herald.subscription.WebhookRepository;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Secrets sealed at rest, on the embedded H2 and PostgreSQL: what the raw
 * row holds, the V4 migration of the previous secret, sealing rows at start, the rotation lock.
 */
class SecretsAtRestStoreTest {

    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String HEADER_VALUE = "Bearer tenant-token-0123456789";
    private static final long HOUR = 3_600_000L;

    @TempDir
    Path tempDir;

    static String newKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void secretsAtRestOn(String dbKind) throws Exception {
        String pgSchema = null;
        HikariConfig config = new HikariConfig();
        config.setMaximumPoolSize(4);
        config.setConnectionTimeout(5_000);
        config.setPoolName("secrets-test-" + dbKind);
        if (dbKind.equals("h2")) {
            config.setJdbcUrl("jdbc:h2:file:" + tempDir.resolve("herald") + ";DB_CLOSE_ON_EXIT=FALSE");
        } else {
            pgSchema = TestDatabase.createPostgresSchema();
            config.setJdbcUrl(TestPostgres.url(pgSchema));
            config.setUsername(TestDatabase.PG_USER);
        }
        try (HikariDataSource ds = new HikariDataSource(config)) {
            Database db = new Database(ds, Dialect.of(config.getJdbcUrl()));
            migrationMovesThePreviousSecretIntoTheList(ds, db);
            withAKeyTheRowHoldsNoPlainText(db);
            rowsStoredInPlainTextAreSealedAtStart(db);
            rotationsWaitForEachOtherAndKeepEveryPreviousSecret(db);
        } finally {
            if (pgSchema != null) {
                TestDatabase.dropPostgresSchema(pgSchema);
            }
        }
    }

    /** A database at V3 with a previous secret (with the two characters JSON escapes) migrates to V4. */
    private void migrationMovesThePreviousSecretIntoTheList(HikariDataSource ds, Database db) throws Exception {
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").target("3").load().migrate();
        long until = System.currentTimeMillis() + HOUR;
        String old = "old\"se\\cret";
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO webhook (id, url, events, secret, previous_secret,"
                    + " previous_secret_until, active, signature, payload_format, created_at, updated_at)"
                    + " VALUES (?, 'https://example.test/h', '[\"*\"]', 'cur', ?, ?, TRUE, ?, 'envelope', 1, 1)")) {
                ps.setString(1, "hook_v3");
                ps.setString(2, old);
                ps.setLong(3, until);
                ps.setString(4, SignatureSpec.defaults().toStoredJson());
                ps.executeUpdate();
                ps.setString(1, "hook_v3_none");
                ps.setString(2, null);
                ps.setNull(3, java.sql.Types.BIGINT);
                ps.executeUpdate();
            }
            return null;
        });
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        WebhookRepository plain = new WebhookRepository();
        Webhook migrated = db.read(c -> plain.find(c, "hook_v3")).orElseThrow();
        assertThat(migrated.secret()).isEqualTo("cur");
        assertThat(migrated.previousSecrets()).containsExactly(new PreviousSecret(old, until));
        assertThat(migrated.signingSecrets(until - 1)).containsExactly("cur", old);
        assertThat(migrated.signingSecrets(until)).containsExactly("cur");
        assertThat(db.read(c -> plain.find(c, "hook_v3_none")).orElseThrow().previousSecrets()).isEmpty();
        db.inTransaction(c -> plain.delete(c, "hook_v3") && plain.delete(c, "hook_v3_none"));
    }

    private void withAKeyTheRowHoldsNoPlainText(Database db) {
        WebhookRepository sealed = new WebhookRepository(new StoredSecrets(SecretSealer.fromSetting(newKey())));
        long now = System.currentTimeMillis();
        Webhook w = webhook(List.of(new PreviousSecret("prev-live-secret-1", now + HOUR),
                new PreviousSecret("prev-expired-secret-2", now - 1)), now);
        db.inTransaction(c -> {
            sealed.insert(c, w);
            return null;
        });
        String raw = rawRow(db, w.id());
        assertThat(raw).doesNotContain(SECRET).doesNotContain("MfKQ9r8G").doesNotContain(HEADER_VALUE)
                .doesNotContain("tenant-token").doesNotContain("prev-live").doesNotContain("prev-expired")
                .contains("X-Api-Key").contains("sealed:v1:");
        Webhook read = db.read(c -> sealed.find(c, w.id())).orElseThrow();
        assertThat(read.secret()).isEqualTo(SECRET);
        assertThat(read.headers()).containsExactly(Map.entry("X-Api-Key", HEADER_VALUE), Map.entry("X-Other", "v2"));
        // The expired previous secret was dropped when the row was written.
        assertThat(read.previousSecrets()).containsExactly(new PreviousSecret("prev-live-secret-1", now + HOUR));
        List<Webhook> matching = db.read(c -> sealed.activeMatching(c, "a.b"));
        assertThat(matching).extracting(Webhook::secret).containsExactly(SECRET);
        db.inTransaction(c -> sealed.delete(c, w.id()));
    }

    private void rowsStoredInPlainTextAreSealedAtStart(Database db) {
        long now = System.currentTimeMillis();
        Webhook w = webhook(List.of(new PreviousSecret("prev-live-secret-1", now + HOUR)), now);
        WebhookRepository plain = new WebhookRepository();
        db.inTransaction(c -> {
            plain.insert(c, w);
            return null;
        });
        StoredSecrets.atStart(db, "");
        assertThat(rawRow(db, w.id())).contains(SECRET).contains(HEADER_VALUE).contains("prev-live-secret-1");

        String key = newKey();
        WebhookRepository sealed = new WebhookRepository(StoredSecrets.atStart(db, key));
        String raw = rawRow(db, w.id());
        assertThat(raw).doesNotContain(SECRET).doesNotContain(HEADER_VALUE).doesNotContain("prev-live-secret-1");
        Webhook opened = db.read(c -> sealed.find(c, w.id())).orElseThrow();
        assertThat(opened).isEqualTo(w);
        // Sealing again changes nothing: sealed values are not sealed twice.
        StoredSecrets.atStart(db, key);
        assertThat(rawRow(db, w.id())).isEqualTo(raw);

        // A start without the key, or with another one, stops with a message naming the webhook.
        assertThatThrownBy(() -> StoredSecrets.atStart(db, ""))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(w.id()).hasMessageContaining("herald.secrets.key is not set");
        assertThatThrownBy(() -> StoredSecrets.atStart(db, newKey()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(w.id()).hasMessageContaining("another key");
        db.inTransaction(c -> sealed.delete(c, w.id()));
    }

    /**
     * Rotation A holds the row; rotation B must wait for A's commit and then rotate A's result.
     * Without the row lock B reads the row as it was before A and overwrites A: A's secret would
     * never sign again although its grace period lasts.
     */
    private void rotationsWaitForEachOtherAndKeepEveryPreviousSecret(Database db) throws Exception {
        WebhookRepository repo = new WebhookRepository(new StoredSecrets(SecretSealer.fromSetting(newKey())));
        SecretRotation rotation = new SecretRotation(repo);
        long now = System.currentTimeMillis();
        Webhook w = webhook(List.of(), now);
        db.inTransaction(c -> {
            repo.insert(c, w);
            return null;
        });
        ExecutorService other = Executors.newSingleThreadExecutor();
        try (Connection a = db.dataSource().getConnection()) {
            a.setAutoCommit(false);
            rotation.rotate(a, w.id(), "secret-from-a-0001", HOUR, now);
            Future<Webhook> b = other.submit(() -> db.inTransaction(c ->
                    rotation.rotate(c, w.id(), "secret-from-b-0002", HOUR, now + 1)));
            Thread.sleep(400);
            assertThat(b.isDone()).as("rotation B waits for A's row lock").isFalse();
            a.commit();
            Webhook after = b.get(10, TimeUnit.SECONDS);
            assertThat(after.signingSecrets(now + 2)).containsExactly("secret-from-b-0002", "secret-from-a-0001", SECRET);
        } finally {
            other.shutdownNow();
        }
        Webhook stored = db.read(c -> repo.find(c, w.id())).orElseThrow();
        assertThat(stored.signingSecrets(now + 2)).containsExactly("secret-from-b-0002", "secret-from-a-0001", SECRET);
        db.inTransaction(c -> repo.delete(c, w.id()));
    }

    private static Webhook webhook(List<PreviousSecret> previous, long now) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Api-Key", HEADER_VALUE);
        headers.put("X-Other", "v2");
        return new Webhook(Ids.webhook(), "https://example.test/hook", List.of("a.*"), SECRET, previous, true,
                "test", null, null, null, SignatureSpec.defaults(), Webhook.ENVELOPE, null, headers, null, null, null, now, now);
    }

    /** Every column of the webhook's row as stored, joined. */
    private static String rawRow(Database db, String id) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM webhook WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new SQLException("no row " + id);
                    }
                    StringBuilder b = new StringBuilder();
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        b.append(rs.getMetaData().getColumnName(i)).append('=').append(rs.getString(i)).append('\n');
                    }
                    return b.toString();
                }
            }
        });
    }
}
