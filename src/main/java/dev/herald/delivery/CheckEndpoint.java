package dev.herald.delivery;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Step {@code heraldCheckEndpoint}: the attempt takes a slot at its receiver (scheme, host,
 * port; at most herald.delivery.per-endpoint-concurrency in flight), or the delivery parks
 * there without a thread and the exchange stops; the attempt that frees a slot queues it again.
 */
public final class CheckEndpoint implements Processor {

    private final EndpointLimiter limiter;
    private final EndpointSlot slot;

    public CheckEndpoint(EndpointLimiter limiter, EndpointSlot slot) {
        this.limiter = limiter;
        this.slot = slot;
    }

    @Override
    public void process(Exchange exchange) {
        DeliveryJob job = exchange.getProperty(DeliveryJob.PROPERTY, DeliveryJob.class);
        String endpoint = EndpointLimiter.key(job.webhook.url());
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
