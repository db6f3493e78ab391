package dev.herald.api;

import org.apache.camel.builder.RouteBuilder;

/**
 * The admin API (REST DSL on the platform-http server). Each call is a REST verb and a
 * small route: check the API key, call one bean method, write the JSON reply. A call is declared
 * {@code call} (any key, answering within its scope) or {@code operatorCall} (operator keys only). Failures
 * become JSON errors in the shared {@code api} route configuration.
 */
public class ApiRoutes extends RouteBuilder {

    @Override
    public void configure() {
        rest("/v1")
                .post("/webhooks").routeId("rest-webhook-create").to("direct:webhook-create")
                .get("/webhooks").routeId("rest-webhook-list").to("direct:webhook-list")
                .get("/webhooks/{id}").routeId("rest-webhook-get").to("direct:webhook-get")
                .patch("/webhooks/{id}").routeId("rest-webhook-patch").to("direct:webhook-patch")
                .delete("/webhooks/{id}").routeId("rest-webhook-delete").to("direct:webhook-delete")
                .post("/webhooks/{id}/test").routeId("rest-webhook-test").to("direct:webhook-test")
                .get("/webhooks/{id}/deliveries").routeId("rest-webhook-deliveries").to("direct:webhook-deliveries")
                .post("/webhooks/{id}/recover").routeId("rest-webhook-recover").to("direct:webhook-recover")
                .post("/webhooks/{id}/rotate-secret").routeId("rest-webhook-rotate").to("direct:webhook-rotate")
                .get("/webhooks/{id}/public-key").routeId("rest-webhook-public-key").to("direct:webhook-public-key")
                .post("/webhooks/{id}/replay").routeId("rest-webhook-replay").to("direct:webhook-replay")
                .post("/webhooks/{id}/filter-test").routeId("rest-webhook-filter-test").to("direct:webhook-filter-test")
                .get("/deliveries").routeId("rest-delivery-search").to("direct:delivery-search")
                .get("/deliveries/{id}").routeId("rest-delivery-get").to("direct:delivery-get")
                .post("/deliveries/{id}/retry").routeId("rest-delivery-retry").to("direct:delivery-retry")
                .post("/deliveries/{id}/skip").routeId("rest-delivery-skip").to("direct:delivery-skip")
                .get("/events/{id}").routeId("rest-event-get").to("direct:event-get")
                // POST /v1/events is the HTTP source (routes/http-source.yaml), restricted to POST on the same path.
                .get("/events").routeId("rest-event-search").to("direct:event-search")
                .get("/stats/deliveries").routeId("rest-stats-deliveries").to("direct:stats-deliveries")
                .post("/applications/{app}/portal").routeId("rest-portal-link").to("direct:portal-link")
                .get("/session").routeId("rest-session").to("direct:session")
                .post("/applications").routeId("rest-application-create").to("direct:application-create")
                .get("/applications").routeId("rest-application-list").to("direct:application-list")
                .get("/applications/{app}").routeId("rest-application-get").to("direct:application-get")
                .patch("/applications/{app}").routeId("rest-application-patch").to("direct:application-patch")
                .delete("/applications/{app}").routeId("rest-application-delete").to("direct:application-delete")
                .post("/applications/{app}/webhooks").routeId("rest-application-webhook-create").to("direct:application-webhook-create")
                .get("/applications/{app}/webhooks").routeId("rest-application-webhook-list").to("direct:application-webhook-list")
                .post("/applications/{app}/keys").routeId("rest-key-create").to("direct:key-create")
                .get("/applications/{app}/keys").routeId("rest-key-list").to("direct:key-list")
                .delete("/applications/{app}/keys/{key_id}").routeId("rest-key-revoke").to("direct:key-revoke")
                .get("/openapi.json").routeId("rest-openapi").to("direct:openapi")
                // The event-type catalog: GET for any key; POST, PATCH and DELETE are the operator's (EventTypeApi checks).
                .post("/event-types").routeId("rest-event-type-create").to("direct:event-type-create")
                .get("/event-types").routeId("rest-event-type-list").to("direct:event-type-list")
                .get("/event-types/{name}").routeId("rest-event-type-get").to("direct:event-type-get")
                .patch("/event-types/{name}").routeId("rest-event-type-patch").to("direct:event-type-patch")
                .delete("/event-types/{name}").routeId("rest-event-type-delete").to("direct:event-type-delete");

        call("webhook-create", "WebhookApi", "create");
        call("webhook-list", "WebhookApi", "list");
        call("webhook-get", "WebhookApi", "get");
        call("webhook-patch", "WebhookApi", "patch");
        call("webhook-delete", "WebhookApi", "delete");
        call("webhook-test", "WebhookApi", "test");
        call("webhook-deliveries", "WebhookApi", "deliveries");
        call("webhook-recover", "WebhookApi", "recover");
        call("webhook-rotate", "WebhookApi", "rotateSecret");
        call("webhook-public-key", "PublicKeyApi", "get");
        call("delivery-get", "DeliveryApi", "get");
        call("delivery-retry", "DeliveryApi", "retry");
        call("delivery-skip", "DeliveryApi", "skip");
        call("event-get", "DeliveryApi", "event");
        call("webhook-replay", "ReplayApi", "replay");
        call("webhook-filter-test", "FilterTestApi", "test");
        call("delivery-search", "SearchApi", "deliveries");
        call("event-search", "SearchApi", "events");
        operatorCall("stats-deliveries", "StatsApi", "deliveries");
        operatorCall("application-create", "ApplicationApi", "create");
        operatorCall("application-list", "ApplicationApi", "list");
        operatorCall("application-get", "ApplicationApi", "get");
        operatorCall("application-patch", "ApplicationApi", "patch");
        operatorCall("application-delete", "ApplicationApi", "delete");
        // An application's key may use these for its own application (ScopeGuard.requireApplication).
        call("application-webhook-create", "WebhookApi", "createFor");
        call("application-webhook-list", "WebhookApi", "listFor");
        operatorCall("key-create", "KeyApi", "create");
        operatorCall("key-list", "KeyApi", "list");
        operatorCall("key-revoke", "KeyApi", "revoke");
        operatorCall("portal-link", "PortalApi", "link");
        call("session", "PortalApi", "session");
        operatorCall("event-type-create", "EventTypeApi", "create");
        call("event-type-list", "EventTypeApi", "list");
        call("event-type-get", "EventTypeApi", "get");
        operatorCall("event-type-patch", "EventTypeApi", "patch");
        operatorCall("event-type-delete", "EventTypeApi", "delete");

        // The only call without ApiAuth: the API's description is public (OpenApiDocument).
        from("direct:openapi").routeId("api-openapi").routeConfigurationId("api")
                .process(new OpenApiDocument());
    }

    /** A call any key may make; the bean method answers within the key's Scope. */
    private void call(String name, String bean, String method) {
        from("direct:" + name).routeId("api-" + name).routeConfigurationId("api")
                .process("ApiAuth")
                .bean(bean, method)
                .process("ApiRespond");
    }

    /** A call only the operator's keys may make: an application's key gets 404, as if it did not exist. */
    private void operatorCall(String name, String bean, String method) {
        from("direct:" + name).routeId("api-" + name).routeConfigurationId("api")
                .process("OperatorOnly")
                .bean(bean, method)
                .process("ApiRespond");
    }
}
