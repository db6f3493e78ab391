package dev.herald.api;

import dev.herald.error.HeraldException;

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
        if (h == null && isStore(e)) {
            LOG.warn("Database unavailable answering {}: {}", exchange.getMessage().getHeader(Exchange.HTTP_PATH), e.getMessage());
            h = new HeraldException(503, "unavailable", "the database is not reachable; nothing was accepted, send again later", null);
        }
        if (h == null) {
            LOG.error("Unexpected failure answering {} {}", exchange.getMessage().getHeader(Exchange.HTTP_METHOD),
                    exchange.getMessage().getHeader(Exchange.HTTP_PATH), e);
            h = new HeraldException(500, "internal_error", "Herald could not process the request; see its log", null);
        }
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", h.code());
        error.put("message", h.getMessage());
        error.put("field", h.field());
        ApiRespond.write(exchange, h.status(), Map.of("error", error));
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
