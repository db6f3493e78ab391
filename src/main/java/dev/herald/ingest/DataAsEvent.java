package dev.herald.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.herald.error.HeraldException;
import dev.herald.store.Json;

import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * The JMS source template's {@code eventType}: with the exchange property
 * {@code heraldEventType} set, the body is the data of one event of that type and becomes
 * {@code {"type": <type>, "data": <body>}}. Parsed, not pasted into a string: a body cannot
 * add an id or another field to the event, and a broken body is refused with the line and
 * column in the message itself. Without the property the body is left as it is.
 */
public final class DataAsEvent implements Processor {

    public static final String EVENT_TYPE = "heraldEventType";

    @Override
    public void process(Exchange exchange) throws InvalidPayloadException, JsonProcessingException {
        String type = exchange.getProperty(EVENT_TYPE, String.class);
        if (type == null || type.isEmpty()) {
            return;
        }
        Message message = exchange.getMessage();
        JsonNode data = message.getBody() == null ? null : Json.readBody(message.getMandatoryBody(byte[].class));
        if (data == null) {
            throw HeraldException.invalid(null, "the body is empty; send the event's data, a JSON object");
        }
        ObjectNode event = Json.MAPPER.createObjectNode().put("type", type);
        event.set("data", data);
        message.setBody(Json.MAPPER.writeValueAsBytes(event));
    }
}
