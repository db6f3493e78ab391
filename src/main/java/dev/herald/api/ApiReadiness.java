package dev.herald.api;

import dev.herald.error.HeraldException;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.CamelContextRoutesStartedEvent;
import org.apache.camel.spi.CamelEvent.CamelContextStartingEvent;
import org.apache.camel.spi.CamelEvent.CamelContextStoppingEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * Whether the API takes requests. The HTTP server listens before Camel starts the routes and
 * serves each route as soon as it has started (a request for one not yet started gets 404), and
 * it keeps listening while the routes stop. So every API request is refused with 503 until
 * Camel's routes-started event and again from its stopping event (fired before the first route
 * stops). Routes-started comes once every route, Java, REST and YAML alike, has started, and
 * before the context counts as started, which /observe/health/ready waits for: a client that
 * saw ready is never told "starting" (the context-started event comes a moment after it).
 */
public final class ApiReadiness extends EventNotifierSupport implements Handler<RoutingContext> {

    private static final String STARTING = ApiErrors.json(new HeraldException(503, "starting",
            "Herald is starting; try again in a moment", null));
    private static final String STOPPING = ApiErrors.json(new HeraldException(503, "stopping",
            "Herald is stopping; try again in a moment", null));

    /** The refusal to send, or null while Herald runs: one volatile read per request. */
    private volatile String refusal = STARTING;

    public ApiReadiness() {
        // Context events only: Camel then builds no event object per exchange, route or service.
        setIgnoreExchangeEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
    }

    @Override
    public void notify(CamelEvent event) {
        if (event instanceof CamelContextRoutesStartedEvent) {
            refusal = null;
        } else if (event instanceof CamelContextStoppingEvent) {
            refusal = STOPPING;
        } else if (event instanceof CamelContextStartingEvent) {
            refusal = STARTING;
        }
    }

    @Override
    public void handle(RoutingContext rc) {
        String body = refusal;
        if (body == null) {
            rc.next();
            return;
        }
        var response = rc.response().setStatusCode(503)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader("Retry-After", "1");
        if (body.equals(STOPPING)) {
            // A client keeping the connection open would come back to a server about to close it.
            response.putHeader(HttpHeaders.CONNECTION, "close");
        }
        response.end(body);
    }
}
