package dev.herald.delivery;

import dev.herald.delivery.DeliveryRepository.StoredEvent;

/**
 * What travels on the in-memory dispatch queue: a delivery row and the lease token that
 * owns it. Tickets made at ingest or by a claim also carry the event, the attempts so far
 * and the lease's end, so the delivery is sent without reading back what was just written.
 */
public record DispatchTicket(String deliveryId, String leaseToken, String trigger, Fresh fresh) {

    /** The state of a delivery as it was just written or claimed: leased until {@code leaseUntil}. */
    public record Fresh(StoredEvent event, String webhookId, long leaseUntil, int attempts) {
    }

    public DispatchTicket(String deliveryId, String leaseToken, String trigger) {
        this(deliveryId, leaseToken, trigger, null);
    }
}
