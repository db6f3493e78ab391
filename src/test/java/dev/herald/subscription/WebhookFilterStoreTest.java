package dev.herald.subscription;

import dev.herald.filter.PayloadFilter;
import dev.herald.signing.SignatureSpec;
import dev.herald.store.Ids;
import dev.herald.store.Json;
import dev.herald.store.TestDatabase;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** webhook.filter on H2 and PostgreSQL: written, read back compiled (once per text), changed and cleared. */
class WebhookFilterStoreTest {

    @TempDir
    Path tempDir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void theFilterIsStoredReadCompiledAndCleared(String kind) throws Exception {
        WebhookRepository webhooks = new WebhookRepository();
        try (TestDatabase t = TestDatabase.open(kind, tempDir)) {
            long now = System.currentTimeMillis();
            PayloadFilter filter = PayloadFilter.parse(Json.tree("{\"data.amount\": {\"$gt\": 100}}"));
            Webhook w = new Webhook(Ids.webhook(), "https://example.test/hook", List.of("order.*"), "s3cret", List.of(),
                    true, null, null, null, null, SignatureSpec.defaults(), Webhook.ENVELOPE, null, Map.of(), null, null,
                    null, now, now, null, null, filter);
            t.db.inTransaction(c -> {
                webhooks.insert(c, w);
                return null;
            });
            Webhook read = t.db.read(c -> webhooks.find(c, w.id())).orElseThrow();
            assertThat(read.filter()).isEqualTo(filter);
            Webhook matched = t.db.read(c -> webhooks.activeMatching(c, "order.paid")).get(0);
            // The second read of the same text is the compiled filter of the first: not compiled per read.
            assertThat(matched.filter()).isSameAs(read.filter());
            assertThat(matched.accepts(PayloadFilter.event("e", "order.paid", null, "{\"amount\":101}"))).isTrue();
            assertThat(matched.accepts(PayloadFilter.event("e", "order.paid", null, "{\"amount\":100}"))).isFalse();

            PayloadFilter other = PayloadFilter.parse(Json.tree("{\"type\": \"order.paid\"}"));
            Webhook changed = new WebhookRequest(null, null, n -> false).patch(read,
                    Json.tree("{\"filter\": {\"type\": \"order.paid\"}}"), now + 1);
            t.db.inTransaction(c -> {
                webhooks.update(c, changed);
                return null;
            });
            assertThat(t.db.read(c -> webhooks.find(c, w.id())).orElseThrow().filter()).isEqualTo(other);

            Webhook cleared = new WebhookRequest(null, null, n -> false).patch(changed, Json.tree("{\"filter\": null}"), now + 2);
            t.db.inTransaction(c -> {
                webhooks.update(c, cleared);
                return null;
            });
            Webhook none = t.db.read(c -> webhooks.find(c, w.id())).orElseThrow();
            assertThat(none.filter()).isNull();
            assertThat(none.accepts(PayloadFilter.event("e", "x", null, "{}"))).isTrue();
        }
    }
}
