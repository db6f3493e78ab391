package dev.herald.delivery.log;

/** A new pending delivery; {@code leaseToken} may be null (the scheduler will claim it). */
public record NewDelivery(String id, String eventId, String webhookId, String leaseToken, Long leaseUntil) {
}
