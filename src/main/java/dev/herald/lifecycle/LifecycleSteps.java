package dev.herald.lifecycle;

import dev.herald.delivery.EndpointBreaker;
import dev.herald.store.Database;
import dev.herald.subscription.WebhookRepository;
import dev.herald.subscription.WebhookStates;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;

/** Binds the steps of routes/deliver.yaml that watch receivers and webhooks, under the names the route uses. */
public final class LifecycleSteps {

    private LifecycleSteps() {
    }

    public static void bind(CamelContext context, Registry r, Database db, WebhookRepository webhooks,
                            EndpointBreaker breaker, long disableAfterMillis) {
        OperationalEvents events = new OperationalEvents(context.createProducerTemplate());
        r.bind("heraldWatchEndpoint", new WatchEndpoint(breaker, db, webhooks, events));
        r.bind("heraldWatchWebhook", new WatchWebhook(db, new WebhookStates(webhooks), disableAfterMillis, events));
        r.bind("heraldReportExhausted", new ReportExhausted(events));
    }
}
