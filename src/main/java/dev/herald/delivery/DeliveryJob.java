package dev.herald.delivery;

import dev.herald.event.StoredEvent;
import dev.herald.subscription.RetrySchedule;
import dev.herald.subscription.Webhook;

/**
 * One delivery being worked on by this instance: loaded once when its ticket is taken
 * off the queue and kept in an exchange property across in-memory retries.
 */
public final class DeliveryJob {

    final String deliveryId;
    final String leaseToken;
    final String trigger;
    final Webhook webhook;
    final StoredEvent event;
    final byte[] body;
    final RetrySchedule schedule;
    int attemptsMade;
    long leaseUntil;
    boolean waitingInMemory;

    DeliveryJob(String deliveryId, String leaseToken, String trigger, Webhook webhook, StoredEvent event, byte[] body,
                RetrySchedule schedule, int attemptsMade, long leaseUntil) {
        this.leaseUntil = leaseUntil;
        this.deliveryId = deliveryId;
        this.leaseToken = leaseToken;
        this.trigger = trigger;
        this.webhook = webhook;
        this.event = event;
        this.body = body;
        this.schedule = schedule;
        this.attemptsMade = attemptsMade;
    }

    /** Manual retries and recoveries make exactly one attempt; the table does not continue after them. */
    boolean singleAttempt() {
        return "manual".equals(trigger) || "recover".equals(trigger);
    }

    public String deliveryId() {
        return deliveryId;
    }
}
