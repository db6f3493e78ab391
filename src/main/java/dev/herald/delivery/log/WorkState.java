package dev.herald.delivery.log;

import dev.herald.event.StoredEvent;

/** The row state an attempt starts from (LoadDelivery). */
public record WorkState(String status, int attempts, String leaseToken, long leaseUntil, String webhookId,
                        StoredEvent event) {
}
