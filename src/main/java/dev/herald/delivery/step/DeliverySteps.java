package dev.herald.delivery.step;

import dev.herald.delivery.flow.DispatchQueue;
import dev.herald.delivery.flow.EndpointBreaker;
import dev.herald.delivery.flow.EndpointLimiter;
import dev.herald.delivery.flow.EndpointSlot;
import dev.herald.delivery.flow.Holds;
import dev.herald.delivery.log.AttemptRecorder;
import dev.herald.delivery.log.DeliveryClaims;
import dev.herald.egress.IdentityClients;
import dev.herald.egress.ReceiverClient;
import dev.herald.oauth.Tokens;
import dev.herald.routes.RouteSteps;
import dev.herald.store.Database;
import dev.herald.subscription.RetryPolicies;
import dev.herald.subscription.WebhookRepository;

import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.spi.Registry;

/**
 * The steps of routes/deliver.yaml, bound here and nowhere else, each under its class name: the
 * delivery package's own, made here, and those of the packages that watch an attempt's result
 * (metrics, lifecycle), handed in.
 */
public final class DeliverySteps {

    private final LoadDelivery load;
    private final Processor[] own;

    public DeliverySteps(CamelContext context, Database db, DeliveryClaims deliveries, WebhookRepository webhooks,
                         RetryPolicies policies, EndpointLimiter limiter, EndpointBreaker breaker, DispatchQueue queue,
                         AttemptRecorder recorder, ReceiverClient client, IdentityClients identities, Tokens tokens,
                         java.util.concurrent.Executor workers, java.util.concurrent.Executor tokenThreads,
                         int maxInFlight, long inlineWaitMillis, long timeoutMillis, int maxResponseBytes, String userAgent) {
        EndpointSlot slot = new EndpointSlot(limiter, queue);
        Holds holds = new Holds();
        load = new LoadDelivery(db, deliveries, webhooks, policies, slot, holds, timeoutMillis);
        own = new Processor[] {
            load,
            new PaceWebhook(db, holds, queue.pace(), timeoutMillis),
            new CheckEndpoint(db, holds, breaker, limiter, slot),
            new RenderEnvelope(),
            new PrepareTransform(),
            new RunTransform(context),
            new TakeTransformed(),
            new SignRequest(userAgent),
            new AuthorizeRequest(tokens, tokenThreads),
            new ForgetToken(tokens, tokenThreads),
            new SetRequest(),
            new SendRequest(client, identities, workers, maxInFlight, maxResponseBytes, inlineWaitMillis),
            new ReadResponse(maxResponseBytes),
            new RecordAttempt(recorder, timeoutMillis),
        };
    }

    /** Every step of the route: this package's and, by their classes' names, MeasureAttempt, WatchEndpoint, WatchWebhook, ReportExhausted. */
    public void bind(Registry r, Processor measureAttempt, Processor watchEndpoint, Processor watchWebhook,
                     Processor reportExhausted) {
        RouteSteps.bind(r, (Object[]) own);
        RouteSteps.bind(r, measureAttempt, watchEndpoint, watchWebhook, reportExhausted);
    }

    /** Herald is stopping: deliveries still taken from the queue hand their rows back instead of sending. */
    public void stopping() {
        load.stopping();
    }
}
