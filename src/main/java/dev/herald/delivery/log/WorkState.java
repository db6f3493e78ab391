package dev.herald.delivery.log;

import dev.herald.event.StoredEvent;

/** The row state a dispatcher needs to start work. */
public record WorkState(String status, int attempts, String leaseToken, long leaseUntil, String webhookId,
                        StoredEvent event) {
}
