package dev.herald.metrics;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/** Step {@code WriteMinutes} of routes/metrics.yaml: this instance's counts of finished deliveries into the table. */
public final class WriteMinutes implements Processor {

    private final DeliveryMinutes minutes;

    public WriteMinutes(DeliveryMinutes minutes) {
        this.minutes = minutes;
    }

    @Override
    public void process(Exchange exchange) {
        minutes.write();
    }
}
