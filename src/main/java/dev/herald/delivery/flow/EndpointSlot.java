package dev.herald.delivery.flow;

import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;

import java.util.List;

/**
 * The slot an attempt holds at its receiver ({@link EndpointLimiter}), kept in the exchange
 * property {@link #PROPERTY} and given up when the exchange ends, whichever way it ends
 * (sent, nothing to send, an error). A delivery parked at that endpoint then gets the slot
 * and goes back on the dispatch queue.
 */
public final class EndpointSlot extends SynchronizationAdapter {

    public static final String PROPERTY = "heraldSlot";

    private final EndpointLimiter limiter;
    private final DispatchQueue queue;

    public EndpointSlot(EndpointLimiter limiter, DispatchQueue queue) {
        this.limiter = limiter;
        this.queue = queue;
    }

    /** The exchange holds a slot at {@code endpoint} from now on, until it ends or {@link #release}. */
    public void hold(Exchange exchange, String endpoint) {
        if (exchange.getProperty(PROPERTY) == null) {
            exchange.getExchangeExtension().addOnCompletion(this);
        }
        exchange.setProperty(PROPERTY, endpoint);
    }

    /** The endpoint whose slot the exchange holds, or null. */
    public static String held(Exchange exchange) {
        return exchange.getProperty(PROPERTY, String.class);
    }

    /** Gives the slot up now; the oldest delivery parked there takes it on the queue. */
    public void release(Exchange exchange) {
        String endpoint = held(exchange);
        if (endpoint != null) {
            exchange.setProperty(PROPERTY, null);
            DispatchTicket next = limiter.release(endpoint);
            if (next != null) {
                queue.offerAll(List.of(next));
            }
        }
    }

    @Override
    public void onDone(Exchange exchange) {
        release(exchange);
    }
}
