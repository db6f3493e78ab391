package dev.herald.api;

import dev.herald.delivery.log.DeliveryClaims;
import dev.herald.subscription.WebhookRepository;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Deleting a webhook, by itself ({@code DELETE /v1/webhooks/{id}}) or with its application: its
 * pending deliveries end as failed with the reason, then the row goes (its ordered lines, pace and
 * subscriptions with it, by cascade). Within the caller's transaction.
 */
final class WebhookRemoval {

    static final String WEBHOOK_DELETED = "webhook deleted";
    static final String APPLICATION_DELETED = "application deleted";

    private final DeliveryClaims claims;
    private final WebhookRepository webhooks;

    WebhookRemoval(DeliveryClaims claims, WebhookRepository webhooks) {
        this.claims = claims;
        this.webhooks = webhooks;
    }

    /** False when there was no such webhook. */
    boolean remove(Connection c, String webhookId, String reason, long now) throws SQLException {
        claims.cancelPending(c, webhookId, now, reason);
        return webhooks.delete(c, webhookId);
    }
}
