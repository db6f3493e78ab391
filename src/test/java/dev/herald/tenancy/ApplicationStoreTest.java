package dev.herald.tenancy;

import dev.herald.error.HeraldException;
import dev.herald.store.Database;
import dev.herald.store.Ids;
import dev.herald.store.TestDatabase;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The application table's SQL on both databases: rows, uid lookups, paging, and a duplicate uid refused as 409. */
class ApplicationStoreTest {

    @TempDir
    Path tempDir;

    private final ApplicationStore store = new ApplicationStore();

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void applicationsOn(String dbKind) throws Exception {
        try (TestDatabase t = TestDatabase.open(dbKind, tempDir)) {
            Database db = t.db;
            Application acme = app("acme", Map.of("plan", "pro"));
            Application bare = app(null, Map.of());
            Application other = app(null, Map.of());
            for (Application a : List.of(acme, bare, other)) {
                db.inTransaction(c -> {
                    store.insert(c, a);
                    return null;
                });
            }
            assertThat(find(db, "acme")).contains(acme);
            assertThat(find(db, acme.id())).contains(acme);
            assertThat(find(db, bare.id())).contains(bare);
            assertThat(find(db, "nobody")).isEmpty();
            assertThat(list(db, null, 2)).containsExactly(acme, bare);
            assertThat(list(db, bare.id(), 2)).containsExactly(other);

            // A duplicate uid is 409 on field uid, and its transaction leaves nothing behind.
            Application twin = app("acme", Map.of());
            HeraldException dup = catchThrowableOfType(() -> db.inTransaction(c -> {
                store.insert(c, twin);
                return null;
            }), HeraldException.class);
            assertThat(List.of(dup.status(), dup.code(), dup.field())).isEqualTo(List.of(409, "conflict", "uid"));
            assertThat(find(db, twin.id())).isEmpty();
            Application renamed = new Application(bare.id(), "acme", "x", Map.of(), bare.createdAt(), bare.updatedAt() + 1);
            HeraldException taken = catchThrowableOfType(() -> db.inTransaction(c -> {
                store.update(c, renamed);
                return null;
            }), HeraldException.class);
            assertThat(taken.status()).isEqualTo(409);
            assertThat(find(db, bare.id())).contains(bare);

            Application changed = new Application(bare.id(), "bare.2", "Renamed", Map.of("k", "v"), bare.createdAt(),
                    bare.updatedAt() + 5);
            db.inTransaction(c -> {
                store.update(c, changed);
                return null;
            });
            assertThat(find(db, "bare.2")).contains(changed);
            assertThat(locked(db, "bare.2")).contains(changed);

            assertThat(delete(db, acme.id())).isTrue();
            assertThat(delete(db, acme.id())).isFalse();
            Optional<String> resolved = db.read(c -> Applications.resolve(c, "acme"));
            assertThat(resolved).isEmpty();
        }
    }

    private Optional<Application> find(Database db, String idOrUid) {
        return db.read(c -> store.find(c, idOrUid));
    }

    private Optional<Application> locked(Database db, String idOrUid) {
        return db.inTransaction(c -> store.findForUpdate(c, idOrUid));
    }

    private List<Application> list(Database db, String cursor, int limit) {
        return db.read(c -> store.list(c, cursor, limit));
    }

    private boolean delete(Database db, String id) {
        return db.inTransaction(c -> store.delete(c, id));
    }

    private static Application app(String uid, Map<String, String> metadata) {
        long now = System.currentTimeMillis();
        return new Application(Ids.application(), uid, "App " + uid, metadata, now, now);
    }
}
