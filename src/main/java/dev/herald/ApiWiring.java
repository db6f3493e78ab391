package dev.herald;

import dev.herald.api.ApiAuth;
import dev.herald.api.ApiErrors;
import dev.herald.api.ApiRespond;
import dev.herald.api.ApiServerGuards;
import dev.herald.api.ApplicationApi;
import dev.herald.api.DeliveryApi;
import dev.herald.api.EventTypeApi;
import dev.herald.catalog.Catalog;
import dev.herald.catalog.EventTypeRepository;
import dev.herald.api.FilterTestApi;
import dev.herald.api.KeyApi;
import dev.herald.api.OperatorOnly;
import dev.herald.api.PortalApi;
import dev.herald.api.PublicKeyApi;
import dev.herald.api.PublicUrl;
import dev.herald.api.ReplayApi;
import dev.herald.api.SearchApi;
import dev.herald.api.StatsApi;
import dev.herald.api.WebhookApi;
import dev.herald.delivery.log.DeliverySearch;
import dev.herald.delivery.flow.Redelivery;
import dev.herald.delivery.log.Replay;
import dev.herald.delivery.step.Transforms;
import dev.herald.event.EventLog;
import dev.herald.ingest.IngestService;
import dev.herald.routes.RouteSteps;
import dev.herald.store.Database;
import dev.herald.subscription.RetryPolicies;
import dev.herald.subscription.WebhookRepository;
import dev.herald.tenancy.KeyScopes;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;

import java.nio.file.Path;
import java.util.List;

/** The HTTP API: authentication, the server's guards, and the beans of the REST routes. */
final class ApiWiring {

    private ApiWiring() {
    }

    static void wire(CamelContext context, Settings s, List<String> apiKeys, Database db, WebhookRepository webhooks,
                     RetryPolicies policies, DeliveryWiring delivery, IngestService ingest, MetricsWiring metrics,
                     Catalog catalog)
            throws Exception {
        Registry r = context.getRegistry();
        ApiServerGuards.install(context);
        Redelivery redelivery = new Redelivery(db, delivery.claims, delivery.reads, delivery.queue, delivery.claimNow);
        Transforms transforms = new Transforms(context, Path.of(s.text("herald.routes.dir")));
        EventLog eventLog = new EventLog(db.dialect());
        KeyScopes keyScopes = new KeyScopes(db, System::currentTimeMillis);
        r.bind("KeyScopes", keyScopes);
        // Under their class names: ApiAuth and ApiRespond are also the steps of routes/http-source.yaml.
        ApiAuth auth = new ApiAuth(apiKeys, keyScopes);
        RouteSteps.bind(r,
                auth,
                new OperatorOnly(auth),
                new KeyApi(db, keyScopes, s.integer("herald.api.page-size")),
                new PortalApi(db, new PublicUrl(s.text("herald.public-url"))),
                new ApiRespond(),
                new ApiErrors(),
                new WebhookApi(db, webhooks, delivery.claims, delivery.reads, redelivery, policies, delivery.addressPolicy,
                        transforms::running, ingest, delivery.breaker, s.integer("herald.api.page-size"), catalog),
                new DeliveryApi(db, delivery.reads, delivery.attemptLog, delivery.events, redelivery),
                new SearchApi(db, new DeliverySearch(db.dialect()), eventLog, s.integer("herald.api.page-size")),
                new StatsApi(metrics.minutes, metrics.pending),
                new ReplayApi(new Replay(db, webhooks, eventLog, delivery.claims), db, webhooks),
                new ApplicationApi(db, webhooks, delivery.claims, keyScopes, s.integer("herald.api.page-size")),
                new FilterTestApi(db, webhooks),
                new PublicKeyApi(db, webhooks),
                new EventTypeApi(db, new EventTypeRepository(), catalog, s.integer("herald.event-types.max-schema-bytes"),
                        s.integer("herald.api.page-size")));
    }
}
