package dev.herald.metrics;

import dev.herald.routes.RouteSteps;

import org.apache.camel.spi.Registry;

/**
 * Binds the steps of routes/metrics.yaml, under their class names. (MeasureAttempt and
 * CountIngested are steps of deliver.yaml and ingest.yaml, bound with those routes' steps.)
 */
public final class MetricsSteps {

    private MetricsSteps() {
    }

    public static void bind(Registry r, DeliveryMinutes minutes, long retentionPeriodMillis) {
        RouteSteps.bind(r, new WriteMinutes(minutes), new PruneMinutes(minutes, retentionPeriodMillis));
    }
}
