package dev.herald.filter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.herald.error.HeraldException;
import dev.herald.store.Json;

/**
 * A webhook's payload filter: the JSON as the user gave it (compact, as stored) and its compiled
 * {@link Condition}. An event the filter refuses gets no delivery to the webhook.
 */
public record PayloadFilter(String text, Condition condition) {

    /** The column webhook.filter holds a filter in this many characters. */
    public static final int MAX_TEXT = 8000;

    /** The API's {@code filter} field: a checked, compiled filter; null for JSON null (no filter). */
    public static PayloadFilter parse(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        Condition c = FilterCompiler.compile(node);
        String text = Json.write(node);
        if (text.length() > MAX_TEXT) {
            throw HeraldException.invalid("filter", "the filter takes " + text.length() + " characters as compact JSON;"
                    + " the limit is " + MAX_TEXT + " at filter");
        }
        return new PayloadFilter(text, c);
    }

    /** A filter as stored (checked when it was written); null for none. */
    public static PayloadFilter fromStored(String text) {
        return text == null ? null : new PayloadFilter(text, FilterCompiler.compile(Json.tree(text)));
    }

    /** Whether {@code event} (see {@link #event}) passes. */
    public boolean matches(JsonNode event) {
        return condition.matches(event);
    }

    /** The filter as JSON, for views. */
    public JsonNode json() {
        return Json.tree(text);
    }

    /**
     * The object a filter sees: {@code {id, type, application, data}}; {@code application} is the
     * event's application id, null for the operator's own; {@code data} its JSON object.
     */
    public static JsonNode event(String id, String type, String application, JsonNode data) {
        ObjectNode e = JsonNodeFactory.instance.objectNode();
        e.put("id", id);
        e.put("type", type);
        e.put("application", application);
        e.set("data", data == null ? JsonNodeFactory.instance.nullNode() : data);
        return e;
    }

    /** {@link #event(String, String, String, JsonNode)} with {@code data} as stored (compact JSON text). */
    public static JsonNode event(String id, String type, String application, String data) {
        return event(id, type, application, data == null ? null : Json.tree(data));
    }
}
