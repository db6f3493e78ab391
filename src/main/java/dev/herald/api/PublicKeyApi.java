package dev.herald.api;

import dev.herald.error.HeraldException;
import dev.herald.signing.Ed25519Keys;
import dev.herald.signing.SignatureSpec;
import dev.herald.store.Database;
import dev.herald.subscription.Webhook;
import dev.herald.subscription.WebhookRepository;

import org.apache.camel.Exchange;
import org.apache.camel.Header;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/webhooks/{id}/public-key}: what a receiver verifies a key-pair webhook's deliveries
 * with, the current public key and those of earlier keys still signing in their grace period. Scoped
 * like reading the webhook; a webhook with a shared secret has none (409 {@code no_public_key}).
 */
public final class PublicKeyApi {

    private final VisibleWebhooks visible;

    public PublicKeyApi(Database db, WebhookRepository webhooks) {
        this.visible = new VisibleWebhooks(db, webhooks);
    }

    public ApiResponse get(Exchange exchange, @Header("id") String id) {
        Webhook w = visible.find(ScopeGuard.of(exchange), id);
        if (!w.signature().signsWithKeyPair()) {
            throw new HeraldException(409, "no_public_key", "webhook " + w.id() + " signs with " + w.signature().scheme()
                    + ", a secret shared with its receiver; only " + SignatureSpec.STANDARD_WEBHOOKS_ED25519
                    + " webhooks have a public key", null);
        }
        List<Map<String, Object>> previous = w.previousSecretsAt(System.currentTimeMillis()).stream()
                .filter(p -> Ed25519Keys.isSecretKey(p.secret()))
                .map(p -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("public_key", Ed25519Keys.publicKey(p.secret()));
                    m.put("until", Views.time(p.until()));
                    return m;
                }).toList();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("public_key", Views.publicKey(w));
        out.put("previous_public_keys", previous);
        return ApiResponse.ok(out);
    }
}
