package dev.herald.metrics;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/** Step {@code PruneMinutes} of routes/metrics.yaml: the per-minute counts older than herald.retention.period go. */
public final class PruneMinutes implements Processor {

    private final DeliveryMinutes minutes;
    private final long periodMillis;

    public PruneMinutes(DeliveryMinutes minutes, long periodMillis) {
        this.minutes = minutes;
        this.periodMillis = periodMillis;
    }

    @Override
    public void process(Exchange exchange) {
        minutes.deleteBefore(System.currentTimeMillis() - periodMillis);
    }
}
