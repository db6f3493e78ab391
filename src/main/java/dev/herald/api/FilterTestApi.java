package dev.herald.api;

import com.fasterxml.jackson.databind.JsonNode;

import dev.herald.error.Excerpt;
import dev.herald.error.HeraldException;
import dev.herald.filter.PayloadFilter;
import dev.herald.store.Database;
import dev.herald.subscription.Webhook;
import dev.herald.subscription.WebhookRepository;

import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.Header;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /v1/webhooks/{id}/filter-test {event, filter?}}: whether the webhook's payload filter
 * (or the one given, to try it before saving) lets the event through. Stores and sends nothing.
 */
public final class FilterTestApi {

    /** The fields of the request; any other is refused (OpenApiTest holds the document to these). */
    public static final Set<String> FIELDS = Set.of("event", "filter");
    /** An event as POST /v1/events takes it, and the application a filter sees. */
    private static final Set<String> EVENT_FIELDS = Set.of("id", "type", "created_at", "data", "application");

    private final VisibleWebhooks visible;

    public FilterTestApi(Database db, WebhookRepository webhooks) {
        this.visible = new VisibleWebhooks(db, webhooks);
    }

    /**
     * 200 {@code {"matches": true|false}}; a webhook without a filter (and none given) matches every event.
     * A read: read-only keys may test; another application's webhook is missing ({@link ScopeGuard}).
     */
    public ApiResponse test(Exchange exchange, @Header("id") String id, @Body byte[] body) {
        JsonNode req = ApiInput.object(body, true, FIELDS);
        Webhook w = visible.find(ScopeGuard.of(exchange), id);
        JsonNode event = event(req.get("event"));
        PayloadFilter filter = req.has("filter") ? PayloadFilter.parse(req.get("filter")) : w.filter();
        boolean matches = filter == null || filter.matches(event);
        return ApiResponse.ok(Map.of("matches", matches));
    }

    private static JsonNode event(JsonNode e) {
        if (e == null || !e.isObject()) {
            throw HeraldException.invalid("event", "event is required: an event object {type, data, id?, application?}");
        }
        for (Iterator<String> it = e.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!EVENT_FIELDS.contains(f)) {
                throw HeraldException.invalid("event." + f, "unknown field \"" + Excerpt.of(f)
                        + "\"; an event has id, type, created_at, data and application");
            }
        }
        JsonNode type = e.get("type");
        if (type == null || !type.isTextual() || type.asText().isEmpty()) {
            throw HeraldException.invalid("event.type", "type is required, e.g. \"project.created\"");
        }
        JsonNode data = e.get("data");
        if (data == null || !data.isObject()) {
            throw HeraldException.invalid("event.data", "data is required: the event's JSON object");
        }
        return PayloadFilter.event(text(e, "id"), type.asText(), text(e, "application"), data);
    }

    private static String text(JsonNode e, String field) {
        JsonNode v = e.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw HeraldException.invalid("event." + field, field + " must be a string");
        }
        return v.asText();
    }
}
