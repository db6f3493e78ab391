package dev.herald.api;

import com.fasterxml.jackson.databind.JsonNode;

import dev.herald.catalog.Catalog;
import dev.herald.catalog.EventSchema;
import dev.herald.catalog.EventType;
import dev.herald.catalog.EventTypeRepository;
import dev.herald.delivery.log.PayloadRenderer;
import dev.herald.error.HeraldException;
import dev.herald.store.Database;
import dev.herald.store.Json;
import dev.herald.subscription.EventTypes;

import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.Header;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /v1/event-types}: the catalog of the types senders send, each with an optional JSON Schema
 * for its data. DELETE archives (the list hides it; webhooks and senders that use it go on).
 */
public final class EventTypeApi {

    /** The fields of {@code POST /v1/event-types}; any other is refused (OpenApiInputsTest holds the document to these). */
    public static final Set<String> CREATE_FIELDS = Set.of("name", "description", "schema");
    /** The fields of {@code PATCH /v1/event-types/{name}}: {@code archived: false} brings an archived type back. */
    public static final Set<String> PATCH_FIELDS = Set.of("description", "schema", "archived");
    private static final int MAX_DESCRIPTION = 2000;

    private final Database db;
    private final EventTypeRepository types;
    private final Catalog catalog;
    private final int maxSchemaBytes;
    private final int pageSize;

    public EventTypeApi(Database db, EventTypeRepository types, Catalog catalog, int maxSchemaBytes, int pageSize) {
        this.db = db;
        this.types = types;
        this.catalog = catalog;
        this.maxSchemaBytes = maxSchemaBytes;
        this.pageSize = pageSize;
    }

    public ApiResponse create(Exchange exchange, @Body byte[] body) {
        operatorOnly(exchange);
        JsonNode req = ApiInput.object(body, true, CREATE_FIELDS);
        String name = name(req.get("name"));
        long now = System.currentTimeMillis();
        EventType t = new EventType(name, description(req.get("description")), schema(req.get("schema")), null, now, now);
        try {
            db.inTransaction(c -> {
                types.insert(c, t);
                return null;
            });
        } catch (RuntimeException e) {
            if (Database.isDuplicateKey(e)) {
                throw HeraldException.conflict("event type \"" + name + "\" exists already (archived ones too:"
                        + " PATCH it with {\"archived\": false} to bring it back)");
            }
            throw e;
        }
        catalog.reload();
        return ApiResponse.created(view(t));
    }

    public ApiResponse list(@Header("include_archived") String includeArchived, @Header("limit") String limit,
                            @Header("cursor") String cursor) {
        boolean archived = ApiInput.flag(includeArchived, "include_archived");
        int n = ApiInput.limit(limit, pageSize);
        String after = cursor == null || cursor.isBlank() ? null : cursor;
        List<EventType> page = db.read(c -> types.list(c, archived, after, n + 1));
        boolean more = page.size() > n;
        List<EventType> shown = more ? page.subList(0, n) : page;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("data", shown.stream().map(EventTypeApi::view).toList());
        out.put("has_more", more);
        out.put("next_cursor", more ? shown.get(shown.size() - 1).name() : null);
        return ApiResponse.ok(out);
    }

    /** One type, archived or not. */
    public ApiResponse get(@Header("name") String name) {
        return ApiResponse.ok(view(db.read(c -> types.find(c, name, false)).orElseThrow(() -> notFound(name))));
    }

    public ApiResponse patch(Exchange exchange, @Header("name") String name, @Body byte[] body) {
        operatorOnly(exchange);
        JsonNode req = ApiInput.object(body, true, PATCH_FIELDS);
        String description = req.has("description") ? description(req.get("description")) : null;
        String schema = req.has("schema") ? schema(req.get("schema")) : null;
        JsonNode archived = req.get("archived");
        if (archived != null && !archived.isBoolean()) {
            throw HeraldException.invalid("archived", "archived must be true or false");
        }
        long now = System.currentTimeMillis();
        EventType updated = db.inTransaction(c -> {
            EventType t = types.find(c, name, true).orElseThrow(() -> notFound(name));
            Long archivedAt = archived == null ? t.archivedAt()
                    : archived.asBoolean() ? (t.archived() ? t.archivedAt() : Long.valueOf(now)) : null;
            EventType u = new EventType(t.name(), req.has("description") ? description : t.description(),
                    req.has("schema") ? schema : t.schema(), archivedAt, t.createdAt(), now);
            types.update(c, u);
            return u;
        });
        catalog.reload();
        return ApiResponse.ok(view(updated));
    }

    /** Archives the type: hidden from the list, still accepted from senders and kept by the webhooks naming it. */
    public ApiResponse delete(Exchange exchange, @Header("name") String name) {
        operatorOnly(exchange);
        long now = System.currentTimeMillis();
        db.inTransaction(c -> {
            EventType t = types.find(c, name, true).orElseThrow(() -> notFound(name));
            if (!t.archived()) {
                types.update(c, new EventType(t.name(), t.description(), t.schema(), now, t.createdAt(), now));
            }
            return null;
        });
        catalog.reload();
        return ApiResponse.noContent();
    }

    private static String name(JsonNode node) {
        if (node == null || node.isNull()) {
            throw HeraldException.invalid("name", "name is required, e.g. \"invoice.paid\"");
        }
        if (!node.isTextual() || !EventTypes.isValidType(node.asText())) {
            throw HeraldException.invalid("name", "name must be dot-separated words of letters, digits, _ - :"
                    + " (at most " + EventTypes.MAX_LENGTH + " characters), e.g. \"invoice.paid\"");
        }
        if (EventTypes.isReserved(node.asText())) {
            throw HeraldException.invalid("name", "names starting with \"" + EventTypes.RESERVED_PREFIX
                    + "\" are Herald's own operational events");
        }
        return node.asText();
    }

    private static String description(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual() || node.asText().length() > MAX_DESCRIPTION) {
            throw HeraldException.invalid("description", "description must be text of at most " + MAX_DESCRIPTION + " characters");
        }
        return node.asText();
    }

    /** The schema as compact text, checked and compiled once here; null when absent or null. */
    private String schema(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        String text = Json.write(node);
        int size = text.getBytes(StandardCharsets.UTF_8).length;
        if (size > maxSchemaBytes) {
            throw HeraldException.invalid("schema", "the schema is " + size + " bytes; the limit is " + maxSchemaBytes
                    + " (herald.event-types.max-schema-bytes)");
        }
        EventSchema.compile(node);
        return text;
    }

    /** The catalog is the operator's: an application's key reads it, and gets the 404 of no route on a change. */
    private static void operatorOnly(Exchange exchange) {
        ScopeGuard.requireOperator(ScopeGuard.of(exchange), ScopeGuard.method(exchange));
    }

    private static HeraldException notFound(String name) {
        return HeraldException.notFound("event type", name);
    }

    static Map<String, Object> view(EventType t) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", t.name());
        out.put("description", t.description());
        out.put("schema", t.schema() == null ? null : Json.readBody(t.schema().getBytes(StandardCharsets.UTF_8)));
        out.put("archived", t.archived());
        out.put("archived_at", t.archived() ? PayloadRenderer.iso(t.archivedAt()) : null);
        out.put("created_at", PayloadRenderer.iso(t.createdAt()));
        out.put("updated_at", PayloadRenderer.iso(t.updatedAt()));
        return out;
    }
}
