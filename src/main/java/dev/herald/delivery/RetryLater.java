package dev.herald.delivery;

/**
 * Thrown after a failed attempt whose next attempt is near enough to wait for in
 * memory. The dispatch route's redelivery policy catches it and calls the attempt
 * again after the delay the table gave (header {@code CamelRedeliveryDelay}). The row
 * already carries {@code next_attempt_at} and a lease, so a crash meanwhile loses nothing.
 */
public class RetryLater extends RuntimeException {
    public RetryLater(String deliveryId, long delayMillis) {
        super("delivery " + deliveryId + " retries in " + delayMillis + " ms", null, false, false);
    }
}
