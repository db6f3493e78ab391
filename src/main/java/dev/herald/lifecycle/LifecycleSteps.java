package dev.herald.lifecycle;

import dev.herald.delivery.flow.EndpointBreaker;
import dev.herald.store.Database;
import dev.herald.subscription.WebhookRepository;
import dev.herald.subscription.WebhookStates;

import org.apache.camel.CamelContext;

/**
 * The steps of routes/deliver.yaml that watch receivers and webhooks after an attempt; bound with
 * the route's other steps by delivery.step.DeliverySteps.
 */
public record LifecycleSteps(WatchEndpoint watchEndpoint, WatchWebhook watchWebhook, ReportExhausted reportExhausted) {

    public static LifecycleSteps create(CamelContext context, Database db, WebhookRepository webhooks,
                                        EndpointBreaker breaker, long disableAfterMillis) {
        OperationalEvents events = new OperationalEvents(context.createProducerTemplate());
        return new LifecycleSteps(new WatchEndpoint(breaker, db, webhooks, events),
                new WatchWebhook(db, new WebhookStates(webhooks), disableAfterMillis, events), new ReportExhausted(events));
    }
}
