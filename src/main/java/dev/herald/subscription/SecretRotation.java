package dev.herald.subscription;

import dev.herald.error.HeraldException;
import dev.herald.subscription.Webhook.PreviousSecret;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Replaces a webhook's signing secret. The replaced secret keeps signing for the grace period,
 * and so does every earlier one until its own expiry, so rotating twice within a grace period
 * leaves receivers that still know either old secret working.
 */
public final class SecretRotation {

    /** Signatures per request stay few (one per live secret in the signature header). */
    static final int MAX_PREVIOUS = 10;

    private final WebhookRepository webhooks;

    public SecretRotation(WebhookRepository webhooks) {
        this.webhooks = webhooks;
    }

    /**
     * Rotates inside the caller's transaction, holding the webhook's row lock until it ends.
     * {@code given}: the new secret the caller chose, or null for one generated for the webhook's
     * scheme (read under the lock, so a concurrent change of scheme cannot get the wrong kind).
     */
    public Webhook rotate(Connection c, String id, String given, long graceMillis, long now) throws SQLException {
        Webhook w = webhooks.findForUpdate(c, id).orElseThrow(() -> HeraldException.notFound("webhook", id));
        if (given != null) {
            w.signature().refuseGivenSecret("secret");
        }
        String newSecret = given != null ? given : w.signature().newSecret();
        WebhookRequest.checkSecret(w.signature(), newSecret);
        Webhook rotated = rotated(w, newSecret, graceMillis, now);
        webhooks.update(c, rotated);
        return rotated;
    }

    /**
     * The webhook after rotation. A grace period also caps the earlier secrets still signing:
     * none outlives the new grace period, so {@code 0s} ends every old secret at once (a leak).
     */
    static Webhook rotated(Webhook w, String newSecret, long graceMillis, long now) {
        List<PreviousSecret> kept = new ArrayList<>();
        if (graceMillis > 0) {
            List<PreviousSecret> candidates = new ArrayList<>();
            candidates.add(new PreviousSecret(w.secret(), now + graceMillis));
            candidates.addAll(w.previousSecretsAt(now));
            for (PreviousSecret p : candidates) {
                boolean repeated = p.secret().equals(newSecret)
                        || kept.stream().anyMatch(k -> k.secret().equals(p.secret()));
                if (!repeated) {
                    kept.add(new PreviousSecret(p.secret(), Math.min(p.until(), now + graceMillis)));
                }
            }
        }
        if (kept.size() > MAX_PREVIOUS) {
            throw HeraldException.conflict("webhook " + w.id() + " already has " + MAX_PREVIOUS + " earlier secrets"
                    + " in their grace period; rotate with a shorter grace_period (\"0s\" ends them all now) or later");
        }
        return new Webhook(w.id(), w.url(), w.events(), newSecret, kept, w.active(), w.name(), w.description(),
                w.retryPolicy(), w.retrySchedule(), w.signature(), w.payloadFormat(), w.eventTypeHeader(), w.headers(),
                w.transform(), w.rateLimit(), w.disabled(), w.createdAt(), now, w.ordering(), w.applicationId(), w.filter(),
                w.tls(), w.auth());
    }
}
