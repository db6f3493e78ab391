package dev.herald.delivery.step;

import dev.herald.delivery.log.Trigger;
import dev.herald.delivery.flow.DispatchTicket;
import dev.herald.delivery.flow.EndpointLimiter;
import dev.herald.delivery.log.AttemptKind;
import dev.herald.delivery.log.Outcome;
import dev.herald.event.StoredEvent;
import dev.herald.subscription.RetrySchedule;
import dev.herald.subscription.Webhook;

import java.util.Map;

/**
 * One attempt of one delivery: loaded from its ticket by {@link LoadDelivery} and carried
 * through the steps of the {@code deliver} route in the exchange property {@link #PROPERTY}.
 * The steps fill in the attempt as it goes: body, request, response.
 */
public final class DeliveryJob {

    public static final String PROPERTY = "heraldJob";

    final String deliveryId;
    final String leaseToken;
    final Trigger trigger;
    final Webhook webhook;
    final StoredEvent event;
    final RetrySchedule schedule;
    final int attemptsMade;
    long leaseUntil;

    /** What is signed and sent: the rendered payload, or what the webhook's transform made of it. */
    byte[] body;
    String contentType = "application/json";
    boolean transformed;
    Map<String, String> requestHeaders;
    long startedAt;
    /** When the request went out, if later than startedAt (a token was fetched first, or it was sent again); else 0. */
    long sentAt;
    ReceiverResponse response;
    /** The delivery's state after this attempt ({@link RecordAttempt}); null until then. */
    Outcome outcome;
    AttemptKind kind;
    long endedAt;

    DeliveryJob(String deliveryId, String leaseToken, Trigger trigger, Webhook webhook, StoredEvent event,
                RetrySchedule schedule, int attemptsMade, long leaseUntil) {
        this.deliveryId = deliveryId;
        this.leaseToken = leaseToken;
        this.trigger = trigger;
        this.webhook = webhook;
        this.event = event;
        this.schedule = schedule;
        this.attemptsMade = attemptsMade;
        this.leaseUntil = leaseUntil;
    }

    /** This attempt's number, from 1. */
    int attempt() {
        return attemptsMade + 1;
    }

    /** The ticket this delivery parks as: requeued while its lease is long, it is sent without reading the row back. */
    DispatchTicket parkedTicket() {
        return new DispatchTicket(deliveryId, leaseToken, trigger,
                new DispatchTicket.Fresh(event, webhook.id(), leaseUntil, attemptsMade));
    }

    public String deliveryId() {
        return deliveryId;
    }

    public Webhook webhook() {
        return webhook;
    }

    public StoredEvent event() {
        return event;
    }

    /** The delivery's state after this attempt, or null when no attempt was recorded. */
    public Outcome outcome() {
        return outcome;
    }

    /** What the attempt came to, or null when no attempt was recorded. */
    public AttemptKind kind() {
        return kind;
    }

    /** How long the attempt took, from the request to the end of the response (or the failure). */
    public long durationMillis() {
        return endedAt - startedAt;
    }

    /** When the attempt ended (epoch ms). */
    public long endedAt() {
        return endedAt;
    }

    /** The receiver (scheme, host, port) this attempt went to. */
    public String endpoint() {
        return EndpointLimiter.key(webhook.url());
    }
}
