package dev.herald.metrics;

import dev.herald.delivery.step.DeliveryJob;
import dev.herald.delivery.log.Outcome;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Step {@code MeasureAttempt} of the deliver route, after the attempt is recorded: the
 * attempt's outcome and duration, and, when the delivery finished, its status (and lag, when
 * delivered) in the metrics and in this minute's counts of the dashboard's chart.
 */
public final class MeasureAttempt implements Processor {

    private final HeraldMetrics metrics;
    private final DeliveryMinutes minutes;

    public MeasureAttempt(HeraldMetrics metrics, DeliveryMinutes minutes) {
        this.metrics = metrics;
        this.minutes = minutes;
    }

    @Override
    public void process(Exchange exchange) {
        DeliveryJob job = exchange.getProperty(DeliveryJob.PROPERTY, DeliveryJob.class);
        if (job == null || job.kind() == null) {
            return;
        }
        metrics.attempt(job.kind(), job.durationMillis());
        Outcome outcome = job.outcome();
        if (outcome instanceof Outcome.Delivered) {
            metrics.succeeded(job.endedAt() - job.event().receivedAt());
            minutes.finished(job.endedAt(), true);
        } else if (outcome instanceof Outcome.Failed) {
            metrics.failed();
            minutes.finished(job.endedAt(), false);
        }
    }
}
