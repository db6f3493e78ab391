package dev.herald.delivery.step;

import dev.herald.delivery.flow.EndpointBreaker;
import dev.herald.delivery.flow.EndpointLimiter;
import dev.herald.delivery.flow.EndpointSlot;
import dev.herald.delivery.flow.Holds;
import dev.herald.store.Database;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Step {@code CheckEndpoint}: while the receiver's circuit breaker is open the delivery
 * waits in the database, without using an attempt, until the receiver may be probed. Otherwise
 * the attempt takes a slot at its receiver (scheme, host, port; at most
 * herald.delivery.per-endpoint-concurrency in flight), or the delivery parks there without a
 * thread and the exchange stops; the attempt that frees a slot queues it again.
 */
public final class CheckEndpoint implements Processor {

    private final Database db;
    private final Holds holds;
    private final EndpointBreaker breaker;
    private final EndpointLimiter limiter;
    private final EndpointSlot slot;

    public CheckEndpoint(Database db, Holds holds, EndpointBreaker breaker, EndpointLimiter limiter, EndpointSlot slot) {
        this.db = db;
        this.holds = holds;
        this.breaker = breaker;
        this.limiter = limiter;
        this.slot = slot;
    }

    @Override
    public void process(Exchange exchange) {
        DeliveryJob job = exchange.getProperty(DeliveryJob.PROPERTY, DeliveryJob.class);
        String endpoint = job.endpoint();
        long until = breaker.admit(endpoint, job.deliveryId, System.currentTimeMillis());
        if (until > 0) {
            db.read(c -> {
                holds.holdUntil(c, job.deliveryId, job.leaseToken, until);
                return null;
            });
            exchange.setRouteStop(true); // a slot it holds is given up as the exchange ends
            return;
        }
        String held = EndpointSlot.held(exchange);
        if (endpoint.equals(held)) {
            return;
        }
        if (held != null) {
            slot.release(exchange); // the webhook's URL changed while the ticket was parked
        }
        if (limiter.acquireOrPark(endpoint, job::parkedTicket)) {
            slot.hold(exchange, endpoint);
        } else {
            exchange.setRouteStop(true);
        }
    }
}
