package dev.herald.api;

import com.fasterxml.jackson.databind.JsonNode;

import dev.herald.catalog.Catalog;
import dev.herald.error.Excerpt;
import dev.herald.error.HeraldException;
import dev.herald.subscription.EventTypes;

import java.util.List;

/**
 * Strict mode (herald.event-types.strict) for webhooks: each new pattern of a create or PATCH must
 * match a catalogued type that is not archived. Patterns the webhook had already are kept as they
 * are (a type archived since goes on for it), and so are those of Herald's own {@code herald.} events.
 */
final class CatalogPatterns {

    private CatalogPatterns() {
    }

    /** {@code events} is the request's array, already checked as patterns: a refusal names its index. */
    static void require(Catalog catalog, JsonNode events, List<String> had) {
        if (!catalog.strict() || events == null || !events.isArray()) {
            return;
        }
        List<String> types = null;
        for (int i = 0; i < events.size(); i++) {
            String pattern = events.get(i).asText();
            if (had.contains(pattern) || EventTypes.isReserved(pattern)) {
                continue;
            }
            if (types == null) {
                types = catalog.activeNames();
            }
            if (types.stream().noneMatch(t -> EventTypes.matches(pattern, t))) {
                throw HeraldException.invalid("events[" + i + "]", "\"" + Excerpt.of(pattern) + "\" matches no event"
                        + " type of the catalog, and herald.event-types.strict is on: add the type with"
                        + " POST /v1/event-types first");
            }
        }
    }
}
