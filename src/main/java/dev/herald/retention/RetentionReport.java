package dev.herald.retention;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;

/** Step {@code RetentionReport} of routes/retention.yaml: one INFO line per run, not per batch. */
public final class RetentionReport implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(RetentionReport.class);

    @Override
    public void process(Exchange exchange) {
        long started = exchange.getProperty(RetentionCutoff.STARTED, Long.class);
        long deliveries = exchange.getProperty(PurgeFinished.DELIVERIES, 0L, Long.class);
        long events = exchange.getProperty(PurgeEvents.EVENTS, 0L, Long.class);
        boolean stopping = exchange.getContext().isStopping();
        if (stopping && deliveries == 0 && events == 0) {
            // Quartz may still fire (catching up on a run longer than the interval) while Herald stops.
            return;
        }
        LOG.info("Retention: deleted {} finished deliveries with {} attempts, and {} events left without deliveries,"
                        + " older than {} in {} ms{}",
                deliveries, exchange.getProperty(PurgeFinished.ATTEMPTS, 0L, Long.class), events,
                Instant.ofEpochMilli(exchange.getProperty(RetentionCutoff.CUTOFF, Long.class)),
                System.currentTimeMillis() - started,
                stopping ? " (cut short: Herald is stopping; the next run goes on)" : "");
    }
}
