package dev.herald.metrics;

import dev.herald.ingest.IngestReply;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Step {@code CountIngested} of the ingest route, after the commit: the new events (not
 * the repeated ids) by the source route that handed them over.
 */
public final class CountIngested implements Processor {

    private final HeraldMetrics metrics;

    public CountIngested(HeraldMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void process(Exchange exchange) {
        IngestReply reply = exchange.getMessage().getBody(IngestReply.class);
        if (reply == null) {
            return;
        }
        int fresh = 0;
        for (IngestReply.Accepted a : reply.events()) {
            if (!a.duplicate()) {
                fresh++;
            }
        }
        if (fresh > 0) {
            metrics.ingested(HeraldMetrics.source(exchange.getFromRouteId()), fresh);
        }
    }
}
