package dev.herald.delivery.flow;

import dev.herald.delivery.log.Trigger;
import dev.herald.delivery.log.DeliveryClaims;
import dev.herald.event.StoredEvent;

/**
 * What travels on the in-memory dispatch queue: a delivery row and the lease token that
 * owns it. Tickets made at ingest or by a claim also carry the event, the attempts so far
 * and the lease's end, so the delivery is sent without reading back what was just written.
 * A ticket handed back by the {@link EndpointLimiter} already holds a slot at its endpoint
 * ({@code permit}, the endpoint key): it must use it or give it back.
 */
public record DispatchTicket(String deliveryId, String leaseToken, Trigger trigger, Fresh fresh, String permit) {

    /** The state of a delivery as it was just written or claimed: leased until {@code leaseUntil}. */
    public record Fresh(StoredEvent event, String webhookId, long leaseUntil, int attempts) {
    }

    public DispatchTicket(String deliveryId, String leaseToken, Trigger trigger) {
        this(deliveryId, leaseToken, trigger, null, null);
    }

    public DispatchTicket(String deliveryId, String leaseToken, Trigger trigger, Fresh fresh) {
        this(deliveryId, leaseToken, trigger, fresh, null);
    }

    /** The ticket of a row the scheduler claimed. */
    public static DispatchTicket claimed(DeliveryClaims.Claimed c) {
        return new DispatchTicket(c.deliveryId(), c.leaseToken(), Trigger.SCHEDULED, c.event() == null ? null
                : new Fresh(c.event(), c.webhookId(), c.leaseUntil(), c.attempts()));
    }

    DispatchTicket withPermit(String endpoint) {
        return new DispatchTicket(deliveryId, leaseToken, trigger, fresh, endpoint);
    }

    DispatchTicket withoutPermit() {
        return permit == null ? this : new DispatchTicket(deliveryId, leaseToken, trigger, fresh, null);
    }
}
