package dev.herald.api;

import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/** Error handling shared by every route, declared once. */
public class ApiRouteConfiguration extends RouteConfigurationBuilder {

    @Override
    public void configuration() throws Exception {
        // API routes (Java REST DSL and the YAML HTTP source): every failure is a JSON error.
        routeConfiguration("api")
                .onException(Exception.class)
                    .handled(true)
                    .logExhausted(false)
                    .process("apiErrors");

        // Requests the HTTP server refuses before any route runs get the same JSON errors.
        getContext().addStartupListener(new JsonHttpFailures());

        // Core routes (dispatch, scheduler): the database is the source of truth, so a failed
        // step is logged and left to the scheduler, which claims the row again when its lease expires.
        routeConfiguration("core")
                .onException(Exception.class)
                    .handled(true)
                    .logStackTrace(true)
                    .log(org.apache.camel.LoggingLevel.WARN, "${routeId} failed, the scheduler will take the row again: ${exception.message}");
    }

    /**
     * Adds a failure handler, ahead of every route, to the main server's Vert.x router once
     * the context has started (the router exists only then). Without it Vert.x answers a
     * refused body (a form field over 8 KB, a body over the size limit) in plain text.
     */
    static final class JsonHttpFailures implements ExtendedStartupListener {

        @Override
        public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
            // The router is bound when the server starts: see onCamelContextFullyStarted.
        }

        @Override
        public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
            for (VertxPlatformHttpRouter router : context.getRegistry().findByType(VertxPlatformHttpRouter.class)) {
                if (router.isMainServer()) {
                    router.route().order(Integer.MIN_VALUE).failureHandler(ApiErrors::httpFailure);
                }
            }
        }
    }
}
