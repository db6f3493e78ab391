package dev.herald.lifecycle;

import dev.herald.delivery.step.DeliveryJob;
import dev.herald.delivery.flow.EndpointBreaker;
import dev.herald.delivery.flow.EndpointLimiter;
import dev.herald.delivery.log.Outcome;
import dev.herald.store.Database;
import dev.herald.subscription.WebhookRepository;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Step {@code WatchEndpoint}: the attempt's result feeds its receiver's circuit breaker;
 * when that opens or closes it, the operator hears of it ({@code herald.endpoint.opened|closed}).
 */
public final class WatchEndpoint implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(WatchEndpoint.class);

    private final EndpointBreaker breaker;
    private final Database db;
    private final WebhookRepository webhooks;
    private final OperationalEvents events;

    public WatchEndpoint(EndpointBreaker breaker, Database db, WebhookRepository webhooks, OperationalEvents events) {
        this.breaker = breaker;
        this.db = db;
        this.webhooks = webhooks;
        this.events = events;
    }

    @Override
    public void process(Exchange exchange) {
        DeliveryJob job = exchange.getProperty(DeliveryJob.PROPERTY, DeliveryJob.class);
        Outcome outcome = job.outcome();
        if (outcome == null || !job.kind().judgesReceiver()) {
            return; // no attempt, or the egress proxy failed: nothing said about the receiver
        }
        String endpoint = job.endpoint();
        EndpointBreaker.Change change = breaker.record(endpoint, job.deliveryId(),
                outcome instanceof Outcome.Delivered, outcome.statusCode(), System.currentTimeMillis());
        if (change == EndpointBreaker.Change.NONE) {
            return;
        }
        if (change == EndpointBreaker.Change.OPENED) {
            LOG.warn("Circuit breaker of {} opened after consecutive failed attempts: its deliveries wait", endpoint);
        } else {
            LOG.info("Circuit breaker of {} closed: the probe succeeded", endpoint);
        }
        if (OperationalEvents.fromOperationalEvent(job.event().type())) {
            return;
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("endpoint", endpoint);
        data.put("webhook_ids", webhooksAt(endpoint));
        events.emit(change == EndpointBreaker.Change.OPENED ? OperationalEvents.ENDPOINT_OPENED
                : OperationalEvents.ENDPOINT_CLOSED, data);
    }

    private List<String> webhooksAt(String endpoint) {
        return db.read(webhooks::urls).entrySet().stream()
                .filter(e -> EndpointLimiter.key(e.getValue()).equals(endpoint))
                .map(Map.Entry::getKey).sorted().toList();
    }
}
