package dev.herald.delivery.log;

/**
 * A delivery row as the API shows it. {@code eventId} is the event's stored key (EventKey);
 * {@code applicationId} the webhook's application, null for the operator's own.
 */
public record Delivery(String id, String eventId, String webhookId, String status, int attempts, Integer statusCode,
                       String error, Long nextAttemptAt, Long deliveredAt, long createdAt, long updatedAt,
                       String applicationId) {

    public static final String PENDING = "pending";
    public static final String SUCCESS = "success";
    public static final String FAILED = "failed";
}
