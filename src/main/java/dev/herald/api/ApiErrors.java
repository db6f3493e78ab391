package dev.herald.api;

import dev.herald.error.HeraldException;
import dev.herald.store.Json;
import dev.herald.store.SqlFailures;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;

/** Turns any failure of an API route into {@code {"error":{code,message,field}}}; never a stack trace. */
public final class ApiErrors implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);

    @Override
    public void process(Exchange exchange) {
        Throwable e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        HeraldException h = find(e);
        if (h == null && e instanceof org.apache.camel.CamelExecutionException && e.getCause() instanceof org.apache.camel.InvalidPayloadException
                || e instanceof org.apache.camel.InvalidPayloadException) {
            // A form or other non-JSON content type: Vert.x hands us a parsed map, not bytes.
            h = new HeraldException(415, "unsupported_media_type", "send the body as Content-Type: application/json", null);
        }
        if (h == null && SqlFailures.isDataError(e)) {
            // Input that passed validation but does not fit a column: the request is at fault, and
            // a 503 ("send again") would make the client repeat it forever. The reason, not the
            // message: H2 quotes the refused value, which may be a secret.
            LOG.warn("Input refused by the database answering {}: {}", exchange.getMessage().getHeader(Exchange.HTTP_PATH),
                    SqlFailures.reason(e));
            h = HeraldException.invalid(null, "a value in the request is too long or out of range to be stored");
        }
        if (h == null && isStore(e)) {
            LOG.warn("Database unavailable answering {}: {}", exchange.getMessage().getHeader(Exchange.HTTP_PATH), e.getMessage());
            h = new HeraldException(503, "unavailable", "the database is not reachable; nothing was accepted, send again later", null);
        }
        if (h == null) {
            LOG.error("Unexpected failure answering {} {}", exchange.getMessage().getHeader(Exchange.HTTP_METHOD),
                    exchange.getMessage().getHeader(Exchange.HTTP_PATH), e);
            h = new HeraldException(500, "internal_error", "Herald could not process the request; see its log", null);
        }
        ApiRespond.write(exchange, h.status(), Map.of("error", body(h)));
    }

    /**
     * For requests Vert.x refuses before any route runs (a form field over its 8 KB limit, a body
     * over camel.server.max-body-size): the same JSON error shape instead of its plain-text page.
     */
    static void httpFailure(RoutingContext rc) {
        HttpServerResponse response = rc.response();
        if (response.headWritten()) {
            return;
        }
        int status = rc.statusCode();
        HeraldException h;
        if (status == 413) {
            h = HeraldException.tooLarge(null, "the request body is larger than the server accepts (herald.ingest.max-request-bytes)");
        } else if (status >= 400 && status < 500) {
            h = new HeraldException(status, "invalid_request", "the request cannot be read; send one JSON body with"
                    + " Content-Type: application/json", null);
        } else {
            LOG.error("Unexpected failure in the HTTP server answering {} {}", rc.request().method(), rc.request().path(), rc.failure());
            h = new HeraldException(500, "internal_error", "Herald could not process the request; see its log", null);
        }
        LOG.debug("HTTP server refused {} {} with {}: {}", rc.request().method(), rc.request().path(), h.status(),
                rc.failure() == null ? "" : rc.failure().toString());
        response.setStatusCode(h.status()).putHeader("Content-Type", "application/json").end(json(h));
    }

    /** For a request no route takes (no such path, or not with this method): 404 as JSON. */
    static void noRoute(RoutingContext rc) {
        HttpServerResponse response = rc.response();
        if (response.headWritten()) {
            return;
        }
        HeraldException h = noRoute(rc.request().method().name());
        response.setStatusCode(404).putHeader("Content-Type", "application/json").end(json(h));
    }

    /** The refusal of a request no route takes; also what an application's key gets on an operator's call (ScopeGuard). */
    static HeraldException noRoute(String method) {
        return new HeraldException(404, "not_found", "nothing here answers " + method
                + " on this path; the API is under /v1 (GET /v1/openapi.json), the dashboard at /ui/", null);
    }

    /** The error as the JSON body every refusal carries. */
    static String json(HeraldException h) {
        return Json.write(Map.of("error", body(h)));
    }

    private static Map<String, Object> body(HeraldException h) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", h.code());
        error.put("message", h.getMessage());
        error.put("field", h.field());
        return error;
    }

    private static boolean isStore(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof dev.herald.store.StoreException || t instanceof java.sql.SQLException) {
                return true;
            }
        }
        return false;
    }

    private static HeraldException find(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof HeraldException h) {
                return h;
            }
        }
        return null;
    }
}
