package dev.herald.retention;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;

/** Step {@code heraldRetentionReport} of routes/retention.yaml: one INFO line per run, not per batch. */
public final class RetentionReport implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(RetentionReport.class);

    @Override
    public void process(Exchange exchange) {
        long started = exchange.getProperty(RetentionCutoff.STARTED, Long.class);
        LOG.info("Retention: deleted {} deliveries ({} attempts) finished and {} events received before {} in {} ms{}",
                exchange.getProperty(PurgeFinished.DELIVERIES, 0L, Long.class),
                exchange.getProperty(PurgeFinished.ATTEMPTS, 0L, Long.class),
                exchange.getProperty(PurgeEvents.EVENTS, 0L, Long.class),
                Instant.ofEpochMilli(exchange.getProperty(RetentionCutoff.CUTOFF, Long.class)),
                System.currentTimeMillis() - started,
                exchange.getContext().isStopping() ? " (cut short: Herald is stopping; the next run goes on)" : "");
    }
}
