package dev.herald.metrics;

import dev.herald.delivery.log.AttemptKind;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Herald's own meters, beside Camel's route metrics in the same Prometheus registry (served at
 * /observe/metrics on the management port). Every counter with a fixed set of labels is created
 * up front, so a scrape shows zeros instead of missing series and recording is one increment,
 * no registry lookup.
 */
public final class HeraldMetrics {

    /** Sources with their own label; any other route that sends to direct:ingest is labelled by its id. */
    private static final Map<String, String> SOURCES = Map.of(
            "source-http", "http", "source-jms", "jms", "source-file", "file");

    /** Herald's own events (herald.webhook.disabled and the like) come from no source route. */
    private static final String OPERATIONAL = "herald";

    private static final Duration[] ATTEMPT_BUCKETS = seconds(
            0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30);
    /** From a receiver answering at once to a delivery that waited out a day of retries. */
    private static final Duration[] LAG_BUCKETS = seconds(
            0.01, 0.05, 0.1, 0.25, 0.5, 1, 5, 15, 60, 300, 900, 3600, 21600, 86400);

    private final MeterRegistry registry;
    private final Map<String, Counter> ingested = new ConcurrentHashMap<>();
    private final Counter[] attempts = new Counter[AttemptKind.values().length];
    private final Counter succeeded;
    private final Counter failed;
    private final Timer attemptDuration;
    private final Timer lag;

    public HeraldMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (String source : SOURCES.values()) {
            ingestedCounter(source);
        }
        ingestedCounter(OPERATIONAL);
        for (AttemptKind kind : AttemptKind.values()) {
            attempts[kind.ordinal()] = Counter.builder("herald.delivery.attempts")
                    .description("Delivery attempts by what they came to").tag("outcome", kind.label()).register(registry);
        }
        succeeded = completed("success");
        failed = completed("failed");
        attemptDuration = Timer.builder("herald.attempt.duration")
                .description("Time from the request to the end of the receiver's response (or the failure)")
                .serviceLevelObjectives(ATTEMPT_BUCKETS).register(registry);
        lag = Timer.builder("herald.delivery.lag")
                .description("Time from the event's acceptance to its successful receipt, per delivery")
                .serviceLevelObjectives(LAG_BUCKETS).register(registry);
    }

    /** The label of the route that handed events to ingest. */
    static String source(String fromRouteId) {
        // Herald's own events are sent to direct:ingest from no route: their exchanges begin there.
        if (fromRouteId == null || fromRouteId.equals("ingest")) {
            return OPERATIONAL;
        }
        return SOURCES.getOrDefault(fromRouteId, fromRouteId);
    }

    void ingested(String source, int events) {
        ingested.computeIfAbsent(source, this::ingestedCounter).increment(events);
    }

    void attempt(AttemptKind kind, long millis) {
        attempts[kind.ordinal()].increment();
        attemptDuration.record(millis, TimeUnit.MILLISECONDS);
    }

    void succeeded(long lagMillis) {
        succeeded.increment();
        lag.record(Math.max(0, lagMillis), TimeUnit.MILLISECONDS);
    }

    void failed() {
        failed.increment();
    }

    /** A gauge read when scraped. */
    public void gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).register(registry);
    }

    private Counter ingestedCounter(String source) {
        return Counter.builder("herald.events.ingested").description("New events accepted, by source")
                .tag("source", source).register(registry);
    }

    private Counter completed(String status) {
        return Counter.builder("herald.deliveries.completed")
                .description("Deliveries finished: delivered, or failed after their last attempt")
                .tag("status", status).register(registry);
    }

    private static Duration[] seconds(double... values) {
        Duration[] out = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Duration.ofNanos(Math.round(values[i] * 1e9));
        }
        return out;
    }
}
