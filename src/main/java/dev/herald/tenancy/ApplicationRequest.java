package dev.herald.tenancy;

import com.fasterxml.jackson.databind.JsonNode;

import dev.herald.error.HeraldException;
import dev.herald.store.Json;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The bodies of {@code POST} and {@code PATCH /v1/applications}: checked field by field, refused with 400. */
public final class ApplicationRequest {

    /** The fields these bodies take; any other is refused (OpenApiTest holds the document to these). */
    public static final Set<String> FIELDS = Set.of("uid", "name", "metadata");
    private static final Pattern UID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final int MAX_NAME = 200;
    /** The metadata column's size: the JSON text of the object. */
    private static final int MAX_METADATA = 8000;

    private ApplicationRequest() {
    }

    public static Application create(String id, JsonNode body, long now) {
        if (!body.hasNonNull("name")) {
            throw HeraldException.invalid("name", "name is required: what the application is called (at most " + MAX_NAME + " characters)");
        }
        return new Application(id, uid(body.get("uid")), name(body.get("name")), metadata(body.get("metadata")), now, now);
    }

    /** Fields absent keep their value; {@code uid: null} removes it, {@code metadata: null} empties it. */
    public static Application patch(Application a, JsonNode body, long now) {
        String uid = body.has("uid") ? uid(body.get("uid")) : a.uid();
        String name = body.has("name") ? name(body.get("name")) : a.name();
        Map<String, String> metadata = body.has("metadata") ? metadata(body.get("metadata")) : a.metadata();
        return new Application(a.id(), uid, name, metadata, a.createdAt(), now);
    }

    private static String uid(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual() || !UID.matcher(v.asText()).matches()) {
            throw HeraldException.invalid("uid", "uid must be 1 to 64 letters, digits, '.', '_' or '-'");
        }
        // A uid that looks like an id could name another application's id in a path.
        if (v.asText().startsWith("app_")) {
            throw HeraldException.invalid("uid", "uid must not start with app_, the prefix of Herald's application ids");
        }
        // "." and ".." cannot stand in a path: clients and servers resolve them away.
        if (v.asText().equals(".") || v.asText().equals("..")) {
            throw HeraldException.invalid("uid", "uid must not be . or .., which paths cannot carry");
        }
        return v.asText();
    }

    private static String name(JsonNode v) {
        if (v == null || !v.isTextual() || v.asText().isBlank() || v.asText().length() > MAX_NAME) {
            throw HeraldException.invalid("name", "name must be a non-empty string of at most " + MAX_NAME + " characters");
        }
        return v.asText();
    }

    private static Map<String, String> metadata(JsonNode v) {
        if (v == null || v.isNull()) {
            return Map.of();
        }
        if (!v.isObject()) {
            throw HeraldException.invalid("metadata", "metadata must be a JSON object of string values");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw HeraldException.invalid("metadata", "metadata values must be strings");
            }
            out.put(e.getKey(), e.getValue().asText());
        }
        if (Json.write(out).length() > MAX_METADATA) {
            throw HeraldException.invalid("metadata", "metadata must be at most " + MAX_METADATA + " characters as JSON");
        }
        return out;
    }
}
