package dev.herald.retention;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Step {@code RetentionCutoff} of routes/retention.yaml: what finished before now minus
 * {@code herald.retention.period} goes. One cutoff for the whole run, so deliveries and events
 * are judged against the same instant.
 */
public final class RetentionCutoff implements Processor {

    /** Exchange property: the cutoff, epoch milliseconds. */
    static final String CUTOFF = "heraldRetentionCutoff";
    /** Exchange property: when the run started, epoch milliseconds. */
    static final String STARTED = "heraldRetentionStarted";

    private final long periodMillis;

    public RetentionCutoff(long periodMillis) {
        this.periodMillis = periodMillis;
    }

    @Override
    public void process(Exchange exchange) {
        long now = System.currentTimeMillis();
        exchange.setProperty(STARTED, now);
        exchange.setProperty(CUTOFF, now - periodMillis);
    }
}
