package dev.herald.api;

import dev.herald.ingest.IngestReply;
import dev.herald.store.Json;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * Writes the reply of every API route. Request headers (Authorization among them) are
 * still on the message and would be echoed as response headers, so all are removed first.
 */
public final class ApiRespond implements Processor {

    @Override
    public void process(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        ApiResponse response;
        if (body instanceof ApiResponse r) {
            response = r;
        } else if (body instanceof IngestReply reply) {
            response = new ApiResponse(reply.status(), reply.view());
        } else {
            throw new IllegalStateException("an API route produced " + (body == null ? "nothing" : body.getClass()));
        }
        write(exchange, response.status(), response.body());
    }

    static void write(Exchange exchange, int status, Object body) {
        Message m = exchange.getMessage();
        m.removeHeaders("*");
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        if (body == null) {
            m.setBody(null);
        } else {
            m.setHeader(Exchange.CONTENT_TYPE, "application/json");
            m.setBody(Json.write(body));
        }
    }
}
