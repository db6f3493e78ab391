package dev.herald.ingest;

import dev.herald.delivery.flow.DispatchQueue;
import dev.herald.delivery.flow.DispatchTicket;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

import java.util.List;

/** Step {@code QueueDeliveries}: the deliveries just committed go to the deliver route. */
public final class QueueDeliveries implements Processor {

    private final DispatchQueue queue;

    public QueueDeliveries(DispatchQueue queue) {
        this.queue = queue;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void process(Exchange exchange) {
        queue.offerAll(exchange.getProperty(IngestService.TICKETS, List.class));
    }
}
