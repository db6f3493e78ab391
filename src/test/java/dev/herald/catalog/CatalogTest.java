package dev.herald.catalog;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.herald.error.HeraldException;
import dev.herald.store.TestDatabase;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two instances on one database: each sees the other's writes once its refresh interval has
 * passed (here 0: at every event; and never, to show the copy in memory is what is used), and
 * its own at once after {@link Catalog#reload}.
 */
class CatalogTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tempDir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void anotherInstancesWritesAreSeenAfterTheRefreshInterval(String kind) throws Exception {
        try (TestDatabase t = TestDatabase.open(kind, tempDir)) {
            EventTypeRepository repo = new EventTypeRepository();
            Catalog writer = new Catalog(t.db, repo, true, 60_000);
            Catalog eager = new Catalog(t.db, repo, true, 0);
            Catalog lazy = new Catalog(t.db, repo, true, Long.MAX_VALUE);
            assertThatThrownBy(() -> lazy.check("", "inst.paid", JSON.readTree("{}"))).isInstanceOf(HeraldException.class);
            assertThatThrownBy(() -> eager.check("", "inst.paid", JSON.readTree("{}"))).isInstanceOf(HeraldException.class);

            long now = System.currentTimeMillis();
            t.db.inTransaction(c -> {
                repo.insert(c, new EventType("inst.paid", null, "{\"required\":[\"amount\"]}", null, now, now));
                return null;
            });
            writer.reload();
            assertThatThrownBy(() -> writer.check("[0].", "inst.paid", JSON.readTree("{}")))
                    .isInstanceOfSatisfying(HeraldException.class, e -> {
                        assertThat(e.code()).isEqualTo("schema_mismatch");
                        assertThat(e.field()).isEqualTo("[0].data");
                    });
            assertThatThrownBy(() -> eager.check("", "inst.paid", JSON.readTree("{}")))
                    .isInstanceOfSatisfying(HeraldException.class, e -> assertThat(e.code()).isEqualTo("schema_mismatch"));
            assertThatCode(() -> eager.check("", "inst.paid", JSON.readTree("{\"amount\":1}"))).doesNotThrowAnyException();
            // The lazy instance still has the copy it read before the insert.
            assertThatThrownBy(() -> lazy.check("", "inst.paid", JSON.readTree("{\"amount\":1}")))
                    .isInstanceOfSatisfying(HeraldException.class, e -> assertThat(e.field()).isEqualTo("type"));

            // An update (schema removed) is seen too, and archived types stay accepted.
            t.db.inTransaction(c -> repo.update(c, new EventType("inst.paid", "d", null, now + 1, now, now + 1)));
            assertThatCode(() -> eager.check("", "inst.paid", JSON.readTree("{}"))).doesNotThrowAnyException();
            assertThat(eager.activeNames()).doesNotContain("inst.paid");
            lazy.reload();
            assertThatCode(() -> lazy.check("", "inst.paid", JSON.readTree("{}"))).doesNotThrowAnyException();
        }
    }

    @Test
    void notStrictLetsUnknownTypesThrough() throws Exception {
        try (TestDatabase t = TestDatabase.open("h2", tempDir)) {
            Catalog lenient = new Catalog(t.db, new EventTypeRepository(), false, 0);
            assertThatCode(() -> lenient.check("", "any.type", JSON.readTree("{}"))).doesNotThrowAnyException();
        }
    }
}
