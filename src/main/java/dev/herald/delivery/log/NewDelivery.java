package dev.herald.delivery.log;

/**
 * A new pending delivery; {@code leaseToken} may be null (the scheduler will claim it). {@code waiting}:
 * an ordered delivery behind the head of its line, with no due time until its turn ({@link OrderLanes}).
 * {@code eventId} is the event's stored key (EventKey); {@code applicationId} the webhook's application
 * (null: the operator's own), which decides who sees the delivery.
 */
public record NewDelivery(String id, String eventId, String webhookId, String leaseToken, Long leaseUntil,
                          boolean waiting, String applicationId) {

    public NewDelivery(String id, String eventId, String webhookId, String leaseToken, Long leaseUntil) {
        this(id, eventId, webhookId, leaseToken, leaseUntil, false, null);
    }

    public NewDelivery(String id, String eventId, String webhookId, String leaseToken, Long leaseUntil, boolean waiting) {
        this(id, eventId, webhookId, leaseToken, leaseUntil, waiting, null);
    }

    /** The same row, of the webhook's {@code application} (null: the operator's own). */
    public NewDelivery ofApplication(String application) {
        return new NewDelivery(id, eventId, webhookId, leaseToken, leaseUntil, waiting, application);
    }
}
