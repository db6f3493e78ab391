package dev.herald.api;

import dev.herald.error.HeraldException;
import dev.herald.store.Database;
import dev.herald.subscription.Webhook;
import dev.herald.subscription.WebhookRepository;
import dev.herald.tenancy.Scope;

/** A webhook by id as a call's scope may see it: another application's is missing, as one that does not exist. */
final class VisibleWebhooks {

    private final Database db;
    private final WebhookRepository webhooks;

    VisibleWebhooks(Database db, WebhookRepository webhooks) {
        this.db = db;
        this.webhooks = webhooks;
    }

    Webhook find(Scope scope, String id) {
        Webhook w = db.read(c -> webhooks.find(c, id)).orElseThrow(() -> HeraldException.notFound("webhook", id));
        // Checked after the read: a webhook's application is set at its creation and never changes.
        ScopeGuard.requireSees(scope, w.applicationId(), "webhook", id);
        return w;
    }
}
