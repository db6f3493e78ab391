package dev.herald.delivery.step;

import dev.herald.store.Json;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;

/**
 * Step {@code TakeTransformed}: the body a transform left becomes what is signed and
 * sent, with its {@code Content-Type} header (application/json when it set none). A body left
 * as parsed JSON (a map or a list) is written back as JSON. Throws, and the attempt fails,
 * when there is nothing usable to send.
 */
public final class TakeTransformed implements org.apache.camel.Processor {

    private static final int MAX_CONTENT_TYPE = 200;

    @Override
    public void process(Exchange exchange) throws Exception {
        DeliveryJob job = exchange.getProperty(DeliveryJob.PROPERTY, DeliveryJob.class);
        Message m = exchange.getMessage();
        Object body = m.getBody();
        if (body == null) {
            throw new IllegalStateException("it left no body to send");
        }
        job.body = body instanceof Map<?, ?> || body instanceof Collection<?>
                ? Json.write(body).getBytes(StandardCharsets.UTF_8)
                : body instanceof String s ? s.getBytes(StandardCharsets.UTF_8)
                : m.getMandatoryBody(byte[].class);
        String type = m.getHeader("Content-Type", String.class);
        if (type != null) {
            if (type.isBlank() || type.length() > MAX_CONTENT_TYPE || type.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw new IllegalStateException("its Content-Type header is not a usable value");
            }
            job.contentType = type;
        }
        job.transformed = true;
    }
}
