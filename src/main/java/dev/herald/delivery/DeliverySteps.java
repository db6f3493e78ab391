package dev.herald.delivery;

import dev.herald.egress.AttemptDeadline;
import dev.herald.store.Database;
import dev.herald.subscription.RetryPolicies;
import dev.herald.subscription.WebhookRepository;

import org.apache.camel.spi.Registry;

/** Binds the steps of routes/deliver.yaml, under the names the route refers to. */
public final class DeliverySteps {

    private final LoadDelivery load;

    private DeliverySteps(LoadDelivery load) {
        this.load = load;
    }

    public static DeliverySteps bind(org.apache.camel.CamelContext context, Registry r, Database db, DeliveryClaims deliveries, WebhookRepository webhooks,
                                     RetryPolicies policies, EndpointLimiter limiter, EndpointBreaker breaker, DispatchQueue queue,
                                     AttemptRecorder recorder, AttemptDeadline deadline, long timeoutMillis,
                                     int maxResponseBytes, String userAgent) {
        EndpointSlot slot = new EndpointSlot(limiter, queue);
        Holds holds = new Holds();
        LoadDelivery load = new LoadDelivery(db, deliveries, webhooks, policies, slot, holds, timeoutMillis);
        r.bind("heraldLoadDelivery", load);
        r.bind("heraldCheckEndpoint", new CheckEndpoint(db, holds, breaker, limiter, slot));
        r.bind("heraldRenderEnvelope", new RenderEnvelope());
        r.bind("heraldPrepareTransform", new PrepareTransform());
        r.bind("heraldRunTransform", new RunTransform(context));
        r.bind("heraldTakeTransformed", new TakeTransformed());
        r.bind("heraldSign", new SignRequest(userAgent));
        r.bind("heraldSetRequest", new SetRequest());
        r.bind("heraldReadResponse", new ReadResponse(maxResponseBytes, deadline));
        r.bind("heraldRecordAttempt", new RecordAttempt(recorder, timeoutMillis));
        return new DeliverySteps(load);
    }

    /** Herald is stopping: deliveries still taken from the queue hand their rows back instead of sending. */
    public void stopping() {
        load.stopping();
    }
}
