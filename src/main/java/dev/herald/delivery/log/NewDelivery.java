package dev.herald.delivery.log;

/**
 * A new pending delivery; {@code leaseToken} may be null (the scheduler will claim it). {@code waiting}:
 * an ordered delivery behind the head of its line, with no due time until its turn ({@link OrderLanes}).
 */
public record NewDelivery(String id, String eventId, String webhookId, String leaseToken, Long leaseUntil,
                          boolean waiting) {

    public NewDelivery(String id, String eventId, String webhookId, String leaseToken, Long leaseUntil) {
        this(id, eventId, webhookId, leaseToken, leaseUntil, false);
    }
}
