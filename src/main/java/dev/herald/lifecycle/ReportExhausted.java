package dev.herald.lifecycle;

import dev.herald.delivery.step.DeliveryJob;
import dev.herald.delivery.log.Outcome;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

import java.util.LinkedHashMap;
import java.util.Map;

/** Step {@code ReportExhausted}: a delivery that failed for good is the event {@code herald.delivery.exhausted}. */
public final class ReportExhausted implements Processor {

    private final OperationalEvents events;

    public ReportExhausted(OperationalEvents events) {
        this.events = events;
    }

    @Override
    public void process(Exchange exchange) {
        DeliveryJob job = exchange.getProperty(DeliveryJob.PROPERTY, DeliveryJob.class);
        if (!(job.outcome() instanceof Outcome.Failed failed)
                || OperationalEvents.fromOperationalEvent(job.event().type())) {
            return;
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("delivery_id", job.deliveryId());
        data.put("webhook_id", job.webhook().id());
        data.put("event_id", job.event().ownId());
        data.put("event_type", job.event().type());
        data.put("attempts", failed.attempts());
        data.put("last_status_code", failed.statusCode());
        data.put("last_error", failed.error());
        data.put("application_id", job.webhook().applicationId());
        events.emit(OperationalEvents.DELIVERY_EXHAUSTED, job.webhook().applicationId(), data);
    }
}
