package dev.herald.ingest;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Step of routes/ingest.yaml: the events of the body and their deliveries, committed in one
 * transaction ({@link IngestService}); the reply becomes the body, the deliveries to queue the
 * property {@link IngestService#TICKETS}.
 */
public final class StoreEvents implements Processor {

    private final IngestService ingest;

    public StoreEvents(IngestService ingest) {
        this.ingest = ingest;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        exchange.getMessage().setBody(ingest.accept(exchange));
    }
}
