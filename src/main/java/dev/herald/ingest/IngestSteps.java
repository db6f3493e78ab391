package dev.herald.ingest;

import dev.herald.delivery.flow.DispatchQueue;
import dev.herald.routes.RouteSteps;

import org.apache.camel.Processor;
import org.apache.camel.spi.Registry;

/** Binds the steps of routes/ingest.yaml, under their class names (CountIngested, of the metrics package, handed in). */
public final class IngestSteps {

    private IngestSteps() {
    }

    public static void bind(Registry r, IngestService ingest, DispatchQueue queue, Processor countIngested) {
        RouteSteps.bind(r, new StoreEvents(ingest), new QueueDeliveries(queue), countIngested);
    }
}
