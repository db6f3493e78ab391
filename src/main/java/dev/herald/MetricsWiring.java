package dev.herald;

import dev.herald.delivery.flow.DispatchQueue;
import dev.herald.delivery.flow.EndpointBreaker;
import dev.herald.metrics.CountIngested;
import dev.herald.metrics.DeliveryMinutes;
import dev.herald.metrics.HeraldMetrics;
import dev.herald.metrics.MeasureAttempt;
import dev.herald.metrics.MetricsSteps;
import dev.herald.metrics.PendingCount;
import dev.herald.store.Database;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;

import java.util.concurrent.ExecutorService;

/**
 * Metrics: Herald's meters in the Prometheus registry Camel serves at /observe/metrics, the
 * steps that feed them (routes/deliver.yaml, routes/ingest.yaml) and the per-minute counts of
 * routes/metrics.yaml behind the dashboard's chart.
 */
final class MetricsWiring {

    /** The name under which camel-micrometer-prometheus looks for (or binds) its registry. */
    private static final String REGISTRY = "metricsRegistry";

    final DeliveryMinutes minutes;
    final PendingCount pending;
    /** Steps of deliver.yaml and ingest.yaml, bound with those routes' other steps. */
    final MeasureAttempt measureAttempt;
    final CountIngested countIngested;

    MetricsWiring(CamelContext context, Settings s, Database db, DispatchQueue queue) {
        Registry r = context.getRegistry();
        MeterRegistry registry = r.lookupByNameAndType(REGISTRY, MeterRegistry.class);
        if (registry == null) {
            registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            r.bind(REGISTRY, registry);
        }
        HeraldMetrics metrics = new HeraldMetrics(registry);
        minutes = new DeliveryMinutes(db);
        ExecutorService counter = context.getExecutorServiceManager().newSingleThreadExecutor(this, "herald-pending-count");
        pending = new PendingCount(db, s.millis("herald.metrics.pending-interval"), counter);
        EndpointBreaker breaker = queue.breaker();
        metrics.gauge("herald.deliveries.pending", "Pending deliveries (due, waiting for a retry, or held), as last counted",
                pending::gaugeValue);
        metrics.gauge("herald.dispatch.queue.depth", "Deliveries queued in this instance for the deliver route, parked ones included",
                queue::depth);
        metrics.gauge("herald.endpoints.open", "Receivers whose circuit breaker is open or half-open (this instance)",
                () -> breaker.notClosed().size());
        measureAttempt = new MeasureAttempt(metrics, minutes);
        countIngested = new CountIngested(metrics);
        MetricsSteps.bind(r, minutes, s.millis("herald.retention.period"));
    }
}
