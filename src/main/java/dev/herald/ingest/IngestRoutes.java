package dev.herald.ingest;

import org.apache.camel.builder.RouteBuilder;

/**
 * {@code direct:ingest}, the one entry point of every source. It handles no errors
 * itself: a failure goes back to the source route, which answers in its own way
 * (HTTP error, JMS dead letter, file moved aside) and acknowledges nothing.
 */
public class IngestRoutes extends RouteBuilder {

    @Override
    public void configure() {
        from("direct:ingest").routeId("ingest")
                .errorHandler(noErrorHandler())
                .bean("ingestService", "accept")
                // After commit: hand the new deliveries to the dispatcher at once.
                .bean("dispatchQueue", "offerAll(${exchangeProperty." + IngestService.TICKETS + "})");
    }
}
