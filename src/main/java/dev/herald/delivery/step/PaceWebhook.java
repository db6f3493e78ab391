package dev.herald.delivery.step;

import dev.herald.delivery.flow.Holds;
import dev.herald.delivery.flow.WebhookPace;
import dev.herald.store.Database;
import dev.herald.subscription.RateLimit;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Step {@code PaceWebhook}: a delivery of a rate-limited webhook gets its send time on the webhook's
 * pace ({@link WebhookPace}) and waits for it without using an attempt: near, without a thread (the
 * ticket is handed back to the queue then); far, in the database. It comes before the receiver's
 * slot is taken, so a waiting delivery holds no slot. A webhook without a limit passes straight on.
 */
public final class PaceWebhook implements Processor {

    /** A send time this close is now. */
    private static final long NOW_MICROS = 1_000;

    private final Database db;
    private final Holds holds;
    private final WebhookPace pace;
    private final long timeoutMillis;

    public PaceWebhook(Database db, Holds holds, WebhookPace pace, long timeoutMillis) {
        this.db = db;
        this.holds = holds;
        this.pace = pace;
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public void process(Exchange exchange) {
        DeliveryJob job = exchange.getProperty(DeliveryJob.PROPERTY, DeliveryJob.class);
        RateLimit limit = job.webhook.rateLimit();
        if (limit == null) {
            return;
        }
        long now = System.currentTimeMillis();
        if (pace.takeDue(job.deliveryId, job.webhook.id(), now)) {
            return;
        }
        WebhookPace.Slot slot = pace.reserve(job.webhook.id(), limit, now);
        long holdUntil;
        if (slot instanceof WebhookPace.Slot.At at) {
            if (at.micros() - now * 1000 <= NOW_MICROS) {
                return;
            }
            // In memory while the lease outlasts the wait and the attempt after it; else in the database.
            long sendAt = at.micros() / 1000;
            if (sendAt - now <= WebhookPace.MAX_WAIT_MILLIS && sendAt + timeoutMillis + 1_000 < job.leaseUntil) {
                pace.later(job.webhook.id(), job.parkedTicket(), at.micros());
                exchange.setRouteStop(true); // a slot it holds is given up as the exchange ends
                return;
            }
            holdUntil = sendAt;
        } else {
            holdUntil = ((WebhookPace.Slot.Busy) slot).millis();
        }
        db.read(c -> {
            holds.holdUntil(c, job.deliveryId, job.leaseToken, holdUntil);
            return null;
        });
        exchange.setRouteStop(true);
    }
}
