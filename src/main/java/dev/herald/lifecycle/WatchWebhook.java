package dev.herald.lifecycle;

import dev.herald.delivery.step.DeliveryJob;
import dev.herald.delivery.log.Outcome;
import dev.herald.store.Database;
import dev.herald.subscription.ReceiverUrl;
import dev.herald.subscription.Webhook;
import dev.herald.subscription.WebhookStates;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Step {@code WatchWebhook}: a receiver that answers 410 Gone, or whose attempts have all
 * failed for herald.webhook.disable-after with a delivery exhausted meanwhile, has its webhook
 * disabled (inactive, with {@code disabled_reason} and {@code disabled_at}); the operator hears of
 * it ({@code herald.webhook.disabled}). Its pending deliveries wait until it is enabled again.
 */
public final class WatchWebhook implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(WatchWebhook.class);
    private static final int GONE = 410;

    private final Database db;
    private final WebhookStates states;
    private final FailingClock clock;
    private final OperationalEvents events;

    public WatchWebhook(Database db, WebhookStates states, long disableAfterMillis, OperationalEvents events) {
        this.db = db;
        this.states = states;
        this.clock = new FailingClock(db, states, disableAfterMillis);
        this.events = events;
    }

    @Override
    public void process(Exchange exchange) {
        DeliveryJob job = exchange.getProperty(DeliveryJob.PROPERTY, DeliveryJob.class);
        Outcome outcome = job.outcome();
        if (outcome == null || !job.kind().judgesReceiver()) {
            return; // no attempt, or the egress proxy failed: nothing said about the receiver
        }
        String id = job.webhook().id();
        if (outcome instanceof Outcome.Delivered) {
            clock.success(id);
        } else if (outcome.statusCode() != null && outcome.statusCode() == GONE) {
            disable(job, Webhook.GONE, "the receiver answered 410 Gone");
        } else if (clock.failure(id, outcome instanceof Outcome.Failed, System.currentTimeMillis())) {
            disable(job, Webhook.FAILING, "every attempt failed for herald.webhook.disable-after");
        }
    }

    private void disable(DeliveryJob job, String reason, String why) {
        Webhook w = job.webhook();
        long now = System.currentTimeMillis();
        if (!db.inTransaction(c -> states.disable(c, w.id(), reason, now))) {
            return; // inactive already: disabled by another attempt, or paused
        }
        clock.forget(w.id());
        LOG.warn("Webhook {} disabled ({}): {}; its deliveries wait until it is enabled (PATCH active: true)",
                w.id(), reason, why);
        if (OperationalEvents.fromOperationalEvent(job.event().type())) {
            return;
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("webhook_id", w.id());
        data.put("url", ReceiverUrl.masked(w.url()));
        data.put("reason", reason);
        data.put("application_id", w.applicationId());
        events.emit(OperationalEvents.WEBHOOK_DISABLED, w.applicationId(), data);
    }
}
